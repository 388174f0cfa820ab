"""The lake's own state, checked and healed: which warehouse it feeds, exactly what dbt reads,
and a registry rebuilt from the Parquet when ``registry.json`` is lost.

- **Binding** (``<lake>/bound_to.json``): a lake feeds one warehouse. Two warehouses refreshed
  from one lake would retract each other's documents and freeze stale builds, so a refresh of
  another warehouse is refused (exit 2) unless it asks to rebind the lake. The warehouse is
  recorded relative to the lake, so moving both together keeps the binding.
- **What dbt reads**: :func:`lake_fingerprint` covers every segment file dbt's source glob
  matches (``raw/<table>/seg-*.parquet``) and the manifest (``raw/_live.parquet``), path and
  content hash (a recorded segment file's hash is trusted while its stat is the recorded one, so
  an unchanged lake costs a ``stat`` per segment file). Taken before and after the build, it is
  the fingerprint of exactly the inputs dbt read, or the build is refused.
- **A lost registry**: :func:`rebuild_registry` recovers its entries from the manifest and the
  segments (each document's ``raw_documents`` row names its file and content hash; without a
  manifest, a document's newest segment wins), so a lost ``registry.json`` never retracts a
  file's last good rows.
- **The old layout** (one folder per document): :func:`migrate_old_layout` moves it into
  segments on first use, keeping every landed document (also when its registry is lost).
- **Compaction** (:func:`compact`, at the end of ingest): a segment less than half live, and the
  small segments (under 64 live documents) once there are more than 16 of them, are rewritten
  into new segments holding only their live rows; the cost is the rows rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest.schema import RAW_TABLES
from ingest.writer import (
    RAW_DIR,
    SEGMENT_DOCUMENTS,
    SegmentBatch,
    live_file,
    old_layout_ids,
    old_part_file,
    read_live,
    segment_file,
    segment_ids,
    segment_of,
)
from jixiao import registry
from jixiao.escape import one_line
from jixiao.paths import Layout

RECOVERED = "recovered"  # parser and run of an entry rebuilt from the lake: it is re-parsed when seen


class LakeBound(RuntimeError):
    """The lake feeds another warehouse (exit 2)."""


# --------------------------------------------------------------------------- binding
def _bound_to(layout: Layout) -> str | None:
    try:
        return json.loads(layout.binding.read_text(encoding="utf-8"))["warehouse"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def bind(layout: Layout, rebind: bool = False) -> None:
    """Bind the lake to this warehouse; raise :class:`LakeBound` if it feeds another one."""
    mine = os.path.relpath(layout.warehouse, layout.lake)
    bound = _bound_to(layout)
    if bound == mine:
        return
    if bound is not None and not rebind:
        other = (layout.lake / bound).resolve()
        raise LakeBound(
            f"the lake {layout.lake} feeds the warehouse {other}, not {layout.warehouse}; nothing was changed. "
            "Give each warehouse its own --lake (check JIXIAO_LAKE), or pass --rebind-lake to move the lake here."
        )
    layout.lake.mkdir(parents=True, exist_ok=True)
    tmp = layout.binding.with_name(layout.binding.name + ".tmp")
    tmp.write_text(json.dumps({"warehouse": mine}) + "\n", encoding="utf-8")
    os.replace(tmp, layout.binding)


# --------------------------------------------------------------------------- what dbt reads
def lake_files(lake: Path) -> list[Path]:
    """The files dbt's sources read: every ``<lake>/raw/<table>/seg-*.parquet`` and the manifest."""
    return [Path(lake, RAW_DIR, t, n) for t, n in _dbt_reads(lake)] + [live_file(lake)]


def _dbt_reads(lake: Path) -> list[tuple[str, str]]:
    """(table, file name) of every segment file dbt's glob matches, by scandir."""
    found = []
    for table in RAW_TABLES:
        try:
            found += [(table, f.name) for f in os.scandir(lake / RAW_DIR / table) if segment_of(f.name)]
        except OSError:
            continue
    return sorted(found)


def lake_fingerprint(lake: Path, reg: registry.Registry | None = None) -> str:
    """Every file dbt reads, by path and content hash: the segment files of every table (a stat
    per segment file the registry recorded: its recorded sha256 stands for its bytes while its
    size, mtime, ctime and inode are the recorded ones; any other file is read and hashed) and
    the manifest (small: read and hashed)."""
    reg = registry.load(lake) if reg is None else reg
    h = hashlib.sha256()
    for table, name in _dbt_reads(lake):
        seg = reg.segments.get(segment_of(name) or "")
        digest = registry.recorded_digest(
            os.path.join(lake, RAW_DIR, table, name), seg.files.get(table, []) if seg else []
        )
        h.update(f"raw/{table}/{name}".encode() + b"\0")
        h.update((digest or "gone").encode())
    h.update(b"manifest\0")
    h.update((registry.recorded_digest(live_file(lake), []) or "gone").encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- a lost registry
def _segment_documents(lake: Path, segment: str) -> pa.Table | None:
    """The raw_documents rows of a segment (None when a file is missing or unreadable)."""
    try:
        return pq.read_table(
            segment_file(lake, "raw_documents", segment),
            columns=["document_id", "source_file", "content_sha256", "byte_size"],
        )
    except (OSError, pa.ArrowInvalid):
        return None


def _recovered_live(lake: Path) -> dict[str, str]:
    """Document id -> segment: the manifest's, else each document in the newest segment holding it."""
    live = read_live(lake)
    if live:
        return live
    found: dict[str, str] = {}
    for segment in segment_ids(lake):
        rows = _segment_documents(lake, segment)
        for doc in rows.column("document_id").to_pylist() if rows is not None else []:
            found[doc] = segment  # oldest first: a later segment replaces
    return found


def _row_counts(lake: Path, segment: str) -> dict[str, dict[str, int]]:
    """Document id -> table -> rows in one segment."""
    counts: dict[str, dict[str, int]] = {}
    for table in RAW_TABLES:
        ids = pq.read_table(segment_file(lake, table, segment), columns=["document_id"]).column("document_id")
        for item in pc.value_counts(ids).to_pylist():
            counts.setdefault(item["values"], {})[table] = item["counts"]
    return counts


def _recover_segment(
    lake: Path, segment: str, docs: set[str]
) -> tuple[registry.Segment, list[registry.Entry]] | None:
    rows = _segment_documents(lake, segment)
    try:
        files = {t: registry.part_stat(Path(segment_file(lake, t, segment))) for t in RAW_TABLES}
        counts = _row_counts(lake, segment)
    except (OSError, pa.ArrowInvalid):  # a partial or corrupt segment: swept, never trusted
        return None
    if rows is None:
        return None
    entries = []
    for r in rows.to_pylist():
        if r["document_id"] not in docs:
            continue
        rows_of = {t: counts.get(r["document_id"], {}).get(t, 0) for t in RAW_TABLES}
        entries.append(_recovered_entry(r, rows_of, segment))
    return registry.Segment(files, len(set(rows.column("document_id").to_pylist()))), entries


def _recovered_entry(row: dict, rows: dict[str, int], segment: str) -> registry.Entry:
    return registry.Entry(
        document_id=row["document_id"],
        content_sha256=row["content_sha256"] or "",
        source_file=row["source_file"] or "",
        byte_size=row["byte_size"] or 0,
        status="loaded_with_warnings" if rows.get("raw_parse_issues") else "loaded",
        parser=RECOVERED,
        rows=rows,
        segment=segment,
        landed_by_run=RECOVERED,
    )


def rebuild_registry(lake: Path) -> registry.Registry:
    """Registry entries recovered from the manifest and the segments (saved if any were found)."""
    live = _recovered_live(lake)
    by_segment: dict[str, set[str]] = {}
    for doc, segment in live.items():
        by_segment.setdefault(segment, set()).add(doc)
    entries: dict[str, registry.Entry] = {}
    segments: dict[str, registry.Segment] = {}
    for segment, docs in sorted(by_segment.items()):
        found = _recover_segment(lake, segment, docs)
        if found is not None:
            segments[segment] = found[0]
            entries.update((e.document_id, e) for e in found[1])
    reg = registry.pruned(registry.Registry(entries, segments))
    if entries:
        print(
            f"jixiao: {one_line(lake / registry.REGISTRY_FILE)} was missing or unreadable; "
            f"rebuilt it from the {len(entries)} document(s) in the lake",
            file=sys.stderr,
        )
        registry.save(lake, reg)
    return reg


# --------------------------------------------------------------------------- the old layout
def _old_entries(lake: Path) -> dict[str, dict] | None:
    """The entries of a registry of the one-folder-per-document layout (format 1), else None."""
    try:
        raw = json.loads((lake / registry.REGISTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != 1:
        return None
    return raw.get("documents") or {}


def _old_tables(lake: Path, document_id: str) -> dict[str, pa.Table] | None:
    try:
        return {
            t: pq.read_table(old_part_file(lake, t, document_id)).cast(schema)
            for t, schema in RAW_TABLES.items()
        }
    except (OSError, ValueError, pa.ArrowInvalid):  # partial, corrupt or of an older schema: re-landed
        return None


def _old_entry(
    document_id: str, known: dict | None, tables: dict[str, pa.Table], segment: str
) -> registry.Entry:
    rows = {t: tables[t].num_rows for t in RAW_TABLES}
    if known is None:  # the registry was lost too: recovered from the document's own row
        return _recovered_entry(tables["raw_documents"].to_pylist()[0], rows, segment)
    fields = {k: v for k, v in known.items() if k in registry.Entry.__dataclass_fields__ and k != "intact"}
    return registry.Entry(**{**fields, "segment": segment, "rows": rows})


def migrate_old_layout(lake: Path) -> bool:
    """Convert a lake of the layout before segments (``raw/<table>/document_id=<id>/part.parquet``)
    in place, so no last good row is lost: the documents its registry lists as landed (or, if
    that registry is lost, every complete folder) are written into segments, then the new
    registry, then the manifest; the old folders are removed last (by :func:`registry.sweep`).
    A run killed midway leaves the old registry and folders, and migrates again. True if it ran."""
    ids = old_layout_ids(lake)
    if not ids:
        return False
    old = _old_entries(lake)
    if old is None and (lake / registry.REGISTRY_FILE).exists():
        reg = registry.load(lake)  # already migrated (killed before the old folders were removed)
        registry.sweep(lake, reg)
        return True
    batch = SegmentBatch(lake)
    landed: dict[str, registry.Entry] = {}
    for doc in ids:
        known = None if old is None else old.get(doc)
        if old is not None and (known is None or known.get("status") not in registry.LANDED):
            continue
        tables = _old_tables(lake, doc)
        if tables is not None and tables["raw_documents"].num_rows == 1:
            landed[doc] = _old_entry(doc, known, tables, batch.add(doc, tables))
    segments = {w.segment: registry.written_segment(lake, w) for w in batch.close()}
    others = {
        k: registry.Entry(**{f: v for f, v in e.items() if f in registry.Entry.__dataclass_fields__})
        for k, e in (old or {}).items()
        if k not in landed and e.get("status") not in registry.LANDED
    }
    reg = registry.pruned(registry.Registry({**others, **landed}, segments))
    registry.save(lake, reg)
    registry.publish_manifest(lake, reg)
    registry.sweep(lake, reg)
    print(
        f"jixiao: moved {len(landed)} document(s) of {one_line(lake)} into {len(segments)} segment(s)",
        file=sys.stderr,
    )
    return True


# --------------------------------------------------------------------------- committing a batch
def commit(
    lake: Path,
    before: registry.Registry,
    retract: set[str],
    landed: dict[str, registry.Entry],
    segments: dict[str, registry.Segment],
) -> registry.Registry:
    """Make a landed batch (its ``segments`` already durable) the lake's state, in the crash-safe
    order: the registry replaced atomically, the manifest rewritten from it, the segments no
    live document points into deleted, then compaction (same order). Returns the registry."""
    after = registry.apply(before, retract, landed, segments)
    if landed or retract or before.restated or any(not e.intact for e in before.entries.values()):
        registry.save(lake, after)
    registry.publish_manifest(lake, after)
    registry.sweep(lake, after)
    return compact(lake, after)


# --------------------------------------------------------------------------- compaction
COMPACT_BELOW_LIVE = 0.5  # a segment less than half live is rewritten ...
COMPACT_SMALL_DOCUMENTS = SEGMENT_DOCUMENTS // 4  # ... and so are small segments (under 64 live documents)
COMPACT_MAX_SMALL = 16  # ... once there are more than 16 of them


def compaction_candidates(reg: registry.Registry) -> list[str]:
    """The segments compaction rewrites (pure policy): every segment whose live fraction fell
    below ``COMPACT_BELOW_LIVE``, and, when more than ``COMPACT_MAX_SMALL`` segments hold fewer
    than ``COMPACT_SMALL_DOCUMENTS`` live documents, all of those small ones. Nothing when that
    would rewrite a single segment that is already all live."""
    live = reg.live_counts()
    sparse = {s for s, n in live.items() if n < COMPACT_BELOW_LIVE * max(reg.segments[s].documents, 1)}
    small = {s for s, n in live.items() if n < COMPACT_SMALL_DOCUMENTS}
    chosen = sparse | (small if len(small) > COMPACT_MAX_SMALL else set())
    return sorted(chosen)


def compact(lake: Path, reg: registry.Registry) -> registry.Registry:
    """Rewrite the live rows of :func:`compaction_candidates` into new segments (cost: the rows
    rewritten), in the crash-safe order: new segments durable, registry, manifest, then the old
    segments swept. Call it with the lake lock held."""
    chosen = compaction_candidates(reg)
    if not chosen:
        return reg
    live = reg.live()
    batch = SegmentBatch(lake)
    moved: dict[str, str] = {}
    for segment in chosen:
        docs = sorted(d for d, s in live.items() if s == segment)
        tables = {
            t: pq.read_table(segment_file(lake, t, segment), filters=[("document_id", "in", docs)]).cast(
                schema
            )
            for t, schema in RAW_TABLES.items()
        }
        new = batch.add_many(docs, tables)
        moved.update((d, new) for d in docs)
    segments = {w.segment: registry.written_segment(lake, w) for w in batch.close()}
    entries = {k: replace(e, segment=moved[k]) if k in moved else e for k, e in reg.entries.items()}
    after = registry.pruned(registry.Registry(entries, {**reg.segments, **segments}))
    registry.save(lake, after)
    registry.publish_manifest(lake, after)
    registry.sweep(lake, after)
    return after
