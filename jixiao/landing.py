"""The ingest step's I/O shell: read each document, parse it (pure), land its Parquet."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ingest.containers import ContainerError, read_container
from ingest.decode import DecodeError
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import QUARANTINED, add_decode_warnings, judge, reason_sentence
from ingest.writer import SegmentBatch, encode_document, ensure_schema_segments
from jixiao import lakestate, progress, registry
from jixiao.escape import safe_reason
from jixiao.reading import Unreadable, read_document
from jixiao.registry import Entry, Registry, display_name, name_hex


@dataclass
class DocumentOutcome:
    source_file: str
    document_id: str | None
    status: str  # loaded | loaded_with_warnings | unchanged | duplicate | quarantined
    reason_code: str | None = None
    reason: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    reason_line: int | None = None


@dataclass
class DocumentRecord:
    """What one refresh did with one document (a row of ``ops.run_documents``)."""

    source_file: str
    document_id: str
    content_sha256: str | None
    byte_size: int | None
    action: str  # added | changed | renamed | reparsed | repaired | retried | unchanged | duplicate | removed
    status: str  # loaded | loaded_with_warnings | quarantined | failed | duplicate | removed
    reason_code: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    previous_document_id: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    previous_version_kept: bool = False  # bad new content: the file's last good rows stay loaded
    reason_line: int | None = None

    def verdict_row(self) -> dict:
        """What the gate's raw_document_verdicts frame reads of this record."""
        return {
            "document_id": self.document_id or None,
            "source_file": self.source_file,
            "status": self.status,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "reason_line": self.reason_line,
        }


@dataclass
class IngestReport:
    outcomes: list[DocumentOutcome]
    removed: list[str]
    documents: list[DocumentRecord] = field(default_factory=list)
    registry: Registry | None = None
    lake_changed: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def count_action(self, action: str) -> int:
        return sum(1 for d in self.documents if d.action == action)

    def count_status(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)


def parse_for_landing(
    path: Path, data: bytes, document_id: str
) -> tuple[DocumentOutcome, dict[str, pa.Table] | None]:
    """Decode, parse and judge one document, and its rows as Arrow tables (pure: bytes in,
    outcome and tables out, so it runs in a worker process). No tables when the verdict is
    quarantine. The policy and the reason sentences are ``ingest.verdict``'s."""
    from jixiao.reading import max_document_bytes, too_large_message

    name = display_name(path)
    if len(data) > max_document_bytes():  # callers should read with jixiao.reading (capped)
        return DocumentOutcome(
            name,
            document_id,
            QUARANTINED,
            "too_large",
            reason_sentence(name, None, too_large_message(len(data), max_document_bytes())),
        ), None
    try:
        decoded = read_container(data)  # the reader is chosen by content: text, markdown, HTML, PDF, Excel
    except (DecodeError, ContainerError) as err:
        return DocumentOutcome(
            name,
            document_id,
            QUARANTINED,
            err.code,
            reason_sentence(name, err.line, err.message),
            reason_line=err.line,
        ), None
    parsed = parse_document(decoded.parse_input, name, document_id)
    add_decode_warnings(parsed, decoded, name)
    verdict = judge(parsed, decoded.as_text, name)
    if verdict.status == QUARANTINED:
        return DocumentOutcome(
            name, document_id, QUARANTINED, verdict.reason_code, verdict.reason, reason_line=verdict.line
        ), None
    records = to_records(
        parsed, sha256=hashlib.sha256(data).hexdigest(), byte_size=len(data), encoding=decoded.encoding
    )
    tables, rows = encode_document(records)
    return DocumentOutcome(
        name,
        document_id,
        verdict.status,
        verdict.reason_code,
        verdict.reason,
        rows=rows,
        reason_line=verdict.line,
    ), tables


def land_document(path: Path, data: bytes, document_id: str, lake: Path) -> DocumentOutcome:
    """Decode, parse and land one document on its own, outside a refresh: loaded,
    loaded_with_warnings or quarantined. Its rows go into a segment of their own (durable), which
    no manifest names: read them with ``ingest.writer.document_rows``. A quarantined document
    writes nothing and deletes nothing."""
    outcome, tables = parse_for_landing(path, data, document_id)
    if tables is not None:
        batch = SegmentBatch(lake)
        batch.add(document_id, tables)
        batch.close()
    return outcome


def _parse_in_worker(
    path: Path, data: bytes, document_id: str
) -> tuple[DocumentOutcome, dict[str, pa.Table] | None]:
    """:func:`parse_for_landing` in a pool worker: a parser bug fails that document only."""
    try:
        return parse_for_landing(path, data, document_id)
    except Exception as err:
        name = display_name(path)
        return DocumentOutcome(
            name, document_id, "failed", "landing_error", f"{name}: {type(err).__name__}: {err}"
        ), None


def unreadable_outcome(path: Path, document_id: str | None, err: Unreadable) -> DocumentOutcome:
    """The quarantine outcome of a path ``jixiao.reading.read_document`` could not read."""
    name = display_name(path)
    return DocumentOutcome(name, document_id, QUARANTINED, err.code, reason_sentence(name, None, err.message))


PARALLEL_FROM = 8  # documents to parse before a worker pool pays for its start
WORKERS_ENV = "JIXIAO_INGEST_WORKERS"


def ingest_workers() -> int:
    """Worker processes for parsing: ``JIXIAO_INGEST_WORKERS``, else one per core."""
    try:
        return max(1, int(os.environ.get(WORKERS_ENV, "")))
    except ValueError:
        return os.cpu_count() or 1


def _read_planned(item: registry.Planned) -> tuple[bytes | None, DocumentOutcome | None]:
    """The planned file's bytes, or why it is not landed (unreadable, changed since the scan)."""
    f = item.file
    assert f is not None
    try:
        data = read_document(f.path)
    except Unreadable as err:
        return None, unreadable_outcome(f.path, f.document_id, err)
    if hashlib.sha256(data).hexdigest() != f.content_sha256:
        return None, DocumentOutcome(
            f.name,
            f.document_id,
            "failed",
            "changed_during_refresh",
            f"{f.name} changed while the refresh was reading it; the next refresh takes it",
        )
    return data, None


def _entry(item: registry.Planned, outcome: DocumentOutcome, segment: str, parser: str, run_id: str) -> Entry:
    f = item.file
    assert f is not None
    return Entry(
        document_id=f.document_id,
        content_sha256=f.content_sha256,
        source_file=f.name,
        byte_size=f.byte_size,
        status=outcome.status,
        parser=parser,
        reason_code=outcome.reason_code,
        reason=outcome.reason,
        rows=dict(outcome.rows),
        segment=segment,
        first_seen_run=item.entry.first_seen_run if item.entry and item.entry.first_seen_run else run_id,
        landed_by_run=run_id,
        reason_line=outcome.reason_line,
        source_name_hex=name_hex(f.path),
    )


Landed = tuple[registry.Planned, DocumentOutcome, Entry | None]


def _failed(f: registry.FileSeen, err: Exception) -> DocumentOutcome:
    return DocumentOutcome(
        f.name, f.document_id, "failed", "landing_error", f"{f.name}: {type(err).__name__}: {err}"
    )


def _land(item: registry.Planned, batch: SegmentBatch, parser: str, run_id: str) -> Landed:
    """Parse one planned document in this process; an unexpected error fails that document, not the refresh."""
    f = item.file
    assert f is not None
    data, early = _read_planned(item)
    if early is not None:
        return item, early, None
    try:
        outcome, tables = parse_for_landing(f.path, data, f.document_id)
    except Exception as err:  # a parser bug must not stop the other documents
        outcome, tables = _failed(f, err), None
    return _finish(item, outcome, tables, batch, parser, run_id)


# What the forkserver imports once, before it forks the workers: the parser and what its first
# document would otherwise import in every worker (pyarrow's Table.from_pylist imports pandas,
# 0.4 s; the markdown/HTML reader and the size cap are imported on use).
WORKER_PRELOAD = ("jixiao.landing", "jixiao.reading", "ingest.containers.markup", "pandas")


def pool_context() -> multiprocessing.context.ForkServerContext:
    """The ``forkserver`` context the ingest pool runs in, preloaded with :data:`WORKER_PRELOAD`.

    Forkserver rather than fork: the parent has used pyarrow and holds the refresh locks, and
    workers must inherit neither."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    return ctx


def _land_parallel(
    items: list[registry.Planned], batch: SegmentBatch, parser: str, run_id: str, workers: int
) -> list[Landed]:
    """Land many documents: this process reads each file and gathers the rows into segments, a
    pool of ``workers`` processes decodes, parses and builds the rows (:func:`parse_for_landing`).
    At most a few documents per worker are in flight (memory stays bounded: one open segment
    besides)."""
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    ctx = pool_context()
    done: list[Landed] = []
    queue: deque = deque()
    todo = iter(items)
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:

        def submit_one() -> None:
            for item in todo:
                data, early = _read_planned(item)
                if early is not None:
                    done.append((item, early, None))
                    continue
                queue.append((item, pool.submit(_parse_in_worker, item.file.path, data, item.document_id)))
                return

        for _ in range(4 * workers):
            submit_one()
        while queue:
            item, future = queue.popleft()
            submit_one()
            try:
                outcome, tables = future.result()
            except Exception as err:  # the worker died (killed, out of memory): that document fails
                outcome, tables = _failed(item.file, err), None
            done.append(_finish(item, outcome, tables, batch, parser, run_id))
    return done


def _finish(
    item: registry.Planned,
    outcome: DocumentOutcome,
    tables: dict[str, pa.Table] | None,
    batch: SegmentBatch,
    parser: str,
    run_id: str,
) -> Landed:
    """Put what was parsed into the open segment (this process is the only writer of the lake)."""
    outcome.reason = safe_reason(outcome.reason)  # quotes of document text: short, escaped
    segment = ""
    if tables is not None and outcome.status in registry.LANDED:
        segment = batch.add(item.document_id, tables)
    return item, outcome, _entry(item, outcome, segment, parser, run_id)


def _land_all(
    items: list[registry.Planned], lake: Path, parser: str, run_id: str
) -> tuple[list[Landed], dict[str, registry.Segment]]:
    """Land every planned document (in a worker pool when there are enough, else in this
    process) into new segments, durable when this returns (one ``syncfs``)."""
    batch = SegmentBatch(lake)
    workers = min(ingest_workers(), len(items))
    if len(items) >= PARALLEL_FROM and workers > 1:
        done = _land_parallel(items, batch, parser, run_id, workers)
    else:
        done = [_land(item, batch, parser, run_id) for item in items]
    return done, {w.segment: registry.written_segment(lake, w) for w in batch.close()}


def ingest_folder(documents: Path, lake: Path, *, run_id: str = "", force: bool = False) -> IngestReport:
    """Bring ``lake`` in line with ``documents``, parsing only what is new or changed.

    Order matters for crash safety: new segments are written (and synced) first, then the
    registry is replaced atomically, then the manifest dbt reads is rewritten from it, then
    segments no live document points into are swept; compaction last, in the same order. A run
    killed at any point leaves a registry that only vouches for complete, unaltered segments
    (and a manifest that is either the old one, whose segments are all still there, or is
    rewritten from the registry by the next run, before anything reads it); the next run sweeps
    whatever else it finds. Call it with the refresh lock held.

    A file whose new content is not loaded (quarantined, failed, unreadable) keeps its last good
    version in the lake, and so in the warehouse, until a sound version or its removal.
    """
    ensure_schema_segments(lake)
    lakestate.migrate_old_layout(lake)
    before = registry.load(lake)
    registry.publish_manifest(lake, before)
    registry.sweep(lake, before)
    parser = registry.parser_fingerprint()
    cache = registry.load_scan_cache(lake)
    cached_before = dict(cache)
    plan = registry.plan(
        registry.scan(documents, before.known_contents(), cache), before, parser, force=force
    )

    landed: dict[str, Entry] = {}
    results: dict[str, DocumentOutcome] = {}
    to_land = plan.to_land()
    done, segments = _land_all(to_land, lake, parser, run_id)
    for n, (item, outcome, entry) in enumerate(done, start=1):
        progress.report("ingest", n, len(to_land), "documents parsed")
        results[item.document_id] = outcome
        if entry is not None:
            landed[item.document_id] = entry

    def standing(item: registry.Planned) -> str:
        if item.action == registry.UNREADABLE:
            return "quarantined"
        if item.document_id in results:
            return results[item.document_id].status
        return item.entry.status if item.entry else "failed"

    bad_names = {
        i.file.name
        for i in plan.documents
        if i.file is not None and i.action != registry.DUPLICATE and standing(i) not in registry.LANDED
    }
    kept = registry.keep_last_good(before, plan, bad_names)
    retract = set(plan.retract) - kept
    kept_by_name = {before.entries[k].source_file: k for k in kept}
    after = lakestate.commit(lake, before, retract, landed, segments)
    if cache != cached_before:
        registry.save_scan_cache(lake, cache)

    outcomes: list[DocumentOutcome] = []
    records: list[DocumentRecord] = []
    for item in plan.documents:
        f = item.file
        if item.action == registry.REMOVED:
            e = item.entry
            records.append(
                DocumentRecord(
                    e.source_file,
                    e.document_id,
                    e.content_sha256,
                    e.byte_size,
                    item.action,
                    "removed",
                    rows=dict(e.rows),
                )
            )
            continue
        if item.action == registry.UNREADABLE:
            outcome = DocumentOutcome(
                f.name,
                None,
                "quarantined",
                f.error_code or "unreadable",
                reason_sentence(f.name, None, f.error or "无法读取"),
            )
            status = "quarantined"
        elif item.action == registry.DUPLICATE:
            same = "完全相同" if item.duplicate_bytes else "相同（编码、换行符、BOM、行尾空格或空行不同）"
            reason = f"与「{item.duplicate_of}」内容{same}，只载入一次"
            outcome = DocumentOutcome(f.name, f.document_id, "duplicate", "duplicate_content", reason)
            status = "duplicate"
        elif item.document_id in results:
            outcome = results[item.document_id]
            status = outcome.status
        else:  # unchanged: report its standing state without parsing it
            e = item.entry
            status = e.status
            shown = "unchanged" if e.landed else e.status
            outcome = DocumentOutcome(
                f.name, f.document_id, shown, e.reason_code, e.reason, dict(e.rows), reason_line=e.reason_line
            )
        outcomes.append(outcome)
        kept_id = kept_by_name.get(f.name) if status not in registry.LANDED else None
        records.append(
            DocumentRecord(
                f.name,
                f.document_id or None,
                f.content_sha256 or None,
                f.byte_size if not f.error else None,
                item.action,
                status,
                outcome.reason_code,
                outcome.reason,
                item.duplicate_of,
                kept_id or item.previous_document_id,
                dict(outcome.rows),
                previous_version_kept=kept_id is not None,
                reason_line=outcome.reason_line,
            )
        )
    removed = [d.document_id for d in records if d.action == registry.REMOVED]
    return IngestReport(
        outcomes, removed, records, after, lake_changed=after.lake_fingerprint() != before.lake_fingerprint()
    )
