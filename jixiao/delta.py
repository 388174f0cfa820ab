"""What a build changes: the documents whose rows differ between the served warehouse and the lake.

The served build records, per landed document, a fingerprint of exactly what dbt read for it
(``ops.build_documents``: its content hash, name, parser and landing run). The next build compares
those with the registry as ingest left it, so a document a previous refresh ingested but never
served (its gate failed) still counts as added. The delta goes into the build as
``ops.build_delta(document_id, change)``: the incremental models read it, and it stays in the
published file as provenance ("what this build changed").

Pure decisions (:func:`compute_delta`, :func:`choose_mode`) are separate from the I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from jixiao import registry

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
FULL, INCREMENTAL = "full", "incremental"
# Above this share of the served documents changed, a full build is cheaper than patching.
INCREMENTAL_MAX_SHARE = 0.2


@dataclass(frozen=True)
class BuildPlan:
    mode: str  # full | incremental
    delta: dict[str, str] = field(default_factory=dict)  # document_id -> added | changed | removed
    reason: str = ""


def document_fingerprint(entry: registry.Entry) -> str:
    """What decides one document's raw rows: its bytes, the name it is read under (a raw column),
    the parser that read it and the landing that wrote them. Which segment holds them is left
    out: compaction moves rows without changing them."""
    key = [entry.document_id, entry.content_sha256, entry.source_file, entry.parser, entry.landed_by_run]
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]


def document_fingerprints(reg: registry.Registry) -> dict[str, str]:
    """Every landed document of the lake -> its fingerprint (the documents dbt will read)."""
    return {e.document_id: document_fingerprint(e) for e in reg.landed()}


def compute_delta(served: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """document_id -> change, for every document whose rows differ between the two."""
    delta = {d: ADDED for d in current.keys() - served.keys()}
    delta.update({d: REMOVED for d in served.keys() - current.keys()})
    delta.update({d: CHANGED for d in current.keys() & served.keys() if current[d] != served[d]})
    return dict(sorted(delta.items()))


def choose_mode(
    served_build: dict | None,
    served_documents: dict[str, str] | None,
    current: dict[str, str],
    project_fingerprint: str,
    *,
    dirty: bool = False,
    force: bool = False,
) -> BuildPlan:
    """Incremental when a trusted served build of the same project holds its per-document
    fingerprints and the change is small; a full build otherwise (the reason says why)."""
    baseline = served_documents or {}
    delta = compute_delta(baseline, current)
    reason = _full_reason(served_build, served_documents, project_fingerprint, dirty, force)
    if reason is None and len(delta) > INCREMENTAL_MAX_SHARE * max(len(baseline), 1):
        reason = f"{len(delta)} of {len(baseline)} documents changed (> {INCREMENTAL_MAX_SHARE:.0%})"
    if reason is None and not delta:
        reason = "no document changed (the project or the gate did)"
    if reason is not None:
        return BuildPlan(FULL, delta, reason)
    return BuildPlan(INCREMENTAL, delta, f"{len(delta)} document(s) changed")


def _full_reason(
    served_build: dict | None,
    served_documents: dict[str, str] | None,
    project_fingerprint: str,
    dirty: bool,
    force: bool,
) -> str | None:
    if force:
        return "forced"
    if served_build is None:
        return "no served warehouse"
    if dirty:
        return "the served warehouse is not what was published"
    if served_build.get("project_fingerprint") != project_fingerprint:
        return "the project (models, seeds, macros, rules, versions) changed"
    if served_documents is None:
        return "the served warehouse records no per-document fingerprints"
    return None


# --------------------------------------------------------------------------- I/O
def read_served_documents(warehouse: Path) -> dict[str, str] | None:
    """``ops.build_documents`` of a warehouse file (read-only); None if it has none."""
    from jixiao.reader import query_or_none

    sql = "select document_id, document_fingerprint from ops.build_documents"
    return query_or_none(warehouse, lambda con: dict(con.execute(sql).fetchall()))


def write_delta(warehouse: Path, plan: BuildPlan, current: dict[str, str]) -> None:
    """Give the build ``ops.build_delta`` and ``ops.build_documents`` (before dbt runs)."""
    import duckdb
    import pyarrow as pa

    delta = pa.table(  # noqa: F841 - read by name below
        {
            "document_id": pa.array(list(plan.delta), pa.string()),
            "change": pa.array(list(plan.delta.values()), pa.string()),
            "build_mode": pa.array([plan.mode] * len(plan.delta), pa.string()),
        }
    )
    docs = pa.table(  # noqa: F841
        {
            "document_id": pa.array(sorted(current), pa.string()),
            "document_fingerprint": pa.array([current[d] for d in sorted(current)], pa.string()),
        }
    )
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.build_delta as select * from delta order by document_id")
        con.execute("create or replace table ops.build_documents as select * from docs order by document_id")
        con.execute("checkpoint")
    finally:
        con.close()


def copy_served(served: Path, target: Path) -> None:
    """Copy the served snapshot to ``target`` (a reflink where the filesystem has it), writable."""
    import os

    src = Path(os.path.realpath(served))
    with open(src, "rb") as fin, open(target, "wb") as fout:
        _copy_range(fin.fileno(), fout.fileno(), os.fstat(fin.fileno()).st_size)
        os.fsync(fout.fileno())
    os.chmod(target, 0o644)


def _copy_range(fd_in: int, fd_out: int, size: int) -> None:
    """copy_file_range: in-kernel, and shared extents (reflink) on btrfs / XFS / overlay."""
    import os
    import shutil

    try:
        done = 0
        while done < size:
            n = os.copy_file_range(fd_in, fd_out, size - done)
            if n == 0:
                break
            done += n
        if done == size:
            return
    except OSError:
        pass
    os.lseek(fd_in, 0, os.SEEK_SET)
    os.lseek(fd_out, 0, os.SEEK_SET)
    os.ftruncate(fd_out, 0)
    with open(fd_in, "rb", closefd=False) as fin, open(fd_out, "wb", closefd=False) as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
