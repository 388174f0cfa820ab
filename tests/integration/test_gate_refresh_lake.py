"""A refresh whose raw rows are broken (a NULL key, an orphan indicator) stops at the lake
check before dbt: exit 3, the rule ids and source lines reported, nothing published."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import jixiao.landing as landing
from ingest.records import to_records
from jixiao import exitcodes
from jixiao.paths import layout_for
from jixiao.refresh import refresh
from tests.conftest import DOCUMENTS, SAMPLES

pytestmark = pytest.mark.slow


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_broken_raw_rows_fail_before_the_build(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in SAMPLES.values():
        shutil.copy(DOCUMENTS / name, docs / name)
    layout = layout_for(tmp_path / "out" / "jixiao.duckdb", None)
    first = refresh(docs, layout)
    assert first.exit_code == exitcodes.PUBLISHED and first.published
    served = _digest(layout.warehouse)

    def broken_records(parsed, **kw):
        records = to_records(parsed, **kw)
        records["raw_indicators"][0]["project_seq"] = None  # a NULL key
        records["raw_indicators"][1]["project_seq"] = 999  # an indicator without a project
        return records

    monkeypatch.setattr(landing, "to_records", broken_records)
    # new content (a blank line more would be the same document: identity is the text)
    (docs / SAMPLES["pingluo"]).write_text(
        (DOCUMENTS / SAMPLES["pingluo"]).read_text(encoding="utf-8").replace("13.49", "14.49"), encoding="utf-8"
    )
    second = refresh(docs, layout)
    assert second.exit_code == exitcodes.GATE_FAILED
    assert not second.published
    assert "build" not in second.timings  # stopped before dbt
    failed = {r.rule_id for r in second.gate.failed_critical}
    assert {"KEY-08", "REL-02"} <= failed, failed  # raw_indicators.project_seq NULL; orphan row
    examples = [e for r in second.gate.failed_critical for e in r.examples]
    assert any(e.source_file == SAMPLES["pingluo"] and e.source_line == 16 for e in examples)
    assert _digest(layout.warehouse) == served
    assert not layout.next_warehouse.exists()
