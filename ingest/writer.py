"""Land raw rows as Parquet, one folder per document, every file written atomically."""

from __future__ import annotations

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


def partition_dir(lake: Path, table: str, document_id: str) -> Path:
    return lake / "raw" / table / f"document_id={document_id}"


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


def write_document(lake: Path, document_id: str, records: dict[str, list[dict]]) -> dict[str, int]:
    """Write (or replace) one document's rows in every raw table; return row counts."""
    counts = {}
    for table, schema in RAW_TABLES.items():
        rows = records.get(table, [])
        arrow = pa.Table.from_pylist(rows, schema=schema)
        write_table_atomic(partition_dir(lake, table, document_id) / "part.parquet", arrow)
        counts[table] = len(rows)
    return counts


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
