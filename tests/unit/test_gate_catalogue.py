"""The rule catalogue (the suites' JSON) is well-formed, and the GX project is wired to it."""

from __future__ import annotations

import csv
import json
import re

import pytest

from jixiao.paths import PROJECT_DIR
from jixiao.quality.project import (
    CATEGORIES,
    FRAMES_DIR,
    GX_DIR,
    SEVERITIES,
    SUITE_ORDER,
    SUITES_DIR,
    load_catalogue,
    suite_names,
)
from jixiao.quality.report import format_gate
from jixiao.quality.results import Example, GateReport, RuleResult
from jixiao.quality.scaffold import description

RULES = load_catalogue()


def test_every_rule_has_an_id_severity_category_and_meaning():
    assert len(RULES) >= 50
    ids = [r.rule_id for r in RULES]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    for r in RULES:
        assert re.fullmatch(r"[A-Z]{3}-\d{2}", r.rule_id), r
        assert r.severity in SEVERITIES, r
        assert r.category == CATEGORIES[r.rule_id[:3]], f"{r.rule_id}: the id prefix names the category"
        assert r.message and "\n" not in r.message and len(r.message) <= 120, r


def test_data_docs_descriptions_follow_the_catalogue():
    for path in SUITES_DIR.glob("*.json"):
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            assert e.get("description") == description(e), (
                f"{path.name}: run `python -m jixiao.quality.scaffold` to refresh the descriptions"
            )


def test_every_suite_has_its_frame_and_validation_definition():
    suites = suite_names()
    assert set(suites) == set(SUITE_ORDER)
    assert {p.stem for p in FRAMES_DIR.glob("*.sql")} == set(suites)
    yml = (GX_DIR / "great_expectations.yml").read_text(encoding="utf-8")
    for suite in suites:
        vd = json.loads((GX_DIR / "validation_definitions" / f"{suite}.json").read_text(encoding="utf-8"))
        assert vd["suite"]["name"] == suite and vd["data"]["asset"]["name"] == suite
        assert f"      {suite}:\n" in yml, f"asset {suite} missing from great_expectations.yml"


def test_run_output_never_goes_into_the_repo():
    yml = (GX_DIR / "great_expectations.yml").read_text(encoding="utf-8")
    assert "base_directory: ${JIXIAO_GX_VALIDATIONS}" in yml
    assert "base_directory: ${JIXIAO_GX_DATA_DOCS}" in yml
    assert "uncommitted/" in (GX_DIR / ".gitignore").read_text(encoding="utf-8")
    assert "progress_bars:\n  globally: false" in yml


def test_coverage_thresholds_say_where_they_come_from():
    for path in SUITES_DIR.glob("*.json"):
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            if "mostly" in e["kwargs"] and e["meta"]["rule_id"] in ("COV-06", "COV-07"):
                assert e["meta"].get("rationale"), e["meta"]["rule_id"]


def test_gated_anomaly_rules_exist_in_the_anomaly_seed():
    seed = PROJECT_DIR / "seeds" / "anomaly_rules.csv"
    if not seed.exists():
        pytest.skip("no anomaly seed")
    with seed.open(encoding="utf-8", newline="") as fh:
        known = {row["rule_id"] for row in csv.DictReader(fh)}
    for path in SUITES_DIR.glob("*.json"):
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            anomaly = e["meta"].get("anomaly_rule")
            if anomaly:
                assert anomaly in known, f"{e['meta']['rule_id']} gates an anomaly rule the models do not have"
                assert e["kwargs"]["column"] == anomaly


def _rule(rule_id: str, severity: str, success: bool) -> RuleResult:
    return RuleResult(
        suite="s", rule_id=rule_id, severity=severity, success=success, observed="1 of 2 rows", meaning="m",
        unexpected_count=0 if success else 1, examples=[] if success else [Example("a.txt", 7, "项目", "1")],
    )


def test_warnings_alone_never_block():
    report = GateReport([_rule("PLB-01", "warning", False), _rule("KEY-01", "critical", True)])
    assert report.passed and len(report.warnings) == 1 and not report.failed_critical
    report.results.append(_rule("REC-02", "critical", False))
    assert not report.passed and [r.rule_id for r in report.failed_critical] == ["REC-02"]
    text = "\n".join(format_gate(report))
    assert "Quality gate FAILED" in text and "CRITICAL REC-02" in text and "e.g. a.txt line 7 项目: 1" in text


def test_the_gate_fails_closed_when_a_frame_cannot_be_built(tmp_path):
    """A warehouse without the marts (or a renamed column) is a critical failure, not a pass."""
    import duckdb

    from jixiao.gate import run_gate
    from jixiao.paths import layout_for

    layout = layout_for(tmp_path / "jixiao.duckdb", tmp_path / "no_lake")
    duckdb.connect(str(layout.warehouse)).close()
    report = run_gate(layout.warehouse, layout, record=False)
    assert not report.passed
    assert {r.rule_id for r in report.failed_critical} == {f"{s}:frame" for s in SUITE_ORDER if s.startswith("marts_")}
    assert any("no raw lake" in n for n in report.notes)
    assert (tmp_path / "data_docs" / "index.html").exists()
