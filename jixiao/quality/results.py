"""What the gate found: one result per rule, with example rows that name document and line."""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ingest import catalogue
from jixiao.quality.project import EXAMPLE_COLUMNS

MAX_EXAMPLES = 20  # kept per rule (GX's partial lists); the text report shows fewer
# what one row of a suite's frame is, for "4 of 33 projects"
ROW_NOUNS = {
    "raw_document_verdicts": "documents",
    "raw_schema": "file columns",
    "raw_documents": "documents",
    "raw_projects": "projects",
    "raw_indicators": "indicator rows",
    "raw_parse_issues": "parse issues",
    "marts_documents": "documents",
    "marts_projects": "projects",
    "marts_indicators": "indicator rows",
}


@dataclass
class Example:
    source_file: str | None
    source_line: int | None
    row_ref: str | None
    value: str | None

    def describe(self) -> str:
        where = self.source_file or "?"
        if self.source_line is not None:
            where += f" line {self.source_line}"
        ref = f" {self.row_ref}" if self.row_ref else ""
        value = f": {self.value}" if self.value not in (None, "") else ""
        return f"{where}{ref}{value}"


@dataclass
class RuleResult:
    suite: str
    rule_id: str
    severity: str  # critical | warning | info
    success: bool
    observed: str | None = None
    meaning: str = ""
    category: str = ""
    expectation_type: str = ""
    column: str | None = None
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    examples: list[Example] = field(default_factory=list)
    scope: str = "pipeline"  # pipeline | document | row (the catalogue's)
    documents: int | None = None  # documents with an unexpected row (row rules; None: not counted)

    @property
    def observed_text(self) -> str:
        """What was observed, with how many documents the unexpected rows are in (row rules)."""
        n = self.documents
        where = f" in {n} document{'s' if n != 1 else ''}" if n and not self.success else ""
        return f"{self.observed or ''}{where}"

    @property
    def blocking(self) -> bool:
        """A failed critical pipeline rule: nothing is published."""
        return not self.success and self.severity == "critical" and self.scope == "pipeline"

    @property
    def holding(self) -> bool:
        """A failed critical document rule: those documents were held back, the rest publish."""
        return not self.success and self.severity == "critical" and self.scope == "document"


@dataclass
class GateReport:
    results: list[RuleResult] = field(default_factory=list)
    run_id: str = ""
    run_at: datetime | None = None
    data_docs: Path | None = None  # index.html of the Data Docs site
    notes: list[str] = field(default_factory=list)  # e.g. suites skipped, and why
    # per row rule and document: what was found (jixiao.quality.evaluation.Tally), whole
    # warehouse; None: not to be kept (GX and the tallies disagreed)
    tallies: list | None = field(default_factory=list)
    documents: set[str] | None = None  # an incremental gate's changed documents; None: every row

    @property
    def failed_critical(self) -> list[RuleResult]:
        return [r for r in self.results if r.blocking]

    @property
    def held(self) -> list[RuleResult]:
        return [r for r in self.results if r.holding]

    @property
    def warnings(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    @property
    def infos(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.severity == "info"]

    @property
    def passed(self) -> bool:
        return not self.failed_critical


def _plain(value):
    """numpy/pandas scalars -> plain Python; NaN, NaT and pd.NA -> None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _fmt(value) -> str:
    value = _plain(value)
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple, set)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def _examples(result: dict) -> list[Example]:
    out = []
    for row in result.get("partial_unexpected_index_list") or []:
        # a flag column's value says nothing the rule's meaning does not (has_project = False)
        values = {
            k: v for k, v in row.items() if k not in EXAMPLE_COLUMNS and not isinstance(_plain(v), bool)
        }
        line = _plain(row.get("source_line"))
        value = ", ".join(_fmt(v) if len(values) == 1 else f"{k}={_fmt(v)}" for k, v in values.items())
        out.append(
            Example(
                source_file=_plain(row.get("source_file")),
                source_line=int(line) if line is not None else None,
                row_ref=_plain(row.get("row_ref")),
                value=value,
            )
        )
    if not out:  # aggregate expectations: name the values instead of rows
        for key, label in (("partial_unexpected_list", "unexpected"), ("partial_missing_list", "missing")):
            for v in result.get(key) or []:
                if not isinstance(v, dict):
                    out.append(Example(None, None, label, _fmt(v)))
    return out[:MAX_EXAMPLES]


def _observed(suite: str, kwargs: dict, result: dict, success: bool) -> str:
    if "unexpected_count" in result and "element_count" in result:
        n, total = result["unexpected_count"] or 0, result["element_count"] or 0
        rows = ROW_NOUNS.get(suite, "rows")
        mostly = kwargs.get("mostly")
        if mostly is not None and total:
            share = 100.0 * (total - n) / total
            return f"{share:.1f}% of {total} {rows} (threshold {100 * mostly:g}%)"
        return f"{n} of {total} {rows}"
    if "observed_value" in result:
        return _fmt(result["observed_value"])
    return "ok" if success else "failed"


def from_gx(suite: str, validation) -> list[RuleResult]:
    """Turn one GX suite validation result into rule results (catalogue fields from ``meta``)."""
    out = []
    for r in validation.results:
        cfg = r.expectation_config
        rule = catalogue.rule((cfg.meta or {}).get("rule_id", ""))
        result = r.result or {}
        kwargs = dict(cfg.kwargs)
        if r.exception_info and r.exception_info.get("raised_exception"):
            observed = "error: " + str(r.exception_info.get("exception_message"))[:200]
        else:
            observed = _observed(suite, kwargs, result, bool(r.success))
        column = kwargs.get("column") or (
            f"{kwargs['column_A']},{kwargs['column_B']}"
            if "column_A" in kwargs
            else ",".join(kwargs["column_list"])
            if "column_list" in kwargs
            else None
        )
        pct = result.get("unexpected_percent_total", result.get("unexpected_percent"))
        out.append(
            RuleResult(
                suite=suite,
                rule_id=rule.rule_id,
                severity=rule.severity,
                success=bool(r.success),
                observed=observed,
                meaning=rule.message_en,
                category=rule.category,
                scope=rule.scope,
                expectation_type=cfg.type,
                column=column,
                element_count=_plain(result.get("element_count")),
                unexpected_count=_plain(result.get("unexpected_count")),
                unexpected_percent=_plain(pct),
                examples=_examples(result),
            )
        )
    return out
