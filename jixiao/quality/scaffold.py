"""Keep the GX project's wiring in step with ``expectations/frames`` (a developer tool).

    .venv/bin/python -m jixiao.quality.scaffold

For every ``expectations/frames/<suite>.sql`` it makes sure the committed project has a
DataFrame asset ``<suite>`` (batch definition ``whole_frame``), a suite ``<suite>`` (empty when
new: add the rules to its JSON) and a validation definition ``<suite>`` tying the two.

From the rule catalogue (``seeds/rules.csv``) it writes every expectation's ``severity`` and
``description`` (what Data Docs show), and the expectations that only *report* what another
stage decided: one per rule the models flag (the flag's column must be NULL) in the suite of
its grain, and one per document rule of the ingest verdict in ``raw_document_verdicts``. It
writes only under ``expectations/gx``. Commit what it changes; a unit test fails when the
committed suites are not what this writes.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path

from ingest import catalogue
from jixiao.quality.evaluation import ROW
from jixiao.quality.frames import FLAG_FRAMES, VERDICT_SUITE
from jixiao.quality.project import BATCH_DEFINITION, DATASOURCE, FRAMES_DIR, GX_DIR, SUITES_DIR, open_context

REPORTING = ("model", "ingest")  # rules whose expectation reports another stage's decision


def description(rule: catalogue.Rule) -> str:
    """What Data Docs print for a rule: derived from the catalogue, never edited by hand."""
    return f"{rule.rule_id} [{rule.severity}: {rule.consequence}] {rule.message_en} / {rule.message_zh}"


def reporting_expectation(rule: catalogue.Rule) -> dict:
    if rule.checked_in == "model":
        return {"type": "expect_column_values_to_be_null", "kwargs": {"column": rule.name}}
    return {
        "type": "expect_column_values_to_not_be_in_set",
        "kwargs": {"column": "rule_id", "value_set": [rule.rule_id]},
    }


def suite_of(rule: catalogue.Rule) -> str:
    if rule.checked_in == "ingest":
        return VERDICT_SUITE
    return next(suite for suite, (grain, _key) in FLAG_FRAMES.items() if grain == rule.grain)


def expected_suite(name: str, suite: dict) -> dict:
    """``suite`` as the catalogue wants it: own rules kept (severity, description written),
    reporting rules regenerated in catalogue order."""
    own = []
    for e in copy.deepcopy(suite["expectations"]):
        rule = catalogue.rule(e["meta"]["rule_id"])  # KeyError: a rule the catalogue lacks
        if rule.checked_in not in REPORTING:
            own.append(e)
    # how each is evaluated is said in the suite (a flag that reads other documents is corpus)
    said = {e["meta"]["rule_id"]: e["meta"].get("evaluation", ROW) for e in suite["expectations"]}
    reporting = [
        {**reporting_expectation(r), "meta": {"rule_id": r.rule_id, "evaluation": said.get(r.rule_id, ROW)}}
        for r in catalogue.rules()
        if r.checked_in in REPORTING and suite_of(r) == name
    ]
    for e in own + reporting:
        rule = catalogue.rule(e["meta"]["rule_id"])
        e["severity"] = rule.severity
        if "mostly" in e["kwargs"] and rule.threshold is not None:
            e["kwargs"]["mostly"] = float(rule.threshold)
        e["description"] = description(rule)
    return {**suite, "expectations": own + reporting}


def sync_catalogue() -> list[str]:
    changed = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        want = expected_suite(path.stem, suite)
        if want != suite:
            path.write_text(json.dumps(want, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            changed.append(f"rules of {path.stem} (from seeds/rules.csv)")
    return changed


def scaffold() -> list[str]:
    if not (GX_DIR / "great_expectations.yml").exists():
        raise SystemExit(f"{GX_DIR}/great_expectations.yml is missing; restore it from git")
    import great_expectations as gx

    done: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        context = open_context(Path(tmp) / "docs", Path(tmp) / "validations")
        try:
            source = context.data_sources.get(DATASOURCE)
        except (KeyError, ValueError):
            source = context.data_sources.add_pandas(DATASOURCE)
            done.append(f"datasource {DATASOURCE}")
        for sql in sorted(FRAMES_DIR.glob("*.sql")):
            name = sql.stem
            try:
                asset = source.get_asset(name)
            except LookupError:
                asset = source.add_dataframe_asset(name)
                done.append(f"asset {name}")
            try:
                batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
            except KeyError:
                batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
                done.append(f"batch definition {name}/{BATCH_DEFINITION}")
            try:
                suite = context.suites.get(name)
            except Exception:
                suite = context.suites.add(gx.ExpectationSuite(name=name))
                done.append(f"suite {name} (empty: add its rules)")
            try:
                context.validation_definitions.get(name)
            except Exception:
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
                )
                done.append(f"validation definition {name}")
    done += sync_catalogue()
    for stray in ("uncommitted", "plugins"):  # GX creates these on a new context; nothing of ours
        shutil.rmtree(GX_DIR / stray, ignore_errors=True)
    return done


if __name__ == "__main__":
    changes = scaffold()
    print("\n".join(changes) if changes else "the GX project already matches expectations/frames")
    sys.exit(0)
