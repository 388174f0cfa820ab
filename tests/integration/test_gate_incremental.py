"""The incremental gate (``documents=``) reports the whole warehouse exactly as the full gate does.

One site, in order: the samples published -> a document added (a copy of pingluo whose funding
does not reconcile: a warning in the new document) -> pingluo changed (its first project's
annual total) -> the added document removed. After each step's refresh (a real ``jixiao``
process: full gate, per-document results recorded in the published file) the full gate and
the incremental gate (starting from the warehouse served *before* the step, told only the
step's documents) run on the new warehouse; every rule's verdict, severity, unexpected count,
row count and document count must agree. Last, a critical failure in a changed document
(a NULL key in a raw partition) stops the incremental lake check exactly as the full one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.schema import RAW_TABLES
from ingest.writer import document_rows, read_live, segment_file, write_live
from jixiao import exitcodes
from jixiao.gate import check_lake, run_gate
from jixiao.paths import layout_for
from tests.conftest import DOCUMENTS, SAMPLES
from tests.integration.gate_support import samples_site

pytestmark = pytest.mark.slow

ADDED = "unreconciled_county_2025.txt"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site, proc = samples_site(tmp_path_factory, "gate_incremental")
    assert proc.returncode == exitcodes.PUBLISHED, proc.stdout + proc.stderr
    return site


def _ids(path: Path, source_file: str) -> set[str]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("select document_id from marts.dim_document where source_file = ?", [source_file])
        return {r[0] for r in rows.fetchall()}
    finally:
        con.close()


def _step(site, tmp_path: Path, touched: str, edit) -> tuple:
    """Keep the served file, apply ``edit``, refresh; the full and the incremental gate's reports."""
    before = tmp_path / "before.duckdb"
    shutil.copyfile(site.warehouse.resolve(), before)
    edit()
    proc = site.refresh()
    assert proc.returncode == exitcodes.PUBLISHED, proc.stdout + proc.stderr
    served = site.warehouse.resolve()
    delta = _ids(before, touched) | _ids(served, touched)
    assert delta, f"the step changed no document of {touched}"
    layout = layout_for(site.warehouse, site.lake)
    full = run_gate(served, layout, record=False)
    incremental = run_gate(served, layout, record=False, documents=delta, base=before)
    return full, incremental, delta


def _compare(full, incremental, delta: set[str]) -> None:
    assert incremental.documents == delta, incremental.notes  # it did run incrementally
    assert full.documents is None
    want = {r.rule_id: r for r in full.results}
    got = {r.rule_id: r for r in incremental.results}
    assert set(got) == set(want)
    for rule_id, w in want.items():
        g = got[rule_id]
        same = (g.success, g.severity, g.unexpected_count, g.element_count, g.documents, g.observed)
        assert same == (
            w.success,
            w.severity,
            w.unexpected_count,
            w.element_count,
            w.documents,
            w.observed,
        ), rule_id
        assert len(g.examples) == len(w.examples), rule_id
    assert incremental.passed == full.passed
    assert {r.rule_id for r in incremental.warnings} == {r.rule_id for r in full.warnings}


def test_add_one_document(site, tmp_path):
    text = (DOCUMENTS / SAMPLES["pingluo"]).read_text(encoding="utf-8")
    bad = text.replace("其中: 财政拨款\t13.49", "其中: 财政拨款\t12.49")
    full, incremental, delta = _step(
        site, tmp_path, ADDED, lambda: (site.docs / ADDED).write_text(bad, "utf-8")
    )
    _compare(full, incremental, delta)
    rec = next(r for r in incremental.results if r.rule_id == "REC-02")
    assert not rec.success and rec.unexpected_count == 1 and rec.documents == 1
    assert rec.examples[0].source_file == ADDED


def test_change_one_document(site, tmp_path):
    full, incremental, delta = _step(site, tmp_path, SAMPLES["pingluo"], site.change_pingluo)
    assert len(delta) == 2  # the old version's id goes, the new one's comes
    _compare(full, incremental, delta)
    # the unchanged added document's warning is still counted, from the kept per-document results
    rec = next(r for r in incremental.results if r.rule_id == "REC-02")
    assert rec.unexpected_count >= 1 and any(e.source_file == ADDED for e in rec.examples)


def test_remove_one_document(site, tmp_path):
    full, incremental, delta = _step(site, tmp_path, ADDED, lambda: (site.docs / ADDED).unlink())
    _compare(full, incremental, delta)
    rec = next(r for r in incremental.results if r.rule_id == "REC-02")
    assert all(e.source_file != ADDED for e in rec.examples)


def test_without_kept_results_the_gate_runs_in_full(site, tmp_path):
    layout = layout_for(site.warehouse, site.lake)
    empty = tmp_path / "empty.duckdb"
    report = run_gate(site.warehouse.resolve(), layout, record=False, documents={"x"}, base=empty)
    assert report.documents is None and any("every row validated" in n for n in report.notes)


BROKEN_ID = "bad0000000000002"


BROKEN_SEGMENT = "ffffffffffffffff000002"


def _write_broken_partition(site) -> None:
    """pingluo's raw rows as a new document with a NULL project key, in a segment no parser
    wrote, made live in the manifest by hand."""
    (src,) = _ids(site.warehouse.resolve(), SAMPLES["pingluo"])
    for table in ("raw_documents", "raw_projects", "raw_indicators", "raw_parse_issues", "raw_funding_cells"):
        rows = document_rows(site.lake, table, src).to_pylist()
        for r in rows:
            r["document_id"], r["source_file"] = BROKEN_ID, "broken_lake.txt"
        if table == "raw_projects":
            rows[0]["project_seq"] = None
        pq.write_table(
            pa.Table.from_pylist(rows, schema=RAW_TABLES[table]),
            segment_file(site.lake, table, BROKEN_SEGMENT),
        )
    write_live(site.lake, {**read_live(site.lake), BROKEN_ID: BROKEN_SEGMENT}, "by hand")


def test_a_critical_failure_in_a_changed_document_blocks(site):
    _write_broken_partition(site)
    layout = layout_for(site.warehouse, site.lake)
    full = check_lake(layout, record=False)
    incremental = check_lake(layout, record=False, documents={BROKEN_ID})
    assert incremental.documents == {BROKEN_ID}
    assert not full.passed and not incremental.passed
    want = {r.rule_id: r.unexpected_count for r in full.failed_critical}
    assert "KEY-04" in want
    assert {r.rule_id: r.unexpected_count for r in incremental.failed_critical} == want
    key = next(r for r in incremental.failed_critical if r.rule_id == "KEY-04")
    assert key.examples[0].source_file == "broken_lake.txt"
