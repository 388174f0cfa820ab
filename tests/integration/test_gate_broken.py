"""Broken input must not reach readers, and a publisher's mistake must not hold anyone hostage.

The tests share one site and run in order: samples published -> a document whose funding does
not reconcile (the publisher's arithmetic: published, flagged at its line) -> a broken raw
partition: NULL project key, an indicator of a missing project (build + validate fail) -> a
few documents that collapse the corpus's parsed share (a pipeline rule: exit 3, the old warehouse
stays) -> the bad input removed (refresh, published, the failed run in its history).
"""

from __future__ import annotations

import copy

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.schema import RAW_TABLES
from ingest.writer import document_rows, read_live, segment_file, write_live
from jixiao import exitcodes
from jixiao.synth import COUNTY, generate_corpus, render_document
from tests.conftest import DOCUMENTS, SAMPLES
from tests.integration.gate_support import samples_site

pytestmark = pytest.mark.slow

BROKEN_DOC = "broken_county_2025.txt"
BROKEN_ID = "bad0000000000001"  # a raw document no parser wrote
BROKEN_SEGMENT = "ffffffffffffffff000001"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site, proc = samples_site(tmp_path_factory, "gate_broken")
    assert proc.returncode == exitcodes.PUBLISHED, proc.stdout + proc.stderr
    return site


def test_unreconciled_funding_is_flagged_and_published(site):
    # pingluo's first project with its appropriation changed: 年度资金总额 13.49 ≠ 财政拨款 12.49 + 其他资金
    text = (DOCUMENTS / SAMPLES["pingluo"]).read_text(encoding="utf-8")
    assert "其中: 财政拨款\t13.49" in text and "年度资金总额:\t13.49" in text.split("\n")[9]
    (site.docs / BROKEN_DOC).write_text(
        text.replace("其中: 财政拨款\t13.49", "其中: 财政拨款\t12.49"), encoding="utf-8"
    )

    proc = site.run("refresh")
    out = proc.stdout
    assert proc.returncode == exitcodes.PUBLISHED, out + proc.stderr
    assert "Quality gate passed" in out and "CRITICAL" not in out
    rec = out.split("warning  REC-02", 1)[1]
    assert "1 of 41 projects" in rec.splitlines()[1]  # one of 33 + 8 projects
    assert f"e.g. {BROKEN_DOC} line 7" in rec  # the document and the project's line
    assert site.query("select count(*) from marts.dim_document") == [(3,)]
    # the anomaly names the line of the cell that does not add up (line 10: 年度资金总额), as printed
    assert site.query("select source_line, detail from marts.fct_anomaly where rule_id = 'REC-02'") == [
        (10, "gap_yuan=10000.00")
    ]
    history = sorted((site.lake / "history" / "quality_rule_results").glob("*.parquet"))
    rec02 = next(r for r in pq.read_table(history[-1]).to_pylist() if r["rule_id"] == "REC-02")
    assert not rec02["success"] and not rec02["blocking"] and rec02["unexpected_count"] == 1
    assert rec02["examples"][0]["source_file"] == BROKEN_DOC and rec02["examples"][0]["source_line"] == 7


def _write_broken_partition(site) -> None:
    """pingluo's raw rows as a new document in a segment no parser wrote, made live in the
    manifest by hand, with a NULL project key and an indicator of a missing project."""
    (src,) = site.query(
        f"select document_id from marts.dim_document where source_file = '{SAMPLES['pingluo']}'"
    )[0]
    for table in ("raw_documents", "raw_projects", "raw_indicators", "raw_parse_issues", "raw_funding_cells"):
        rows = document_rows(site.lake, table, src).to_pylist()
        for r in rows:
            r["document_id"], r["source_file"] = BROKEN_ID, "broken_lake.txt"
        if table == "raw_projects":
            rows[0]["project_seq"] = None  # NULL project key
        if table == "raw_indicators":
            rows[-1]["project_seq"] = 99  # an indicator whose project does not exist
        pq.write_table(
            pa.Table.from_pylist(rows, schema=RAW_TABLES[table]),
            segment_file(site.lake, table, BROKEN_SEGMENT),
        )
    write_live(site.lake, {**read_live(site.lake), BROKEN_ID: BROKEN_SEGMENT}, "by hand")


def test_broken_raw_partition_is_stopped_and_reported_by_rule(site):
    served = site.digest()
    _write_broken_partition(site)

    # dbt's own tests stop the build at the NULL key: nothing is built, nothing published
    build = site.run("build")
    assert build.returncode != exitcodes.PUBLISHED
    assert "not_null" in build.stdout + build.stderr
    assert site.digest() == served

    # the gate names each broken rule with its rows (document, line)
    proc = site.run("validate")
    out = proc.stdout
    assert proc.returncode == exitcodes.GATE_FAILED, out + proc.stderr
    key = out.split("CRITICAL KEY-04", 1)[1]  # NULL project key (raw_projects)
    assert "e.g. broken_lake.txt line 7" in key.split("CRITICAL", 1)[0]
    rel = out.split("CRITICAL REL-02", 1)[1].split("CRITICAL", 1)[0]  # indicators without a project
    assert (
        "10 of " in rel and "indicator rows" in rel and "e.g. broken_lake.txt line" in rel
    )  # 9 of the keyless project + 1
    assert "CRITICAL KEY-08" not in out  # the indicators' keys themselves are fine
    assert "CRITICAL LIN-01" not in out  # every live document's row is in its segment
    assert site.digest() == served


def test_a_manifest_naming_a_segment_without_the_document_is_stopped_by_lineage(site):
    served = site.digest()
    live = read_live(site.lake)
    write_live(site.lake, {**live, "0000feed0000feed": live[BROKEN_ID]}, "by hand")  # no such row there
    proc = site.run("validate")
    out = proc.stdout
    assert proc.returncode == exitcodes.GATE_FAILED, out + proc.stderr
    lin = out.split("CRITICAL LIN-01", 1)[1].split("CRITICAL", 1)[0]
    assert "1 of " in lin
    assert site.digest() == served


def _free_text_documents(rows: int = 200) -> dict[str, str]:
    """County documents whose every target is text no vocabulary knows (甲乙丙丁): with
    ``rows`` such rows beside the samples' 524, fewer than 80% of the corpus's rows parse."""
    out: dict[str, str] = {}
    for doc in (d for d in generate_corpus(40, seed=7) if d.spec.layout == COUNTY):
        spec = copy.deepcopy(doc.spec)
        for project in spec.projects:
            for indicator in project.indicators:
                indicator.target, indicator.meaning = "甲乙丙丁", None
        out[f"free_text_{len(out)}.txt"] = render_document(spec).text
        rows -= sum(len(p.indicators) for p in spec.projects)
        if rows <= 0:
            return out
    raise AssertionError("not enough generated rows")


def test_a_corpus_wide_coverage_collapse_blocks_the_publish(site):
    (site.docs / BROKEN_DOC).unlink()
    served = site.digest()
    for name, text in _free_text_documents().items():
        (site.docs / name).write_text(text, encoding="utf-8")
    proc = site.run("refresh")
    out = proc.stdout
    assert proc.returncode == exitcodes.GATE_FAILED, out + proc.stderr
    assert "Quality gate FAILED" in out and "1 critical failures" in out and "CRITICAL COV-06" in out
    assert "(previous, still served)" in out
    # not published: the served file is byte-for-byte the old one, no half-built file is left
    assert site.digest() == served
    assert not site.warehouse.with_name(site.warehouse.name + ".next").exists()
    assert "Jixiao quality gate FAILED" in (site.data_docs / "index.html").read_text(encoding="utf-8")


def test_failed_runs_are_in_the_next_published_warehouse(site):
    for path in site.docs.glob("free_text_*.txt"):
        path.unlink()
    proc = site.run("refresh")
    assert proc.returncode == exitcodes.PUBLISHED, proc.stdout + proc.stderr
    runs = site.query("select passed, critical_failures, failed_rules from quality.runs order by run_at")
    assert [r[0] for r in runs] == [True, True, False, True]
    assert runs[2][1] == 1 and "COV-06" in runs[2][2]
    # a dashboard can chart a rule over refreshes and walk to the source row
    series = site.query("select success from quality.rule_results where rule_id = 'REC-02' order by run_at")
    assert [s for (s,) in series] == [True, False, True, True]
    assert site.query(
        "select source_file, source_line from quality.rule_examples where rule_id = 'REC-02'"
    ) == [(BROKEN_DOC, 7)]
