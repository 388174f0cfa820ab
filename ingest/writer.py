"""Land raw rows as Parquet, one folder per document, every file written atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.schema import RAW_TABLES

EMPTY_PARTITION = "document_id=__schema__"


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (the directory entry itself is synced)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PART_FILE = "part.parquet"


def part_file(lake: Path | str, table: str, document_id: str) -> str:
    """The one Parquet file of a document in a raw table, as a plain string (cheap in the
    loops that stat every part of the lake)."""
    return os.path.join(lake, "raw", table, f"document_id={document_id}", PART_FILE)


def partition_dir(lake: Path, table: str, document_id: str) -> Path:
    return Path(os.path.dirname(part_file(lake, table, document_id)))


def write_table_atomic(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def encode_document(records: dict[str, list[dict]]) -> tuple[dict[str, bytes], dict[str, int]]:
    """One document's rows as Parquet bytes per raw table, and row counts (pure: no file I/O,
    so it runs in an ingest worker process)."""
    blobs, counts = {}, {}
    for table, schema in RAW_TABLES.items():
        rows = records.get(table, [])
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink, compression="zstd")
        blobs[table], counts[table] = sink.getvalue(), len(rows)
    return blobs, counts


def write_encoded(lake: Path, document_id: str, blobs: dict[str, bytes]) -> None:
    """Write (or replace) one document's encoded parts, each by temp file + rename, *without*
    fsync: the caller makes a whole batch durable at once (:func:`sync_lake`) before anything
    (the registry) vouches for it."""
    for table, data in blobs.items():
        path = Path(part_file(lake, table, document_id))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".part-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


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


def sync_lake(lake: Path, document_ids: list[str]) -> None:
    """Make the parts written by :func:`write_encoded` durable: one ``syncfs`` for the batch
    (instead of a dozen fsyncs per document), or per file and folder where it is missing."""
    if not document_ids or _syncfs(lake):
        return
    for document_id in document_ids:
        for table in RAW_TABLES:
            folder = partition_dir(lake, table, document_id)
            with open(folder / PART_FILE, "rb") as fh:
                os.fsync(fh.fileno())
            fsync_dir(folder)
            fsync_dir(folder.parent)


def remove_document(lake: Path, document_id: str) -> None:
    """Retract a document's rows from every raw table."""
    for table in RAW_TABLES:
        shutil.rmtree(partition_dir(lake, table, document_id), ignore_errors=True)


def ensure_schema_partitions(lake: Path) -> None:
    """An empty file per table so a lake with no documents still has a readable schema.

    Rewritten when the raw schema has changed (new columns), so a lake made by an earlier
    parser version never keeps a stale schema file beside the re-parsed documents.
    """
    for table, schema in RAW_TABLES.items():
        path = lake / "raw" / table / EMPTY_PARTITION / "part.parquet"
        if not path.exists() or not pq.read_schema(path).equals(schema, check_metadata=False):
            write_table_atomic(path, schema.empty_table())


def document_ids(lake: Path) -> set[str]:
    root = lake / "raw" / "raw_documents"
    if not root.exists():
        return set()
    return {
        p.name.split("=", 1)[1]
        for p in root.iterdir()
        if p.is_dir() and p.name.startswith("document_id=") and p.name != EMPTY_PARTITION
    }
