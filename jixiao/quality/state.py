"""What every row rule found in every document, kept in the built file for the next gate.

``quality.rule_documents``: per document, its row count in each suite's frame (``rule_id = ''``)
and, for each row-level rule (``meta.evaluation = row``) that found something there, the
unexpected count, how many rows it looked at, and its first examples. A full gate writes
it for every document; an incremental gate starts from the served warehouse's table, replaces the
rows of the changed and removed documents (and the rows without a document id, always
re-evaluated) with what it found, and reports each rule from the whole table, so "rule X: 37 rows
in 12 documents" stays true of the whole warehouse.

The table also carries the fingerprint of the gate project (suites, frames, rule catalogue): a
table written by other rules is never merged into (the gate then runs in full).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.catalogue import CATALOGUE
from jixiao.quality.evaluation import Tally
from jixiao.quality.history import EXAMPLE
from jixiao.quality.project import FRAMES_DIR, SUITES_DIR
from jixiao.quality.results import Example

TABLE = "quality.rule_documents"
SCHEMA = pa.schema(
    [
        ("gate_fingerprint", pa.string()),
        ("suite", pa.string()),
        ("rule_id", pa.string()),
        ("document_id", pa.string()),
        ("element_count", pa.int64()),
        ("considered_count", pa.int64()),
        ("unexpected_count", pa.int64()),
        ("examples", pa.list_(EXAMPLE)),
    ]
)
_COMMENT = (
    "质量规则按文档的结果。One row per row-level quality rule per document: rows looked at, "
    "unexpected rows and the first examples (what an incremental gate starts from)."
)


FORMAT = "2"  # compacted tallies (jixiao.quality.evaluation.compact): row counts + findings


def gate_fingerprint() -> str:
    """The suites, their frames, the catalogue and this table's format: a state written under
    others is not reused."""
    h = hashlib.sha256(FORMAT.encode())
    for path in sorted([*SUITES_DIR.glob("*.json"), *FRAMES_DIR.glob("*.sql"), CATALOGUE]):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def merge(
    base: Iterable[Tally], fresh: Iterable[Tally], documents: set[str], suites: set[str]
) -> list[Tally]:
    """``base`` with the rows of ``documents`` (and the rows without a document) of ``suites``
    replaced by ``fresh``; other suites' rows are kept as they were."""

    def replaced(t: Tally) -> bool:
        return t.suite in suites and (t.document_id is None or t.document_id in documents)

    kept = [t for t in base if not replaced(t)]
    return sorted([*kept, *fresh], key=lambda t: (t.suite, t.rule_id, t.document_id or ""))


def to_arrow(tallies: Iterable[Tally], fingerprint: str) -> pa.Table:
    rows = [
        {
            "gate_fingerprint": fingerprint,
            "suite": t.suite,
            "rule_id": t.rule_id,
            "document_id": t.document_id,
            "element_count": t.element_count,
            "considered_count": t.considered_count,
            "unexpected_count": t.unexpected_count,
            "examples": [
                {
                    "source_file": e.source_file,
                    "source_line": e.source_line,
                    "row_ref": e.row_ref,
                    "value": e.value,
                }
                for e in t.examples
            ],
        }
        for t in tallies
    ]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def from_rows(rows: Iterable[tuple]) -> list[Tally]:
    return [
        Tally(
            suite,
            rule_id,
            doc,
            int(n),
            int(k),
            int(u),
            [Example(e["source_file"], e["source_line"], e["row_ref"], e["value"]) for e in examples or []],
        )
        for suite, rule_id, doc, n, k, u, examples in rows
    ]


def read(warehouse: Path, fingerprint: str, suites: Iterable[str] | None = None) -> list[Tally] | None:
    """The table of ``warehouse`` (read-only; only ``suites``' rows when given), or ``None`` when
    it has none written under ``fingerprint`` (no such file, an older warehouse, other rules)."""
    from jixiao.reader import query_or_none

    wanted = sorted(set(suites)) if suites is not None else None

    def fetch(con: duckdb.DuckDBPyConnection) -> list[Tally] | None:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'quality' and table_name = 'rule_documents'"
        ).fetchone()[0]
        if not found:
            return None
        prints = {r[0] for r in con.execute(f"select distinct gate_fingerprint from {TABLE}").fetchall()}
        if prints and prints != {fingerprint}:
            return None
        if wanted == []:
            return []
        where = f" where suite in ({', '.join('?' for _ in wanted)})" if wanted else ""
        return from_rows(
            con.execute(
                "select suite, rule_id, document_id, element_count, considered_count, unexpected_count, "
                f"examples from {TABLE}{where}",
                wanted or [],
            ).fetchall()
        )

    return query_or_none(warehouse, fetch)


def write(warehouse: Path, tallies: Iterable[Tally] | None, fingerprint: str) -> None:
    """(Re)create ``quality.rule_documents`` in ``warehouse`` (the built file, never the served
    one); ``None`` drops it, so the next gate runs in full."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists quality")
        if tallies is None:
            con.execute(f"drop table if exists {TABLE}")
            return
        con.register("_rule_documents", to_arrow(tallies, fingerprint))
        con.execute(f"create or replace table {TABLE} as select * from _rule_documents")
        con.unregister("_rule_documents")
        con.execute(f"comment on table {TABLE} is '{_COMMENT}'")
        con.execute("checkpoint")
    finally:
        con.close()
