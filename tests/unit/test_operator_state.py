"""Lost or corrupt state heals, and nothing but a document's own short text leaves the document
pipeline: in process, no dbt (faults 4, 5, 6, 7 and the escaping of fault 9)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from jixiao import registry, runlog
from jixiao.landing import ingest_folder
from tests.conftest import DOCUMENTS, SAMPLES
from tests.lake_support import segment_path

NINGXIA, PINGLUO = SAMPLES["ningxia"], SAMPLES["pingluo"]
NOT_A_TABLE = "这不是绩效目标表，只是一段说明文字。\n第二行。\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in SAMPLES.values():
        (docs / name).write_bytes((DOCUMENTS / name).read_bytes())
    return docs


def _record(report, name: str):
    return next(d for d in report.documents if d.source_file == name)


def test_lost_registry_keeps_the_last_good_rows_of_a_quarantined_file(folder, tmp_path):
    """Fault 4: registry.json lost while a file's current version is quarantined."""
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    good_id = _record(first, PINGLUO).document_id
    (folder / PINGLUO).write_text(NOT_A_TABLE, encoding="utf-8")
    (lake / registry.REGISTRY_FILE).unlink()

    report = ingest_folder(folder, lake, run_id="r2")
    rec = _record(report, PINGLUO)
    assert rec.status == "quarantined"
    assert rec.previous_version_kept and rec.previous_document_id == good_id
    assert good_id in {e.document_id for e in registry.load(lake).landed()}
    assert segment_path(lake, "raw_projects", good_id).exists()


def test_lake_part_altered_in_place_is_not_trusted(folder, tmp_path):
    """Fault 6: same size, same mtime, other bytes: the recorded sha256 is checked."""
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    doc = _record(first, PINGLUO).document_id
    part = segment_path(lake, "raw_projects", doc)
    st = part.stat()
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    os.utime(part, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (part.stat().st_size, part.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)

    assert not registry.load(lake).entries[doc].intact
    again = ingest_folder(folder, lake, run_id="r2")
    assert _record(again, PINGLUO).action == registry.REPAIRED
    assert registry.load(lake).entries[doc].intact


def test_symlink_out_of_the_folder_is_refused_unread(folder, tmp_path):
    """Fault 7: a link to a secrets file is refused with a reason, and no byte of it is quoted."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-4711 password=hunter2\n", encoding="utf-8")
    (folder / "shadow.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / NINGXIA)  # a link within the folder is a document
    lake = tmp_path / "lake"
    report = ingest_folder(folder, lake, run_id="r1")
    rec = _record(report, "shadow.txt")
    assert (rec.status, rec.reason_code) == ("quarantined", "symlink_outside_folder")
    assert _record(report, "inside.txt").status in ("loaded", "loaded_with_warnings", "duplicate")
    everything = json.dumps([vars(d) for d in report.documents], ensure_ascii=False)
    everything += (lake / registry.REGISTRY_FILE).read_text(encoding="utf-8")
    assert "SECRET" not in everything and "hunter2" not in everything


def test_reasons_quote_a_short_escaped_prefix(folder, tmp_path):
    """Fault 7: a reason quotes at most ~40 characters of the text, control characters escaped."""
    (folder / "notes.txt").write_text("\x1b[31m" + "机密" * 100 + "\n", encoding="utf-8")
    report = ingest_folder(folder, tmp_path / "lake", run_id="r1")
    from jixiao import escape

    reason = _record(report, "notes.txt").reason
    assert "\x1b" not in reason
    quoted = reason.split("「", 1)[1].split("」", 1)[0]
    assert len(quoted) <= escape.QUOTE_LIMIT + 1


def test_corrupt_run_history_file_is_moved_aside(tmp_path):
    """Fault 5: one corrupt history Parquet file must not stop write_ops."""
    lake = tmp_path / "lake"
    earlier = runlog.Run.start(tmp_path, tmp_path / "w.duckdb")
    earlier.finish("no_change", 0, "ok")
    runlog.write_history(lake, earlier)
    bad = runlog.history_dir(lake, "runs") / "20000101T000000000000Z-1.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    run = runlog.Run.start(tmp_path, warehouse)
    run.finish("published", 0, "published")
    runlog.write_ops(warehouse, lake, run, [], {"run_id": run.run_id})
    assert not bad.exists()
    assert (lake / "history" / "corrupt" / "runs" / bad.name).exists()
    con = duckdb.connect(str(warehouse), read_only=True)
    assert {r for (r,) in con.execute("select run_id from ops.runs").fetchall()} == {
        earlier.run_id,
        run.run_id,
    }
    con.close()
    assert [r["run_id"] for r in runlog.read_runs(lake)] == [earlier.run_id]  # readers skip it too
    assert pq.read_table(runlog.history_files(lake, "runs")[0]).num_rows == 1


def test_escape_helpers():
    from jixiao import escape

    assert escape.terminal("a\x1b[2Jb\rc\nd") == "a\\x1b[2Jb\\x0dc\nd"
    assert escape.one_line("a\nb") == "a\\x0ab"
    assert escape.sql_literal("it's") == "'it''s'"
    assert escape.glob_literal("/w/it's [ab]/*?") == "/w/it's [[]ab]/[*][?]"
    assert escape.html('"><svg onload=alert(2)>') == "&quot;&gt;&lt;svg onload=alert(2)&gt;"
