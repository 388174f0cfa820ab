"""The ingest step's I/O shell: read each document, parse it (pure), land its Parquet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.decode import DecodeError, decode_bytes
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.writer import document_ids, ensure_schema_partitions, remove_document, write_document

DOCUMENT_SUFFIXES = (".txt", ".md")


@dataclass
class DocumentOutcome:
    source_file: str
    document_id: str | None
    status: str  # loaded | loaded_with_warnings | unchanged | duplicate | quarantined
    reason_code: str | None = None
    reason: str | None = None
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class IngestReport:
    outcomes: list[DocumentOutcome]
    removed: list[str]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def list_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)


def document_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def land_document(path: Path, data: bytes, document_id: str, lake: Path) -> DocumentOutcome:
    """Decode, parse and land one document; a document that cannot be read is quarantined."""
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        return DocumentOutcome(path.name, document_id, "quarantined", err.code, f"{path.name}: {err.message}")
    parsed = parse_document(decoded.text, path.name, document_id)
    records = to_records(
        parsed, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data), encoding=decoded.encoding
    )
    rows = write_document(lake, document_id, records)
    status = "loaded_with_warnings" if parsed.issues else "loaded"
    return DocumentOutcome(path.name, document_id, status, rows=rows)


def ingest_folder(documents: Path, lake: Path) -> IngestReport:
    """Parse every document of ``documents`` into ``lake``; retract documents that are gone."""
    ensure_schema_partitions(lake)
    outcomes: list[DocumentOutcome] = []
    seen: dict[str, str] = {}
    for path in list_documents(documents):
        data = path.read_bytes()
        doc_id = document_id_for(data)
        if doc_id in seen:
            outcomes.append(
                DocumentOutcome(path.name, doc_id, "duplicate", "duplicate_content",
                                f"与「{seen[doc_id]}」内容完全相同，只载入一次")
            )
            continue
        seen[doc_id] = path.name
        outcomes.append(land_document(path, data, doc_id, lake))
    removed = sorted(document_ids(lake) - set(seen))
    for doc_id in removed:
        remove_document(lake, doc_id)
    return IngestReport(outcomes, removed)
