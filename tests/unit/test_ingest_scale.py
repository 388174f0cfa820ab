"""Ingest that costs what changed (issue 12): the pool lands exactly what one process lands, an
unchanged folder is a stat per file, and a rewritten part is caught without hashing every part."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.schema import RAW_TABLES
from jixiao import lakestate, landing, reading, registry
from jixiao.landing import ingest_folder
from jixiao.synth import generate_corpus
from tests.lake_support import live_rows, segment_path

N = landing.PARALLEL_FROM + 2  # enough documents for the worker pool


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("corpus")
    for doc in generate_corpus(N, seed=12):
        (docs / doc.file_name).write_text(doc.text, encoding="utf-8")
    return docs


def _rows(lake: Path, table: str) -> list[dict]:
    return live_rows(lake, table)


def test_the_pool_lands_what_one_process_lands(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv(landing.WORKERS_ENV, "2")
    pooled = ingest_folder(corpus, tmp_path / "pooled", run_id="r1")
    monkeypatch.setenv(landing.WORKERS_ENV, "1")
    alone = ingest_folder(corpus, tmp_path / "alone", run_id="r1")
    assert pooled.count_status("loaded") + pooled.count_status("loaded_with_warnings") == N
    assert [(d.source_file, d.status, d.rows) for d in pooled.documents] == [
        (d.source_file, d.status, d.rows) for d in alone.documents
    ]
    for table in RAW_TABLES:
        assert _rows(tmp_path / "pooled", table) == _rows(tmp_path / "alone", table), table
    assert all(e.intact for e in registry.load(tmp_path / "pooled").entries.values())
    for table in RAW_TABLES:  # one batch, one segment: one file per table (beside the schema file)
        assert len(list((tmp_path / "pooled" / "raw" / table).glob("seg-*.parquet"))) == 2


def _counting_reads(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = reading.read_document

    def counted(path, *args, **kwargs):
        calls.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reading, "read_document", counted)
    return calls


def test_an_unchanged_file_is_not_read_again(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "SCAN_CACHE_SETTLED_NS", 0)
    docs = tmp_path / "docs"
    docs.mkdir()
    names = sorted(p.name for p in corpus.glob("*.txt"))[:3]
    for name in names:
        (docs / name).write_bytes((corpus / name).read_bytes())
    cache: dict[str, list] = {}
    first = registry.scan(docs, cache=cache)
    assert len(cache) == 3
    calls = _counting_reads(monkeypatch)
    assert registry.scan(docs, cache=cache) == first
    assert calls == []
    # same size, mtime put back: the ctime still moves, so the file is read again
    victim = docs / names[0]
    st = victim.stat()
    data = bytearray(victim.read_bytes())
    data[-2] = ord("X")
    victim.write_bytes(bytes(data))
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = registry.scan(docs, cache=cache)
    assert calls == [names[0]]
    assert again[0].content_sha256 != first[0].content_sha256
    assert again[1:] == first[1:]


def test_a_file_written_just_now_is_not_cached(tmp_path):
    """A second write in the same timestamp tick could keep the stat: such a file is re-read."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("x\n", encoding="utf-8")
    cache: dict[str, list] = {}
    registry.scan(docs, cache=cache)
    assert cache == {}


def test_the_lake_fingerprint_sees_a_part_rewritten_in_place(corpus, tmp_path):
    lake = tmp_path / "lake"
    report = ingest_folder(corpus, lake, run_id="r1")
    before = lakestate.lake_fingerprint(lake, report.registry)
    assert lakestate.lake_fingerprint(lake) == before  # the same from the registry on disk
    doc = report.registry.landed()[0].document_id
    part = segment_path(lake, "raw_indicators", doc)
    st = part.stat()
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    os.utime(part, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert lakestate.lake_fingerprint(lake, report.registry) != before
    assert not registry.load(lake).entries[doc].intact


def test_a_moved_lake_is_trusted_after_one_hash_and_keeps_its_fingerprint(corpus, tmp_path):
    import shutil

    lake = tmp_path / "lake"
    report = ingest_folder(corpus, lake, run_id="r1")
    before = lakestate.lake_fingerprint(lake, report.registry)
    moved = tmp_path / "moved"
    shutil.copytree(lake, moved)  # copy2 keeps size and mtime; ctime and inode are new
    reg = registry.load(moved)
    assert all(e.intact for e in reg.entries.values()) and reg.restated
    assert lakestate.lake_fingerprint(moved, reg) == before
    again = ingest_folder(corpus, moved, run_id="r2")  # records the new stats
    assert again.count_action(registry.UNCHANGED) == N
    assert not registry.load(moved).restated
