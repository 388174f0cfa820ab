"""The lake suites of the self-evaluation tables: a real ``jixiao ingest`` of the three
self-evaluation fixtures passes them; a lake with a broken self-evaluation document (a duplicated
key, an orphan indicator row, a funding line outside its document, a missing printed target, a
negative score) fails them with the rule ids, naming the file and the line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.schema import RAW_TABLES
from ingest.writer import document_rows, read_live, segment_file, write_live
from jixiao import exitcodes
from jixiao.gate import check_lake
from jixiao.paths import layout_for

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
FIXTURES = (
    "selfeval_sichuan_2022_county.txt",
    "selfeval_beijing_2016_street.txt",
    "selfeval_transfer_2023_county.txt",
)
XIUNING = "selfeval_transfer_2023_county.txt"
SUITES = ("raw_self_evaluation_projects", "raw_self_evaluation_funding", "raw_self_evaluation_indicators")
NEW_RULES = {
    "KEY-14", "KEY-15", "KEY-16", "UNQ-04", "UNQ-05", "UNQ-06", "LIN-04", "LIN-05", "LIN-06", "LIN-07",
    "LIN-08", "REL-06", "REL-07", "REL-08", "RNG-04", "RNG-05", "RNG-06",
}  # fmt: skip
BROKEN_ID = "bad0000000000003"
BROKEN_SEGMENT = "ffffffffffffffff000003"
BROKEN_FILE = "broken_selfeval.txt"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    work = tmp_path_factory.mktemp("selfeval_lake")
    docs = work / "docs"
    docs.mkdir()
    for name in FIXTURES:
        (docs / name).write_bytes((WILD / name).read_bytes())
    warehouse, lake = work / "out" / "jixiao.duckdb", work / "lake"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "GX_ANALYTICS_ENABLED": "False"}
    proc = subprocess.run(
        [JIXIAO, "ingest", "--documents", str(docs), "--warehouse", str(warehouse), "--lake", str(lake)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == exitcodes.PUBLISHED, proc.stdout + proc.stderr
    return warehouse, lake


def _results(report) -> dict[str, object]:
    return {r.rule_id: r for r in report.results}


def test_the_self_evaluation_lake_passes_its_suites(ingested):
    warehouse, lake = ingested
    report = check_lake(layout_for(warehouse, lake), record=False)
    assert report.passed, [(r.rule_id, r.unexpected_count) for r in report.failed_critical]
    results = _results(report)
    assert set(results) >= NEW_RULES
    assert all(results[rule].success for rule in NEW_RULES), [r for r in NEW_RULES if not results[r].success]


def _break(lake: Path) -> None:
    """The 休宁 document's raw rows as a new document in a segment no parser wrote, made live in
    the manifest by hand, with one fault per rule."""
    (source,) = [d for d, _ in read_live(lake).items() if _source_file(lake, d) == XIUNING]
    rows = {
        table: document_rows(lake, table, source).to_pylist()
        for table in (
            "raw_documents",
            *(f"raw_self_evaluation_{t}" for t in ("projects", "funding", "indicators")),
        )
    }
    for table_rows in rows.values():
        for r in table_rows:
            r["document_id"], r["source_file"] = BROKEN_ID, BROKEN_FILE
    indicators = rows["raw_self_evaluation_indicators"]
    indicators.append(dict(indicators[0]))  # UNQ-06: project 1, indicator 1 twice
    indicators[1]["project_seq"] = 9  # REL-08: no self-evaluated project 9
    indicators[2]["target_text"] = None  # LIN-07: the printed target lost
    indicators[3]["score"] = -1  # RNG-06: a negative score (a warning: kept and listed)
    rows["raw_self_evaluation_funding"][0]["source_line"] = 999  # LIN-05: the document has 24 lines
    for table, table_rows in rows.items():
        pq.write_table(
            pa.Table.from_pylist(table_rows, schema=RAW_TABLES[table]),
            segment_file(lake, table, BROKEN_SEGMENT),
        )
    write_live(lake, {**read_live(lake), BROKEN_ID: BROKEN_SEGMENT}, "by hand")


def _source_file(lake: Path, document_id: str) -> str:
    (row,) = document_rows(lake, "raw_documents", document_id).to_pylist()
    return row["source_file"]


def test_a_broken_self_evaluation_lake_fails_with_the_rule_ids(ingested, tmp_path):
    warehouse, lake = ingested
    broken = tmp_path / "lake"
    shutil.copytree(lake, broken)
    _break(broken)
    report = check_lake(layout_for(warehouse, broken), record=False)
    assert not report.passed
    failed = {r.rule_id: r for r in report.failed_critical}
    assert {"UNQ-06", "REL-08", "LIN-05", "LIN-07"} <= set(failed)
    assert failed["REL-08"].unexpected_count == 1 and failed["LIN-07"].unexpected_count == 1
    assert failed["UNQ-06"].unexpected_count == 2  # both rows of the repeated key
    (example,) = failed["LIN-05"].examples
    assert (example.source_file, example.source_line) == (BROKEN_FILE, 999)
    assert failed["REL-08"].examples[0].source_file == BROKEN_FILE
    warning = _results(report)["RNG-06"]
    assert not warning.success and warning.severity == "warning" and "RNG-06" not in failed
    # the rules of the good documents' rows and of the other tables still pass
    results = _results(report)
    assert all(
        results[r].success for r in ("KEY-14", "KEY-15", "KEY-16", "UNQ-04", "UNQ-05", "REL-06", "REL-07")
    )
