"""The raw lake's layout: Parquet segments and the manifest of live documents.

- A **segment** holds the rows of up to ``SEGMENT_DOCUMENTS`` documents (or about
  ``SEGMENT_BYTES`` of Arrow data): one Parquet file per raw table,
  ``<lake>/raw/<table>/seg-<segment id>.parquet``, rows sorted by document id, then line. Every
  file is written by temp file + rename; a batch is made durable by one ``syncfs``
  (:func:`sync_files`). A segment is never rewritten: replacing a document writes a new segment.
- The **manifest** ``<lake>/raw/_live.parquet`` (document_id, segment) says which segment holds
  each live document. A row is live when its document is live *in the segment it was read from*
  (:data:`LIVE_ROWS_SQL`, the one definition dbt's sources and the gate's lake views share), so
  a replaced or retracted document's rows in an older segment are invisible until compaction
  drops them. The manifest is derived from the registry (``jixiao.registry``, the one source of
  truth) and carries the registry's digest of the live set in its Parquet metadata.
- ``seg-0-schema.parquet``: an empty file per table, so a lake without documents still has a
  readable schema; no document is ever live in it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.schema import RAW_TABLES

RAW_DIR = "raw"
SEGMENT_PREFIX = "seg-"
SCHEMA_SEGMENT = "0-schema"
LIVE_FILE = "_live.parquet"
LIVE_META_KEY = b"jixiao_live_digest"
LIVE_SCHEMA = pa.schema([("document_id", pa.string()), ("segment", pa.string())])
SEGMENT_DOCUMENTS = 256  # cut a segment at this many documents ...
SEGMENT_BYTES = 32 * 1024 * 1024  # ... or this much Arrow data, whichever comes first
TEMP_PREFIX = ".part-"

# The live rows of one raw table, as a DuckDB table expression. ``{lake}``: the lake folder as it
# appears inside a SQL string literal; ``{table}``: the raw table; ``{columns}``: what to select
# of the segment rows (``segment_rows.* exclude (filename)`` for dbt, ``segment_rows.*`` to keep the file name).
# models/staging/_sources.yml mirrors it (tests/unit/test_lake_layout.py checks they agree).
LIVE_ROWS_SQL = (
    "(select {columns} from read_parquet('{lake}/raw/{table}/seg-*.parquet', union_by_name = true, "
    "hive_partitioning = false, filename = true) as segment_rows semi join read_parquet('{lake}/raw/_live.parquet') "
    "as live on segment_rows.document_id = live.document_id and parse_filename(segment_rows.filename, true) = 'seg-' || live.segment)"
)
DBT_COLUMNS = "segment_rows.* exclude (filename)"


def live_rows_sql(lake: str, table: str, columns: str = DBT_COLUMNS) -> str:
    """:data:`LIVE_ROWS_SQL` for one table (``lake`` already escaped for a SQL string literal)."""
    return LIVE_ROWS_SQL.format(lake=lake, table=table, columns=columns)


# --------------------------------------------------------------------------- paths
def segment_file(lake: Path | str, table: str, segment: str) -> str:
    """The Parquet file of ``segment`` in a raw table, as a plain string."""
    return os.path.join(lake, RAW_DIR, table, f"{SEGMENT_PREFIX}{segment}.parquet")


def segment_of(file_name: str) -> str | None:
    """The segment id of a segment file's name (``seg-<id>.parquet``), else None."""
    if file_name.startswith(SEGMENT_PREFIX) and file_name.endswith(".parquet"):
        return file_name[len(SEGMENT_PREFIX) : -len(".parquet")]
    return None


def live_file(lake: Path) -> Path:
    return lake / RAW_DIR / LIVE_FILE


def new_segment_id() -> str:
    """Time-ordered (a later segment sorts after an earlier one) and unique."""
    return f"{time.time_ns():016x}{secrets.token_hex(3)}"


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (the directory entry itself is synced)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_bytes(path: str, data: bytes, fsync: bool) -> None:
    """Write ``data`` to ``path`` by temp file + rename (fsynced before the rename if asked)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def parquet_bytes(table: pa.Table, metadata: dict[bytes, bytes] | None = None) -> bytes:
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def write_table_atomic(path: Path, table: pa.Table) -> None:
    """One Parquet file, durably: temp file, fsync, rename."""
    _write_bytes(str(path), parquet_bytes(table), fsync=True)


# --------------------------------------------------------------------------- documents -> tables
def encode_document(records: dict[str, list[dict]]) -> tuple[dict[str, pa.Table], dict[str, int]]:
    """One document's rows as an Arrow table per raw table it has rows in, and the row count of
    every raw table (pure: runs in an ingest worker process). Tables with no rows are left out:
    the tables are pickled back to the single writer, and most documents fill 4 of the 13 (an
    empty table costs as much to pickle and concatenate as a small one); a segment's table with
    no rows at all is written from its schema (``segment_table``)."""
    tables, counts = {}, {}
    for table, schema in RAW_TABLES.items():
        rows = records.get(table, [])
        counts[table] = len(rows)
        if rows:
            tables[table] = pa.Table.from_pylist(rows, schema=schema)
    return tables, counts


def segment_table(parts: list[pa.Table], schema: pa.Schema) -> pa.Table:
    """Documents' rows of one raw table as one table sorted by document id, then line."""
    combined = pa.concat_tables(parts) if parts else schema.empty_table()
    keys = [("document_id", "ascending")]
    if "source_line" in schema.names:
        keys.append(("source_line", "ascending"))
    return combined.sort_by(keys)


@dataclass
class WrittenSegment:
    segment: str
    documents: list[str]
    data: dict[str, bytes]  # table -> the Parquet bytes written (hashed instead of read back)


def write_segment(lake: Path, segment: str, tables: dict[str, list[pa.Table]]) -> dict[str, bytes]:
    """Write one segment (every raw table) by temp file + rename, without fsync (the batch is
    synced at once by :func:`sync_files`). Returns each table's Parquet bytes."""
    written = {}
    for table, schema in RAW_TABLES.items():
        data = parquet_bytes(segment_table(tables.get(table, []), schema))
        _write_bytes(segment_file(lake, table, segment), data, fsync=False)
        written[table] = data
    return written


@dataclass
class SegmentBatch:
    """Gathers landed documents into segments as they come, cutting a segment at
    ``SEGMENT_DOCUMENTS`` documents or ``SEGMENT_BYTES``; :meth:`close` writes the last one and
    makes the whole batch durable with one ``syncfs``."""

    lake: Path
    limit_documents: int = SEGMENT_DOCUMENTS
    limit_bytes: int = SEGMENT_BYTES
    written: list[WrittenSegment] = field(default_factory=list)
    _segment: str = ""
    _documents: list[str] = field(default_factory=list)
    _tables: dict[str, list[pa.Table]] = field(default_factory=dict)
    _bytes: int = 0

    def add(self, document_id: str, tables: dict[str, pa.Table]) -> str:
        """Put a document in the open segment; returns the segment id it will be in."""
        return self.add_many([document_id], tables)

    def add_many(self, document_ids: list[str], tables: dict[str, pa.Table]) -> str:
        """Put documents (their rows in ``tables``) in the open segment; returns its id."""
        if not self._segment:
            self._segment = new_segment_id()
        self._documents += document_ids
        for table, rows in tables.items():
            self._tables.setdefault(table, []).append(rows)
            self._bytes += rows.nbytes
        segment = self._segment
        if len(self._documents) >= self.limit_documents or self._bytes >= self.limit_bytes:
            self.flush()
        return segment

    def flush(self) -> None:
        if not self._documents:
            return
        data = write_segment(self.lake, self._segment, self._tables)
        self.written.append(WrittenSegment(self._segment, self._documents, data))
        self._segment, self._documents, self._tables, self._bytes = "", [], {}, 0

    def close(self) -> list[WrittenSegment]:
        self.flush()
        sync_files(
            self.lake, [segment_file(self.lake, t, w.segment) for w in self.written for t in RAW_TABLES]
        )
        return self.written


def _syncfs(folder: Path) -> bool:
    """``syncfs(2)`` on the file system holding ``folder``: every written file and rename on it
    is durable when it returns. False where the call is not available."""
    name = ctypes.util.find_library("c")
    if not name or not hasattr(os, "O_DIRECTORY"):
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    if not hasattr(libc, "syncfs"):
        return False
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if libc.syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), str(folder))
    finally:
        os.close(fd)
    return True


def sync_files(lake: Path, paths: list[str]) -> None:
    """Make written files and their renames durable: one ``syncfs`` for the batch, or per file
    and folder where it is missing."""
    if not paths or _syncfs(lake):
        return
    for path in paths:
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    for folder in sorted({os.path.dirname(p) for p in paths}):
        fsync_dir(Path(folder))


# --------------------------------------------------------------------------- the manifest
def write_live(lake: Path, live: dict[str, str], digest: str) -> None:
    """Replace the manifest (document id -> segment) durably and atomically."""
    ids = sorted(live)
    table = pa.table({"document_id": ids, "segment": [live[i] for i in ids]}, schema=LIVE_SCHEMA)
    _write_bytes(str(live_file(lake)), parquet_bytes(table, {LIVE_META_KEY: digest.encode()}), fsync=True)
    fsync_dir(lake / RAW_DIR)


def live_digest(lake: Path) -> str | None:
    """The registry digest the manifest on disk was written for (None: missing or unreadable)."""
    try:
        meta = pq.read_schema(live_file(lake)).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    value = meta.get(LIVE_META_KEY)
    return value.decode() if value else None


def read_live(lake: Path) -> dict[str, str] | None:
    """The manifest on disk (document id -> segment), None when missing or unreadable."""
    try:
        table = pq.read_table(live_file(lake))
    except (OSError, pa.ArrowInvalid):
        return None
    return dict(
        zip(table.column("document_id").to_pylist(), table.column("segment").to_pylist(), strict=True)
    )


def ensure_schema_segments(lake: Path) -> None:
    """An empty file per table so a lake with no documents still has a readable schema, and an
    empty manifest if there is none yet.

    Rewritten when the raw schema has changed (new columns), so a lake made by an earlier
    parser version never keeps a stale schema file beside the re-parsed documents.
    """
    for table, schema in RAW_TABLES.items():
        path = Path(segment_file(lake, table, SCHEMA_SEGMENT))
        if not path.exists() or not pq.read_schema(path).equals(schema, check_metadata=False):
            write_table_atomic(path, schema.empty_table())
    if not live_file(lake).exists():
        write_live(lake, {}, "")


def segment_ids(lake: Path, table: str = "raw_documents") -> list[str]:
    """Every segment with a file in ``table`` (the schema segment left out), oldest first."""
    try:
        names = os.listdir(os.path.join(lake, RAW_DIR, table))
    except OSError:
        return []
    return sorted(s for s in map(segment_of, names) if s and s != SCHEMA_SEGMENT)


def document_rows(lake: Path, table: str, document_id: str) -> pa.Table:
    """A document's rows in a raw table: from the segment the manifest names, else from the
    newest segment holding it (a document landed outside a refresh, e.g. ``land_document``)."""
    live = read_live(lake) or {}
    candidates = [live[document_id]] if document_id in live else list(reversed(segment_ids(lake, table)))
    for segment in candidates:
        rows = pq.read_table(segment_file(lake, table, segment), filters=[("document_id", "=", document_id)])
        if rows.num_rows or document_id in live:
            return rows
    return RAW_TABLES[table].empty_table()


# --------------------------------------------------------------------------- the old layout
OLD_PART = "part.parquet"
OLD_PREFIX = "document_id="
OLD_SCHEMA = "document_id=__schema__"


def old_part_file(lake: Path, table: str, document_id: str) -> Path:
    """A document's part in the layout before segments (``document_id=<id>/part.parquet``)."""
    return lake / RAW_DIR / table / f"{OLD_PREFIX}{document_id}" / OLD_PART


def old_layout_ids(lake: Path) -> list[str]:
    """Documents with a folder of the old layout in ``raw_documents`` (migrated on first use)."""
    folder = lake / RAW_DIR / "raw_documents"
    if not folder.is_dir():
        return []
    return sorted(
        p.name[len(OLD_PREFIX) :]
        for p in folder.iterdir()
        if p.is_dir() and p.name.startswith(OLD_PREFIX) and p.name != OLD_SCHEMA
    )
