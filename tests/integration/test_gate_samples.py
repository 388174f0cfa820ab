"""The gate on the two sample documents: they publish, their own mistakes listed as warnings;
the results are queryable in ``quality``; Data Docs sit beside the warehouse; ``validate``."""

from __future__ import annotations

import subprocess

import pytest

from jixiao.quality.project import EXPECTATIONS_DIR, load_catalogue
from tests.integration.gate_support import JIXIAO, samples_site

pytestmark = pytest.mark.slow

# the samples' known mistakes (docs/domain.md), each a warning rule, with one row it must name
SAMPLE_WARNINGS = {
    "PLB-04": "ningxia_emergency_2025.txt line 510",  # a 2024年12月 deadline in a 2025 budget
    "PLB-05": "ningxia_emergency_2025.txt line 422",  # ***户 never filled in
    "PLB-06": "ningxia_emergency_2025.txt line 569",  # ≤4元 among 万元 siblings
    "PLB-07": "ningxia_emergency_2025.txt line 435",  # 100人/次 as a cost amount
    "PLB-08": "ningxia_emergency_2025.txt line 66",  # a blank target cell
    "PLB-09": "ningxia_emergency_2025.txt line 226",  # a project with no 满意度 row
    "PLB-10": "ningxia_emergency_2025.txt line 257",  # cost indicators above the annual funding
}


def _tree(folder):
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    before = _tree(EXPECTATIONS_DIR)
    site, proc = samples_site(tmp_path_factory, "gate_samples")
    return site, proc, before


def test_samples_publish_with_their_warnings_listed(samples):
    site, proc, _ = samples
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "Quality gate passed" in out and "0 critical failures, 0 rules holding documents back, 7 warnings, 3 info" in out
    for rule_id, row in SAMPLE_WARNINGS.items():
        block = out.split(f"warning  {rule_id}", 1)
        assert len(block) == 2, f"{rule_id} missing from the summary:\n{out}"
        assert row in block[1].split("warning  ", 1)[0], f"{rule_id} does not name {row}"
    assert "CRITICAL" not in out
    # warnings alone never block: the samples are what is served
    assert site.query("select count(*) from marts.dim_document") == [(2,)]


def test_output_is_readable(samples):
    _, proc, _ = samples
    assert "Calculating Metrics" not in proc.stdout + proc.stderr  # GX's tqdm bars are off
    assert "Traceback" not in proc.stderr


def test_quality_schema_is_queryable(samples):
    site, _, _ = samples
    runs = site.query("select run_id, passed, rules, critical_failures, warnings from quality.runs")
    assert len(runs) == 1
    run_id, passed, rules, critical, warnings = runs[0]
    assert passed and critical == 0 and warnings == 7
    assert rules == len(load_catalogue())
    # every rule of the catalogue was evaluated, each with its catalogue fields
    rows = site.query("select rule_id, severity, category, message, success, observed_value from quality.rule_results")
    assert {r[0] for r in rows} == {r.rule_id for r in load_catalogue()}
    assert all(r[1] in ("critical", "warning", "info") and r[2] and r[3] and r[5] for r in rows)
    assert not [r for r in rows if r[1] == "critical" and not r[4]]
    # examples lead back to the source: document and line
    assert site.query(
        "select source_file, source_line, value from quality.rule_examples where rule_id = 'PLB-04' order by source_line"
    )[0][:2] == ("ningxia_emergency_2025.txt", 510)
    # and the ops side of the refresh can find its run here
    assert site.query(f"select count(*) from quality.rule_results where run_id = '{run_id}'") == [(rules,)]


def test_data_docs_are_beside_the_warehouse_and_linked(samples):
    site, proc, _ = samples
    index = site.data_docs / "index.html"
    assert index.exists()
    assert "Data Docs: file://" in proc.stdout and "/data_docs/index.html" in proc.stdout
    text = index.read_text(encoding="utf-8")
    assert "Jixiao quality gate passed" in text and "PLB-04" in text
    pages = list((site.data_docs / "validations").rglob("*.html"))
    assert {p.relative_to(site.data_docs / "validations").parts[0] for p in pages} == {
        "raw_document_verdicts", "raw_schema", "raw_documents", "raw_projects", "raw_indicators",
        "raw_parse_issues", "raw_self_evaluation_projects", "raw_self_evaluation_funding",
        "raw_self_evaluation_indicators", "marts_documents", "marts_projects", "marts_indicators",
    }
    page = next(p for p in pages if "marts_indicators" in p.parts).read_text(encoding="utf-8")
    assert "PLB-05 [warning: flagged, never blocks]" in page  # Data Docs show the rule id, severity and meaning
    for html in [text, page]:
        assert "great-expectations-web-assets" not in html  # no remote logo beacon


def test_the_gate_writes_nothing_into_the_repo(samples):
    _, _, before = samples
    assert _tree(EXPECTATIONS_DIR) == before
    assert not (EXPECTATIONS_DIR / "gx" / "uncommitted").exists()


def test_validate_reports_without_writing_the_warehouse(samples):
    site, _, _ = samples
    digest = site.digest()
    history = sorted((site.lake / "history" / "quality_rule_results").glob("*.parquet"))
    proc = site.run("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Quality gate passed" in proc.stdout and "warning  PLB-09" in proc.stdout
    assert "Calculating Metrics" not in proc.stdout + proc.stderr
    assert site.digest() == digest
    assert sorted((site.lake / "history" / "quality_rule_results").glob("*.parquet")) == history


def test_rule_catalogue_listing():
    out = subprocess.run([JIXIAO, "validate", "--rules"], capture_output=True, text=True, timeout=60).stdout
    for rule in load_catalogue():
        assert f"{rule.rule_id:<7} {rule.scope:<8} {rule.severity}" in out
