"""The document registry and the incremental ingest, in process (no dbt): which documents are
parsed, what is retracted, and that a killed ingest can never leave the registry vouching for
Parquet that is not there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.schema import RAW_TABLES
from ingest.writer import segment_file
from jixiao import registry
from jixiao.landing import ingest_folder
from tests.conftest import DOCUMENTS, SAMPLES
from tests.lake_support import live_ids, rows_of, segment_path

NINGXIA, PINGLUO = SAMPLES["ningxia"], SAMPLES["pingluo"]


def _parts(lake: Path) -> set[str]:
    """Document ids with live rows in any raw table (what dbt reads)."""
    return live_ids(lake)


def _mtimes(lake: Path, doc_id: str) -> dict[str, int]:
    """The mtimes of the segment files holding a document's rows."""
    return {t: segment_path(lake, t, doc_id).stat().st_mtime_ns for t in RAW_TABLES}


@pytest.fixture
def folder(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in SAMPLES.values():
        (docs / name).write_bytes((DOCUMENTS / name).read_bytes())
    return docs


def _actions(report) -> dict[str, tuple[str, str]]:
    return {d.source_file: (d.action, d.status) for d in report.documents}


def test_first_ingest_loads_everything_and_second_parses_nothing(folder, tmp_path):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    assert _actions(first) == {NINGXIA: ("added", "loaded"), PINGLUO: ("added", "loaded")}
    ids = {d.document_id for d in first.documents}
    assert _parts(lake) == ids
    before = {i: _mtimes(lake, i) for i in ids}

    second = ingest_folder(folder, lake, run_id="r2")
    assert _actions(second) == {NINGXIA: ("unchanged", "loaded"), PINGLUO: ("unchanged", "loaded")}
    assert not second.lake_changed
    assert {i: _mtimes(lake, i) for i in ids} == before  # nothing rewritten
    assert second.registry.lake_fingerprint() == first.registry.lake_fingerprint()


def test_changed_document_replaces_its_rows_and_others_are_not_parsed(folder, tmp_path):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    old = {d.source_file: d.document_id for d in first.documents}
    untouched = _mtimes(lake, old[NINGXIA])

    text = (folder / PINGLUO).read_text(encoding="utf-8")
    (folder / PINGLUO).write_text(text.replace("13.49", "14.49"), encoding="utf-8")
    report = ingest_folder(folder, lake, run_id="r2")

    changed = next(d for d in report.documents if d.source_file == PINGLUO)
    assert (changed.action, changed.previous_document_id) == ("changed", old[PINGLUO])
    assert _parts(lake) == {old[NINGXIA], changed.document_id}  # earlier rows of the file are gone
    assert _mtimes(lake, old[NINGXIA]) == untouched
    assert report.registry.lake_fingerprint() != first.registry.lake_fingerprint()


def test_duplicate_rename_and_removal(folder, tmp_path):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    ids = {d.source_file: d.document_id for d in first.documents}

    (folder / "zz_copy.txt").write_bytes((folder / NINGXIA).read_bytes())
    dup = ingest_folder(folder, lake, run_id="r2")
    assert _actions(dup)["zz_copy.txt"] == ("duplicate", "duplicate")
    assert next(d for d in dup.documents if d.source_file == "zz_copy.txt").duplicate_of == NINGXIA
    assert _parts(lake) == set(ids.values())  # loaded once

    (folder / NINGXIA).rename(folder / "a_renamed.txt")
    (folder / PINGLUO).unlink()
    report = ingest_folder(folder, lake, run_id="r3")
    assert _actions(report) == {
        "a_renamed.txt": ("renamed", "loaded"),
        "zz_copy.txt": ("duplicate", "duplicate"),
        PINGLUO: ("removed", "removed"),
    }
    assert report.removed == [ids[PINGLUO]]
    assert _parts(lake) == {ids[NINGXIA]}

    names = [r["source_file"] for r in rows_of(lake, "raw_documents", ids[NINGXIA])]
    assert names == ["a_renamed.txt"]  # rows carry the file's current name


def test_quarantined_document_is_remembered_not_reparsed(folder, tmp_path, monkeypatch):
    """Whether a document is quarantined is parse_for_landing's call; the registry remembers it."""
    import jixiao.landing as landing

    real = landing.parse_for_landing
    calls = []

    def land(path, data, document_id):
        calls.append(path.name)
        if path.name == "broken.txt":
            return landing.DocumentOutcome(
                path.name, document_id, "quarantined", "test_reason", "unreadable"
            ), None
        return real(path, data, document_id)

    monkeypatch.setattr(landing, "parse_for_landing", land)
    lake = tmp_path / "lake"
    (folder / "broken.txt").write_bytes(b"\x00not a document")
    first = ingest_folder(folder, lake, run_id="r1")
    assert _actions(first)["broken.txt"][1] == "quarantined"
    assert sorted(calls) == sorted(["broken.txt", NINGXIA, PINGLUO])
    second = ingest_folder(folder, lake, run_id="r2")
    assert sorted(calls) == sorted(["broken.txt", NINGXIA, PINGLUO])  # nothing parsed again
    assert _actions(second)["broken.txt"] == ("unchanged", "quarantined")
    assert _parts(lake) == {d.document_id for d in first.documents if d.status == "loaded"}
    assert second.count("quarantined") == 1  # still reported (exit code 5), with its reason
    assert next(o for o in second.outcomes if o.source_file == "broken.txt").reason


def test_killed_ingest_leaves_no_false_claims(folder, tmp_path):
    """Simulate what SIGKILL can leave: a half-written segment the registry does not list, and a
    listed segment whose file was rewritten after the registry was written."""
    lake = tmp_path / "lake"
    (folder / NINGXIA).rename(folder / "a_first.txt")
    (folder / PINGLUO).unlink()
    ingest_folder(folder, lake, run_id="r0")  # a segment holding a_first.txt only
    (folder / PINGLUO).write_bytes((DOCUMENTS / PINGLUO).read_bytes())
    first = ingest_folder(folder, lake, run_id="r1")
    ids = {d.source_file: d.document_id for d in first.documents}
    assert segment_path(lake, "raw_projects", ids["a_first.txt"]) != segment_path(
        lake, "raw_projects", ids[PINGLUO]
    )

    orphan = Path(segment_file(lake, "raw_projects", "deadbeefdeadbeef"))
    orphan.write_bytes(b"half")
    (orphan.parent / ".part-x.tmp").write_bytes(b"tmp")
    altered = segment_path(lake, "raw_indicators", ids[PINGLUO])
    os.utime(altered, ns=(1, 1))

    reg = registry.load(lake)
    assert not reg.entries[ids[PINGLUO]].intact
    assert {e.document_id for e in reg.landed()} == {ids["a_first.txt"]}

    report = ingest_folder(folder, lake, run_id="r2")
    assert _actions(report)[PINGLUO] == ("repaired", "loaded")
    assert _actions(report)["a_first.txt"] == ("unchanged", "loaded")
    assert _parts(lake) == set(ids.values())
    assert not orphan.exists() and not (orphan.parent / ".part-x.tmp").exists()  # swept
    assert all(e.intact for e in registry.load(lake).entries.values())


def test_missing_part_file_is_not_trusted(folder, tmp_path):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    doc = first.documents[0].document_id
    segment_path(lake, "raw_projects", doc).unlink()
    assert doc not in {e.document_id for e in registry.load(lake).landed()}


def test_unreadable_registry_is_rebuilt_from_the_lake(folder, tmp_path):
    lake = tmp_path / "lake"
    ingest_folder(folder, lake, run_id="r1")
    (lake / registry.REGISTRY_FILE).write_text("{not json", encoding="utf-8")
    report = ingest_folder(folder, lake, run_id="r2")
    # recovered from the partitions, then parsed again once (the parser that landed them is unknown)
    assert {a for a, _ in _actions(report).values()} == {"reparsed"}
    assert (
        json.loads((lake / registry.REGISTRY_FILE).read_text(encoding="utf-8"))["format"]
        == registry.REGISTRY_FORMAT
    )


def test_parser_change_reparses(folder, tmp_path):
    lake = tmp_path / "lake"
    ingest_folder(folder, lake, run_id="r1")
    reg = registry.load(lake)
    plan = registry.plan(registry.scan(folder), reg, parser="something-else")
    assert {d.action for d in plan.documents} == {"reparsed"}


def _quarantine_marked(monkeypatch):
    """parse_for_landing decides quarantine; here any content with BROKEN in it is quarantined."""
    import jixiao.landing as landing

    real = landing.parse_for_landing

    def land(path, data, document_id):
        if b"BROKEN" in data:
            return landing.DocumentOutcome(
                path.name, document_id, "quarantined", "test_reason", "broken"
            ), None
        return real(path, data, document_id)

    monkeypatch.setattr(landing, "parse_for_landing", land)


def test_bad_new_version_keeps_the_last_good_rows(folder, tmp_path, monkeypatch):
    _quarantine_marked(monkeypatch)
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    ids = {d.source_file: d.document_id for d in first.documents}
    good = (folder / PINGLUO).read_bytes()

    (folder / PINGLUO).write_bytes(good + b"\nBROKEN\n")
    bad = ingest_folder(folder, lake, run_id="r2")
    rec = next(d for d in bad.documents if d.source_file == PINGLUO)
    assert (rec.action, rec.status, rec.previous_version_kept, rec.previous_document_id) == (
        "changed",
        "quarantined",
        True,
        ids[PINGLUO],
    )
    assert _parts(lake) == set(ids.values())  # the last good version is still in the lake
    assert not bad.lake_changed

    again = ingest_folder(folder, lake, run_id="r3")  # still bad: still kept, not parsed
    rec = next(d for d in again.documents if d.source_file == PINGLUO)
    assert (rec.action, rec.status, rec.previous_version_kept) == ("unchanged", "quarantined", True)
    assert _parts(lake) == set(ids.values())

    (folder / PINGLUO).write_bytes(good.replace(b"13.49", b"14.49"))  # a sound version
    fixed = ingest_folder(folder, lake, run_id="r4")
    rec = next(d for d in fixed.documents if d.source_file == PINGLUO)
    assert (rec.action, rec.status) == ("changed", "loaded")
    assert _parts(lake) == {ids[NINGXIA], rec.document_id}

    (folder / PINGLUO).write_bytes(b"BROKEN")
    ingest_folder(folder, lake, run_id="r5")
    (folder / PINGLUO).unlink()  # removing the file retracts even a kept version
    gone = ingest_folder(folder, lake, run_id="r6")
    assert _actions(gone)[PINGLUO] == ("removed", "removed")
    assert _parts(lake) == {ids[NINGXIA]}


def test_unreadable_file_is_reported_not_fatal(folder, tmp_path, monkeypatch):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    ids = {d.source_file: d.document_id for d in first.documents}
    import jixiao.reading as reading

    real_open = reading.os.open

    def open_(path, *a, **kw):
        if Path(path).name == PINGLUO:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **kw)

    monkeypatch.setattr(reading.os, "open", open_)
    report = ingest_folder(folder, lake, run_id="r2")
    rec = next(d for d in report.documents if d.source_file == PINGLUO)
    assert (rec.action, rec.status, rec.reason_code, rec.previous_version_kept) == (
        "unreadable",
        "quarantined",
        "permission_denied",
        True,
    )
    assert rec.reason.startswith(f"{PINGLUO}：没有读取权限")
    assert report.count("quarantined") == 1
    assert _parts(lake) == set(ids.values())


def test_the_same_text_in_another_encoding_is_a_duplicate(folder, tmp_path):
    lake = tmp_path / "lake"
    first = ingest_folder(folder, lake, run_id="r1")
    text = (folder / PINGLUO).read_text(encoding="utf-8")
    resaved = "\ufeff" + text.replace("\n", "\r\n") + "\r\n\r\n"
    (folder / "zz_gb18030.txt").write_bytes(resaved.encode("gb18030"))
    report = ingest_folder(folder, lake, run_id="r2")
    record = next(d for d in report.documents if d.source_file == "zz_gb18030.txt")
    assert (record.action, record.duplicate_of) == ("duplicate", PINGLUO)
    assert "编码、换行符" in record.reason  # not byte-identical: the reason says what differs
    assert record.document_id == next(d.document_id for d in first.documents if d.source_file == PINGLUO)
    assert _parts(lake) == {d.document_id for d in first.documents}  # loaded once


def test_a_name_that_is_not_utf8_is_escaped_and_kept_as_bytes(folder, tmp_path):
    raw = "平罗".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
        fh.write((folder / PINGLUO).read_bytes().replace(b"13.49", b"14.49"))
    lake = tmp_path / "lake"
    report = ingest_folder(folder, lake, run_id="r1")
    shown = raw.decode("utf-8", "backslashreplace")
    # c6 bd happens to be valid UTF-8 (U+01BD); c2 de is not (de is no continuation byte)
    assert shown == "\u01bd\\xc2\\xde.txt"
    assert _actions(report)[shown] == ("added", "loaded")
    saved = json.loads((lake / "registry.json").read_text(encoding="utf-8"))["documents"]
    entry = next(e for e in saved.values() if e["source_file"] == shown)
    assert bytes.fromhex(entry["source_name_hex"]) == raw


def test_a_document_rule_threshold_is_part_of_the_parser_fingerprint(tmp_path, monkeypatch):
    """Editing a verdict's threshold in the catalogue re-judges every document."""
    from ingest import catalogue

    before = registry.parser_fingerprint()
    edited = tmp_path / "rules.csv"
    text = catalogue.CATALOGUE.read_text(encoding="utf-8")
    assert ",label_coverage_low,document,critical,ingest,document,document,0.8," in text
    edited.write_text(
        text.replace(
            ",label_coverage_low,document,critical,ingest,document,document,0.8,",
            ",label_coverage_low,document,critical,ingest,document,document,0.7,",
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogue, "CATALOGUE", edited)
    catalogue.rules.cache_clear()
    try:
        assert registry.parser_fingerprint() != before
    finally:
        monkeypatch.undo()
        catalogue.rules.cache_clear()
    assert registry.parser_fingerprint() == before
