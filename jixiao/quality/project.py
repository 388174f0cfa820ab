"""The Great Expectations project under ``expectations/`` and the rule catalogue it holds.

The project is a GX *file* context rooted at ``expectations/`` (``expectations/gx``): suites,
the pandas datasource and one validation definition per suite are committed there. What a run
produces never lands in the repo: ``great_expectations.yml`` names the validation-results store
and the Data Docs site by variables (``${JIXIAO_GX_VALIDATIONS}``, ``${JIXIAO_GX_DATA_DOCS}``)
that ``open_context`` fills in at run time with folders beside the warehouse / in the lake.

The rule catalogue is ``seeds/rules.csv`` (``ingest.catalogue``): every expectation names its
rule by ``meta.rule_id``; its severity and description are written from the catalogue by the
scaffold, and what a failure means (blocks the publish, holds a document, flagged) comes from
the rule's scope and severity there. ``load_catalogue`` joins the two without importing GX.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest import catalogue
from jixiao.paths import PROJECT_DIR

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"
GX_DIR = EXPECTATIONS_DIR / "gx"
SUITES_DIR = GX_DIR / "expectations"
FRAMES_DIR = EXPECTATIONS_DIR / "frames"

DATASOURCE = "jixiao"  # a pandas datasource: one DataFrame asset per suite, same name
BATCH_DEFINITION = "whole_frame"
DATA_DOCS_VAR = "JIXIAO_GX_DATA_DOCS"
VALIDATIONS_VAR = "JIXIAO_GX_VALIDATIONS"

# columns every frame has; a failing row is reported by these (document, line, which row)
EXAMPLE_COLUMNS = ["source_file", "source_line", "row_ref"]

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@dataclass(frozen=True)
class Rule:
    """A catalogue rule as one suite checks it (one expectation)."""

    rule_id: str
    severity: str
    category: str
    message: str
    suite: str
    expectation_type: str
    scope: str = "pipeline"
    kwargs: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def column(self) -> str | None:
        kw = self.kwargs
        if "column" in kw:
            return kw["column"]
        if "column_A" in kw:
            return f"{kw['column_A']},{kw['column_B']}"
        if "column_list" in kw:
            return ",".join(kw["column_list"])
        return None


# the lake before the warehouse, and within each the grain from coarse to fine
SUITE_ORDER = (
    "raw_document_verdicts",
    "raw_schema",
    "raw_documents",
    "raw_projects",
    "raw_indicators",
    "raw_parse_issues",
    "raw_self_evaluation_projects",
    "raw_self_evaluation_funding",
    "raw_self_evaluation_indicators",
    "marts_documents",
    "marts_projects",
    "marts_indicators",
)


def suite_names() -> list[str]:
    found = {p.stem for p in SUITES_DIR.glob("*.json")}
    return [s for s in SUITE_ORDER if s in found] + sorted(found - set(SUITE_ORDER))


def frame_sql(suite: str) -> str:
    return (FRAMES_DIR / f"{suite}.sql").read_text(encoding="utf-8")


def load_catalogue() -> list[Rule]:
    """Every expectation of every suite as its catalogue rule, in suite order (no GX import)."""
    rules = []
    for name in suite_names():
        suite = json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for e in suite["expectations"]:
            rule = catalogue.rule((e.get("meta") or {}).get("rule_id", ""))
            rules.append(
                Rule(
                    rule_id=rule.rule_id,
                    severity=rule.severity,
                    category=rule.category,
                    message=rule.message_en,
                    suite=name,
                    expectation_type=e["type"],
                    scope=rule.scope,
                    kwargs=e.get("kwargs", {}),
                )
            )
    return rules


def quiet_gx() -> None:
    """GX logs and progress bars are noise in CLI and CI output (bars are also off in the yml)."""
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def open_context(data_docs: Path, validations: Path):
    """The GX file context of ``expectations/``, writing its run output only to the given folders."""
    quiet_gx()
    import great_expectations as gx

    return gx.get_context(
        mode="file",
        project_root_dir=str(EXPECTATIONS_DIR),
        runtime_environment={DATA_DOCS_VAR: str(data_docs), VALIDATIONS_VAR: str(validations)},
    )
