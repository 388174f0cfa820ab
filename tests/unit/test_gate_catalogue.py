"""The GX project is wired to the rule catalogue, and the gate's verdict follows scope and severity."""

from __future__ import annotations

import json

from jixiao.quality.project import FRAMES_DIR, GX_DIR, SUITE_ORDER, load_catalogue, suite_names
from jixiao.quality.report import format_gate
from jixiao.quality.results import Example, GateReport, RuleResult

RULES = load_catalogue()


def test_every_expectation_names_a_catalogue_rule():
    assert len(RULES) >= 60
    assert all(r.message and r.severity and r.scope for r in RULES)


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


def _rule(rule_id: str, severity: str, success: bool, scope: str = "pipeline") -> RuleResult:
    return RuleResult(
        suite="s", rule_id=rule_id, severity=severity, success=success, observed="1 of 2 rows", meaning="m",
        unexpected_count=0 if success else 1, examples=[] if success else [Example("a.txt", 7, "项目", "1")],
        scope=scope,
    )


def test_only_a_critical_pipeline_rule_blocks():
    report = GateReport([_rule("PLB-01", "warning", False, "row"), _rule("KEY-01", "critical", True)])
    assert report.passed and len(report.warnings) == 1 and not report.failed_critical
    report.results.append(_rule("DOC-06", "critical", False, "document"))
    assert report.passed and [r.rule_id for r in report.held] == ["DOC-06"], "a held document never blocks"
    report.results.append(_rule("KEY-08", "critical", False))
    assert not report.passed and [r.rule_id for r in report.failed_critical] == ["KEY-08"]
    text = "\n".join(format_gate(report))
    assert "Quality gate FAILED" in text and "CRITICAL KEY-08" in text and "e.g. a.txt line 7 项目: 1" in text
    assert "HELD     DOC-06" in text


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
