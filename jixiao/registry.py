"""The document registry: which documents of the folder are new, changed, renamed, removed,
unchanged or duplicates, keyed by content hash.

The registry is one JSON file in the lake (``<lake>/registry.json``), replaced atomically. It is
the lake's table of contents and the one source of truth of which rows are live: each landed
entry names the segment holding its rows (``ingest.writer``), and each segment is recorded once
(the size, mtime and hash of its file per raw table). A document's rows count only if the
registry lists it as landed *and* its segment's files still have the recorded stats; the
manifest dbt reads (``raw/_live.parquet``) is written from it (:func:`publish_manifest`). So:

- the registry is written only after new segments are durably on disk (one ``syncfs``), and
  the manifest after the registry; old segments are deleted last (:func:`sweep`);
- anything in ``<lake>/raw`` the registry does not account for (a killed run's segment, a
  segment with no live document left, a temp file) is garbage, removed by :func:`sweep` before
  dbt reads the lake;
- an entry whose segment no longer matches what was recorded (a killed run, a hand edit) is not
  trusted: it is landed again.

A document's id is the first 16 hex digits of the sha256 of its *content*: the decoded text
without line-ending style, trailing white space and blank lines (``ingest.decode.identity_text``).
So the same document under two names, in another encoding, with CRLF, a BOM or extra blank lines
is one document (loaded once, under the first name in sort order; the others are duplicates),
and an edited file is a new document that replaces its earlier rows. Bytes that do not decode
keep the hash of their bytes (they are quarantined anyway). Decoding is paid once per new byte
content: the registry remembers which bytes gave which id.

File names that are not valid UTF-8 (a GBK name unpacked from a Windows zip) are shown escaped
(``\\xc6\\xbd.txt``) wherever a name is stored or printed, and kept losslessly as hex bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest import PARSER_VERSION
from ingest.decode import DecodeError, decode_bytes, identity_text
from ingest.schema import RAW_TABLES
from ingest.writer import (
    OLD_PREFIX,
    RAW_DIR,
    SCHEMA_SEGMENT,
    WrittenSegment,
    fsync_dir,
    live_digest,
    read_live,
    segment_file,
    segment_of,
    write_live,
)

REGISTRY_FILE = "registry.json"
REGISTRY_FORMAT = 2  # 1: one folder per document (migrated by jixiao.lakestate.migrate_old_layout)
SCAN_CACHE_FILE = "scan_cache.json"
SCAN_CACHE_SETTLED_NS = 2_000_000_000  # a file changed this recently is read again next time
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".xlsx", ".xls")
LANDED = ("loaded", "loaded_with_warnings")

# What a refresh does with each file of the folder (ops.run_documents.action).
ADDED = "added"  # content never seen, under a name never seen
CHANGED = "changed"  # a known name with new content: its earlier rows are replaced
RENAMED = "renamed"  # known content under another name: landed again so rows carry the new name
REPARSED = "reparsed"  # known content, but the parser changed since it was landed
REPAIRED = "repaired"  # known content whose Parquet was missing or altered (e.g. a killed run)
RETRIED = "retried"  # known content that failed with an error last time
UNCHANGED = "unchanged"  # known content, same name, same parser: not parsed
DUPLICATE = "duplicate"  # same content as another file of the folder: loaded once, not twice
REMOVED = "removed"  # in the registry, no longer in the folder: rows retracted
UNREADABLE = "unreadable"  # the file could not be read at all (permissions, vanished): not loaded
NEEDS_LANDING = (ADDED, CHANGED, RENAMED, REPARSED, REPAIRED, RETRIED)


# --------------------------------------------------------------------------- fingerprints
def _hash_files(h: hashlib._Hash, root: Path, paths: list[Path]) -> None:
    for p in sorted(paths):
        h.update(str(p.relative_to(root)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")


# Seeds the parser and the ingest verdict read: editing one re-reads every document.
PARSER_SEEDS = ("indicator_label_map.csv", "divisions.csv")


def parser_fingerprint() -> str:
    """Changes whenever what turns a document into raw rows changes: the code, the seeds the
    parser reads, and the catalogue's document rules (the verdict's thresholds)."""
    import ingest
    import jixiao.landing
    from ingest import catalogue

    root = Path(ingest.__file__).resolve().parent
    h = hashlib.sha256(PARSER_VERSION.encode())
    seeds = [root.parent / "seeds" / name for name in PARSER_SEEDS]
    _hash_files(
        h, root.parent, sorted(root.rglob("*.py")) + [Path(jixiao.landing.__file__).resolve(), *seeds]
    )
    h.update(repr([r for r in catalogue.rules() if r.checked_in == "ingest"]).encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- entries
@dataclass
class Entry:
    """One document (one content) the lake knows about."""

    document_id: str
    content_sha256: str
    source_file: str
    byte_size: int
    status: str  # loaded | loaded_with_warnings | quarantined | failed
    parser: str
    reason_code: str | None = None
    reason: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    segment: str = ""  # the segment holding its rows (landed entries)
    first_seen_run: str = ""
    landed_by_run: str = ""
    reason_line: int | None = None  # the line the reason names, if any
    source_name_hex: str | None = None  # the name's bytes, when they are not valid UTF-8
    intact: bool = True  # set on load: its segment's files are all there, unaltered

    @property
    def landed(self) -> bool:
        return self.status in LANDED

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("intact")
        return d


@dataclass
class Segment:
    """One segment of the lake: its file per raw table as recorded when written, and how many
    documents were written into it (the live ones are the entries naming it)."""

    files: dict[str, list] = field(default_factory=dict)  # table -> part_stat of its file
    documents: int = 0
    intact: bool = True  # set on load: every file there, unaltered
    restated: bool = False  # set on load: a file's new stat (same bytes) was recorded; save it

    def to_json(self) -> dict:
        return {"files": self.files, "documents": self.documents}


@dataclass
class Registry:
    entries: dict[str, Entry] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)

    def landed(self) -> list[Entry]:
        return sorted(
            (e for e in self.entries.values() if e.landed and e.intact), key=lambda e: e.document_id
        )

    def live(self) -> dict[str, str]:
        """Document id -> segment of every landed, intact document: what the manifest says."""
        return {e.document_id: e.segment for e in self.landed()}

    def live_counts(self) -> dict[str, int]:
        """Segment -> how many live documents it holds."""
        counts: dict[str, int] = {}
        for segment in self.live().values():
            counts[segment] = counts.get(segment, 0) + 1
        return counts

    def live_digest(self) -> str:
        """The manifest's content: which document is live in which segment."""
        return hashlib.sha256(json.dumps(sorted(self.live().items())).encode()).hexdigest()[:16]

    def by_name(self) -> dict[str, Entry]:
        """Name -> entry; a landed entry wins over a bad version of the same file kept beside it."""
        ordered = sorted(self.entries.values(), key=lambda e: (e.landed, e.document_id))
        return {e.source_file: e for e in ordered}

    @property
    def restated(self) -> bool:
        """Some segment's recorded file stats were refreshed on load (same bytes): worth saving."""
        return any(s.restated for s in self.segments.values())

    def known_contents(self) -> dict[str, str]:
        """Byte sha256 -> document id, for every content the registry has seen."""
        return {e.content_sha256: e.document_id for e in self.entries.values()}

    def lake_fingerprint(self) -> str:
        """What dbt will read: the live documents, their segments and the exact bytes of those."""
        h = hashlib.sha256(self.live_digest().encode())
        for segment in sorted(set(self.live().values())):
            files = self.segments[segment].files
            h.update(json.dumps([segment, sorted((t, p[2]) for t, p in files.items())]).encode())
        return h.hexdigest()[:16]


def part_stat(path: Path, with_hash: bool = True, data: bytes | None = None) -> list:
    """What the registry records of a segment file: [size, mtime_ns, sha256 (16 hex), ctime_ns, inode].

    ``data``: the bytes just written (hashed instead of reading the file back). The ctime and
    inode cannot be set by hand, so a file whose five values all match is the file written:
    checking it costs a ``stat``, not a read."""
    st = path.stat()
    digest = ""
    if with_hash:
        digest = hashlib.sha256(path.read_bytes() if data is None else data).hexdigest()[:16]
    return [st.st_size, st.st_mtime_ns, digest, st.st_ctime_ns, st.st_ino]


def _same_inode(recorded: list, st: os.stat_result) -> bool:
    return len(recorded) >= 5 and recorded[3] == st.st_ctime_ns and recorded[4] == st.st_ino


def recorded_digest(path: str | Path, recorded: list) -> str | None:
    """The sha256 (16 hex) of a file as it is on disk: the recorded one when the file is provably
    the one recorded (size, mtime, ctime, inode), else read and hashed; None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if (
        recorded
        and recorded[2]
        and _same_inode(recorded, st)
        and recorded[:2] == [st.st_size, st.st_mtime_ns]
    ):
        return recorded[2]
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


def written_segment(lake: Path, written: WrittenSegment) -> Segment:
    """The registry's record of a segment just written (its bytes hashed, not read back)."""
    files = {
        t: part_stat(Path(segment_file(lake, t, written.segment)), data=b) for t, b in written.data.items()
    }
    return Segment(files, len(written.documents))


def _intact(lake: Path, segment_id: str, seg: Segment) -> bool:
    """Every file of the segment is there and unaltered. A file whose ctime or inode moved (the
    lake was copied or moved, or the file rewritten with its mtime restored) is hashed once; if
    its bytes are the recorded ones, its new stat is recorded so the next load is a stat."""
    if set(seg.files) != set(RAW_TABLES):
        return False
    for table, recorded in seg.files.items():
        size, mtime_ns, digest = recorded[:3]
        path = segment_file(lake, table, segment_id)
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False
        if not digest or _same_inode(recorded, st):
            continue
        if recorded_digest(path, recorded) != digest:  # altered in place
            return False
        seg.files[table] = [size, mtime_ns, digest, st.st_ctime_ns, st.st_ino]
        seg.restated = True
    return True


def _read(path: Path) -> Registry:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("format") != REGISTRY_FORMAT:
        raise ValueError("unknown registry format")
    entries = {k: Entry(**v) for k, v in raw["documents"].items()}
    segments = {k: Segment(v["files"], v["documents"]) for k, v in raw.get("segments", {}).items()}
    return Registry(entries, segments)


def load(lake: Path) -> Registry:
    """The registry, each segment checked against the files on disk (an entry is intact when
    its segment is).

    A missing or unreadable registry is rebuilt from the segments and the manifest in the lake
    (``jixiao.lakestate.rebuild_registry``): a lost registry never retracts last good rows.
    """
    try:
        reg = _read(lake / REGISTRY_FILE)
    except (OSError, ValueError, TypeError, KeyError):
        from jixiao.lakestate import rebuild_registry

        return rebuild_registry(lake)
    for segment_id, seg in reg.segments.items():
        seg.intact = _intact(lake, segment_id, seg)
    for e in reg.entries.values():
        e.intact = not e.landed or (e.segment in reg.segments and reg.segments[e.segment].intact)
    return reg


def save(lake: Path, registry: Registry) -> None:
    """Replace the registry atomically (temp file, fsync, rename, fsync the folder)."""
    lake.mkdir(parents=True, exist_ok=True)
    body = {
        "format": REGISTRY_FORMAT,
        "documents": {k: registry.entries[k].to_json() for k in sorted(registry.entries)},
        "segments": {k: registry.segments[k].to_json() for k in sorted(registry.segments)},
    }
    fd, tmp = tempfile.mkstemp(prefix=".registry-", suffix=".tmp", dir=lake)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(body, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, lake / REGISTRY_FILE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    fsync_dir(lake)


def publish_manifest(lake: Path, registry: Registry) -> bool:
    """Bring the manifest (``raw/_live.parquet``) in line with the registry; True if rewritten.
    Called after every registry save and at the start of ingest, so a run killed between the
    two leaves nothing wrong for dbt to read (the registry is the truth, the manifest its copy)."""
    live = registry.live()
    if live_digest(lake) == registry.live_digest() and read_live(lake) == live:
        return False
    write_live(lake, live, registry.live_digest())
    return True


def sweep(lake: Path, registry: Registry) -> list[str]:
    """Remove from ``<lake>/raw`` every segment file no live document points into, every temp
    file, and folders of the layout before segments (after their migration).

    Returns the segment ids whose files were removed.
    """
    keep = set(registry.live().values()) | {SCHEMA_SEGMENT}
    removed: set[str] = set()
    raw = lake / RAW_DIR
    if not raw.exists():
        return []
    for table_dir in (d for d in os.scandir(raw) if d.is_dir()):
        for item in os.scandir(table_dir.path):
            segment = segment_of(item.name)
            if segment is not None and segment not in keep:
                Path(item.path).unlink(missing_ok=True)
                removed.add(segment)
            elif item.is_dir() and item.name.startswith(OLD_PREFIX):
                shutil.rmtree(item.path, ignore_errors=True)
            elif item.name.startswith(".") and item.name.endswith(".tmp"):
                Path(item.path).unlink(missing_ok=True)
    for stray in [*raw.glob(".*.tmp"), *lake.glob(".registry-*.tmp"), *lake.glob(".scan_cache-*.tmp")]:
        stray.unlink(missing_ok=True)
    return sorted(removed)


# --------------------------------------------------------------------------- the folder
def display_name(path: Path) -> str:
    """The file's name as stored and shown: itself, or escaped when it is not valid UTF-8."""
    return os.fsencode(path.name).decode("utf-8", "backslashreplace")


def name_hex(path: Path) -> str | None:
    """The name's bytes in hex when the name is not valid UTF-8 (lossless), else None."""
    raw = os.fsencode(path.name)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.hex()
    return None


@dataclass(frozen=True)
class FileSeen:
    path: Path
    document_id: str  # "" when the file could not be read
    content_sha256: str
    byte_size: int
    error: str | None = None  # why it could not be read (a sentence, see jixiao.reading)
    error_code: str | None = None

    @property
    def name(self) -> str:
        return display_name(self.path)


def document_id_for(data: bytes) -> str:
    """The document's identity: the hash of its content (see the module docstring)."""
    try:
        text = decode_bytes(data).text
    except DecodeError:
        return hashlib.sha256(data).hexdigest()[:16]
    return hashlib.sha256(identity_text(text).encode("utf-8")).hexdigest()[:16]


def list_documents(folder: Path) -> list[Path]:
    """Every entry named like a document (``*.txt``, ``*.md``; hidden files aside), whatever it
    is: a directory, a FIFO or a broken symlink with such a name is reported, not skipped."""
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def load_scan_cache(lake: Path) -> dict[str, list]:
    """Path -> [size, mtime_ns, ctime_ns, inode, device, sha256, document id] of the files the
    last scans read; a lost or unreadable cache only means every file is read again."""
    try:
        raw = json.loads((lake / SCAN_CACHE_FILE).read_text(encoding="utf-8"))
        return {k: v for k, v in raw.items() if isinstance(v, list) and len(v) == 7}
    except (OSError, ValueError, AttributeError):
        return {}


def save_scan_cache(lake: Path, cache: dict[str, list]) -> None:
    """Replace the scan cache atomically (no fsync: losing it costs a re-read, nothing else)."""
    lake.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scan_cache-", suffix=".tmp", dir=lake)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(cache, fh, sort_keys=True)
        os.replace(tmp, lake / SCAN_CACHE_FILE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _from_cache(path: Path, key: str, cache: dict[str, list]) -> FileSeen | None:
    """The file as last read, when its stat (size, mtime, ctime, inode, device) is unchanged.
    The ctime cannot be set by hand, so any write, chmod or replacement misses the cache."""
    hit = cache.get(key)
    if hit is None or os.path.islink(path):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    from jixiao.reading import max_document_bytes

    if _stat_key(st) != hit[:5] or st.st_size > max_document_bytes():  # a lowered cap is applied
        return None
    return FileSeen(path, hit[6], hit[5], hit[0])


def scan(
    folder: Path, known: dict[str, str] | None = None, cache: dict[str, list] | None = None
) -> list[FileSeen]:
    """Hash every document of the folder (reading is cheap; parsing is what we avoid).

    ``known``: byte sha256 -> document id of contents seen before (the registry's), so only new
    bytes are decoded to find their identity. Reading goes through ``jixiao.reading``: a size
    cap before anything is read, a stable read (size and mtime unchanged), and a reason sentence
    for whatever cannot be read.

    ``cache`` (see :func:`load_scan_cache`): files whose stat is unchanged since they were read
    are not read again, so an unchanged folder costs a ``stat`` per file. Updated in place to
    the files seen now; a file changed less than ``SCAN_CACHE_SETTLED_NS`` before it was read
    is not cached (a second write in the same timestamp tick could keep its stat)."""
    from jixiao.reading import Unreadable, read_document

    known = known or {}
    fresh: dict[str, list] = {}
    seen = []
    now = time.time_ns()
    for path in list_documents(folder):
        key = str(path.absolute())
        if cache is not None:
            hit = _from_cache(path, key, cache)
            if hit is not None:
                seen.append(
                    FileSeen(
                        path,
                        known.get(hit.content_sha256) or hit.document_id,
                        hit.content_sha256,
                        hit.byte_size,
                    )
                )
                fresh[key] = cache[key]
                continue
        before = _stat_or_none(path)
        try:
            data = read_document(path)
        except (
            Unreadable
        ) as err:  # vanished since listed, no permission, too large...: that file, not the run
            seen.append(FileSeen(path, "", "", 0, err.message, err.code))
            continue
        after = _stat_or_none(path)
        digest = hashlib.sha256(data).hexdigest()
        doc_id = known.get(digest) or document_id_for(data)
        seen.append(FileSeen(path, doc_id, digest, len(data)))
        if (
            before is not None
            and after is not None
            and _stat_key(before) == _stat_key(after)
            and before.st_size == len(data)
            and now - max(before.st_mtime_ns, before.st_ctime_ns) > SCAN_CACHE_SETTLED_NS
        ):
            fresh[key] = [*_stat_key(before), digest, doc_id]
    if cache is not None:
        cache.clear()
        cache.update(fresh)
    return seen


# --------------------------------------------------------------------------- the plan
@dataclass
class Planned:
    file: FileSeen | None  # None for a removed document
    document_id: str
    action: str
    entry: Entry | None = None  # the registry's entry for this content, if any
    previous_document_id: str | None = None  # for "changed": the content this name had before
    duplicate_of: str | None = None  # for "duplicate": the file loaded instead
    duplicate_bytes: bool = False  # for "duplicate": byte for byte the same file

    @property
    def source_file(self) -> str:
        if self.file is not None:
            return self.file.name
        return self.entry.source_file if self.entry else ""


@dataclass
class Plan:
    documents: list[Planned]  # one per file of the folder, then one per removed document
    retract: list[str]  # document ids whose rows leave the lake (changed-away and removed)

    def to_land(self) -> list[Planned]:
        return [d for d in self.documents if d.action in NEEDS_LANDING]

    def count(self, action: str) -> int:
        return sum(1 for d in self.documents if d.action == action)

    @property
    def changes_lake(self) -> bool:
        return bool(self.to_land() or self.retract)


def plan(files: list[FileSeen], registry: Registry, parser: str, force: bool = False) -> Plan:
    """Decide, for every file of the folder and every known document, what this refresh does."""
    canonical: dict[str, FileSeen] = {}  # document id -> the file it is loaded from (first name)
    for f in files:
        if not f.error:
            canonical.setdefault(f.document_id, f)
    known_names = registry.by_name()
    docs: list[Planned] = []
    for f in files:
        if f.error:
            before = known_names.get(f.name)
            docs.append(
                Planned(f, "", UNREADABLE, previous_document_id=before.document_id if before else None)
            )
            continue
        first = canonical[f.document_id]
        entry = registry.entries.get(f.document_id)
        if first is not f:
            docs.append(
                Planned(
                    f,
                    f.document_id,
                    DUPLICATE,
                    entry,
                    duplicate_of=first.name,
                    duplicate_bytes=first.content_sha256 == f.content_sha256,
                )
            )
            continue
        if entry is None:
            before = known_names.get(f.name)
            if before is not None and before.document_id != f.document_id:
                docs.append(Planned(f, f.document_id, CHANGED, None, previous_document_id=before.document_id))
            else:
                docs.append(Planned(f, f.document_id, ADDED))
            continue
        if entry.status == "failed":
            action = RETRIED
        elif not entry.intact:
            action = REPAIRED
        elif entry.parser != parser or force:
            action = REPARSED
        elif entry.source_file != f.name:
            action = RENAMED
        else:
            action = UNCHANGED
        docs.append(Planned(f, f.document_id, action, entry))
    retract = sorted(set(registry.entries) - set(canonical))
    names_now = {f.name for f in files}
    for doc_id in retract:
        e = registry.entries[doc_id]
        if e.source_file not in names_now:  # else its name now holds new content: a "changed" row says so
            docs.append(Planned(None, doc_id, REMOVED, e))
    return Plan(docs, retract)


def keep_last_good(registry: Registry, plan_: Plan, bad_names: set[str]) -> set[str]:
    """Of the documents a plan would retract, those to keep: the last good version of a file
    whose current content is not loaded (quarantined, failed, unreadable). Bad input never
    takes a file's rows out of the warehouse; a sound version replaces them, a removal retracts."""
    return {
        doc_id
        for doc_id in plan_.retract
        if registry.entries[doc_id].source_file in bad_names
        and registry.entries[doc_id].landed
        and registry.entries[doc_id].intact
    }


def apply(
    registry: Registry,
    retract: set[str],
    landed: dict[str, Entry],
    segments: dict[str, Segment] | None = None,
) -> Registry:
    """The registry after this refresh: retracted documents gone, newly landed ones recorded in
    the ``segments`` just written; segments no live document points into are dropped."""
    entries = {k: v for k, v in registry.entries.items() if k not in retract}
    entries.update(landed)
    return pruned(Registry(entries, {**registry.segments, **(segments or {})}))


def pruned(registry: Registry) -> Registry:
    """The registry without the segments no live document points into (their files are swept)."""
    live = set(registry.live().values())
    return Registry(registry.entries, {k: v for k, v in registry.segments.items() if k in live})
