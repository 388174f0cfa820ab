"""The lake layout (segments + manifest), in process without the parser: the one definition of
the live rows, segment cutting and order, the compaction policy, and (hypothesis) that any
sequence of landings, replacements and retractions leaves exactly the expected live rows, in a
bounded number of files, recoverable without the registry."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.schema import RAW_TABLES
from ingest.writer import (
    SCHEMA_SEGMENT,
    SegmentBatch,
    ensure_schema_segments,
    live_rows_sql,
    read_live,
    segment_file,
    segment_ids,
)
from jixiao import lakestate, registry
from tests.conftest import ROOT
from tests.lake_support import live_rows

ENV_LAKE = "{{ env_var('JIXIAO_LAKE', 'build/lake') }}"


def test_dbt_sources_read_the_one_definition_of_live_rows():
    sources = yaml.safe_load((ROOT / "models" / "staging" / "_sources.yml").read_text(encoding="utf-8"))
    location = sources["sources"][0]["meta"]["external_location"]
    assert location == live_rows_sql(ENV_LAKE, "{name}")


def _tables(document_id: str, version: int, lines: int = 2) -> dict[str, pa.Table]:
    """A document's rows: ``lines`` rows per table, each naming the version in its source file."""
    out = {}
    for table, schema in RAW_TABLES.items():
        rows = [
            {"document_id": document_id, "source_file": f"{document_id}.v{version}.txt", "source_line": line}
            for line in range(lines, 0, -1)
        ]
        if "source_line" not in schema.names:
            rows = rows[:1]
            for r in rows:
                r.pop("source_line")
        out[table] = pa.Table.from_pylist(rows, schema=schema)
    return out


def _entry(document_id: str, version: int, segment: str) -> registry.Entry:
    return registry.Entry(
        document_id=document_id,
        content_sha256=f"{document_id}{version}",
        source_file=f"{document_id}.txt",
        byte_size=1,
        status="loaded",
        parser="p",
        segment=segment,
    )


def _land(lake: Path, reg: registry.Registry, docs: dict[str, int], retract: set[str], per_segment: int):
    batch = SegmentBatch(lake, limit_documents=per_segment)
    landed = {d: _entry(d, v, batch.add(d, _tables(d, v))) for d, v in sorted(docs.items())}
    segments = {w.segment: registry.written_segment(lake, w) for w in batch.close()}
    return lakestate.commit(lake, reg, retract, landed, segments)


def test_segments_are_cut_and_sorted(tmp_path):
    ensure_schema_segments(tmp_path)
    batch = SegmentBatch(tmp_path, limit_documents=2)
    seen = [batch.add(d, _tables(d, 1, lines=3)) for d in ("c", "a", "b")]
    written = batch.close()
    assert [w.documents for w in written] == [["c", "a"], ["b"]]
    assert seen == [written[0].segment, written[0].segment, written[1].segment]
    rows = pq.read_table(segment_file(tmp_path, "raw_indicators", written[0].segment)).to_pylist()
    assert [(r["document_id"], r["source_line"]) for r in rows] == [(d, n) for d in "ac" for n in (1, 2, 3)]


def _reg(counts: dict[str, tuple[int, int]]) -> registry.Registry:
    """Segments with (documents written, live documents)."""
    entries, segments = {}, {}
    for segment, (written, live) in counts.items():
        segments[segment] = registry.Segment({}, written)
        for n in range(live):
            doc = f"{segment}-{n}"
            entries[doc] = _entry(doc, 1, segment)
    return registry.Registry(entries, segments)


def test_compaction_policy():
    assert lakestate.compaction_candidates(_reg({"a": (256, 256), "b": (256, 128)})) == []
    assert lakestate.compaction_candidates(_reg({"a": (256, 256), "b": (256, 127)})) == ["b"]
    few_small = {f"s{i:02d}": (1, 1) for i in range(16)}
    assert lakestate.compaction_candidates(_reg(few_small)) == []
    many_small = {**few_small, "s16": (1, 1), "big": (256, 250)}
    assert lakestate.compaction_candidates(_reg(many_small)) == sorted(f"s{i:02d}" for i in range(17))


DOCS = st.sampled_from([f"d{i}" for i in range(12)])
STEP = st.tuples(st.dictionaries(DOCS, st.integers(1, 3), max_size=8), st.sets(DOCS, max_size=4))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=8), per_segment=st.integers(1, 4))
def test_any_history_leaves_exactly_the_live_rows(tmp_path_factory, steps, per_segment):
    lake = tmp_path_factory.mktemp("lake")
    ensure_schema_segments(lake)
    reg, expected = registry.Registry(), {}
    for docs, retract in steps:
        retract = retract - set(docs)
        reg = _land(lake, reg, docs, retract, per_segment)
        expected = {d: v for d, v in {**expected, **docs}.items() if d not in retract}
        for table in RAW_TABLES:
            got = sorted((r["document_id"], r["source_file"]) for r in live_rows(lake, table))
            per_doc = 2 if "source_line" in RAW_TABLES[table].names else 1
            assert got == sorted((d, f"{d}.v{v}.txt") for d, v in expected.items() for _ in range(per_doc))
        assert read_live(lake) == reg.live()
        live_segments = set(reg.live().values())
        assert set(segment_ids(lake)) == live_segments  # nothing dead left on disk
        assert (
            len(live_segments)
            <= lakestate.COMPACT_MAX_SMALL + len(expected) // lakestate.COMPACT_SMALL_DOCUMENTS + 1
        )
        assert all(n >= 0.5 * reg.segments[s].documents for s, n in reg.live_counts().items())
    (lake / registry.REGISTRY_FILE).unlink(missing_ok=True)  # never saved when nothing landed
    rebuilt = registry.load(lake)
    assert rebuilt.live() == reg.live()
    assert {d: e.source_file for d, e in rebuilt.entries.items()} == {
        d: f"{d}.v{v}.txt" for d, v in expected.items()
    }


def test_lost_manifest_and_registry_keep_the_newest_version(tmp_path):
    ensure_schema_segments(tmp_path)
    reg = _land(tmp_path, registry.Registry(), {"a": 1, "b": 1}, set(), 4)
    reg = _land(tmp_path, reg, {"a": 2}, set(), 4)  # the first segment stays (b is live in it)
    assert len(segment_ids(tmp_path)) == 2
    (tmp_path / registry.REGISTRY_FILE).unlink()
    (tmp_path / "raw" / "_live.parquet").unlink()
    rebuilt = registry.load(tmp_path)
    assert {d: e.source_file for d, e in rebuilt.entries.items()} == {"a": "a.v2.txt", "b": "b.v1.txt"}


def test_fingerprint_sees_a_manifest_edit(tmp_path):
    ensure_schema_segments(tmp_path)
    reg = _land(tmp_path, registry.Registry(), {"a": 1, "b": 1}, set(), 4)
    before = lakestate.lake_fingerprint(tmp_path, reg)
    assert lakestate.lake_fingerprint(tmp_path) == before
    from ingest.writer import write_live

    write_live(tmp_path, {"a": reg.live()["a"]}, reg.live_digest())  # b hidden by hand
    assert lakestate.lake_fingerprint(tmp_path, reg) != before
    assert registry.publish_manifest(tmp_path, reg)  # the registry is the truth: the manifest is rewritten
    assert lakestate.lake_fingerprint(tmp_path, reg) == before
    assert SCHEMA_SEGMENT not in segment_ids(tmp_path)


def test_old_layout_is_migrated_without_losing_rows(tmp_path):
    """A lake of one folder per document, its registry lost: every complete folder is kept."""
    from ingest.writer import old_part_file, write_table_atomic

    for doc in ("a", "b"):
        for table, rows in _tables(doc, 1).items():
            write_table_atomic(old_part_file(tmp_path, table, doc), rows)
    write_table_atomic(old_part_file(tmp_path, "raw_documents", "half"), _tables("half", 1)["raw_documents"])
    ensure_schema_segments(tmp_path)
    assert lakestate.migrate_old_layout(tmp_path)
    reg = registry.load(tmp_path)
    assert sorted(reg.live()) == ["a", "b"]
    assert not list((tmp_path / "raw" / "raw_documents").glob("document_id=*"))
    assert sorted({r["document_id"] for r in live_rows(tmp_path, "raw_indicators")}) == ["a", "b"]


def test_old_layout_with_its_registry_keeps_what_the_registry_knew(tmp_path):
    """Format-1 registry: its landed entries move into segments unchanged (not re-parsed), its
    quarantined ones stay recorded, and a folder it never vouched for is dropped."""
    import json

    from ingest.writer import old_part_file, write_table_atomic

    for doc in ("a", "orphan"):
        for table, rows in _tables(doc, 1).items():
            write_table_atomic(old_part_file(tmp_path, table, doc), rows)
    landed = {**_entry("a", 1, "").to_json(), "parser": "old-parser", "parts": {"raw_documents": [1, 2, "x"]}}
    landed.pop("segment")
    bad = {**_entry("q", 1, "").to_json(), "status": "quarantined", "reason_code": "r"}
    bad.pop("segment")
    body = {"format": 1, "documents": {"a": landed, "q": bad}}
    (tmp_path / registry.REGISTRY_FILE).write_text(json.dumps(body), encoding="utf-8")
    ensure_schema_segments(tmp_path)
    assert lakestate.migrate_old_layout(tmp_path)
    reg = registry.load(tmp_path)
    assert sorted(reg.live()) == ["a"] and reg.entries["a"].parser == "old-parser"
    assert reg.entries["q"].status == "quarantined"
    assert sorted({r["document_id"] for r in live_rows(tmp_path, "raw_projects")}) == ["a"]
    assert not lakestate.migrate_old_layout(tmp_path)  # nothing left to move
