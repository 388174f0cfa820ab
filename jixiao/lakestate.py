"""The lake's own state, checked and healed: which warehouse it feeds, exactly what dbt reads,
and a registry rebuilt from the Parquet when ``registry.json`` is lost.

- **Binding** (``<lake>/bound_to.json``): a lake feeds one warehouse. Two warehouses refreshed
  from one lake would retract each other's documents and freeze stale builds, so a refresh of
  another warehouse is refused (exit 2) unless it asks to rebind the lake. The warehouse is
  recorded relative to the lake, so moving both together keeps the binding.
- **What dbt reads**: :func:`lake_fingerprint` covers every file dbt's source glob matches
  (``raw/<table>/*/*.parquet``), path and content hash (a recorded part's hash is trusted while
  its stat is the recorded one, so an unchanged lake costs a ``stat`` per file). Taken before and after the build, it is the
  fingerprint of exactly the inputs dbt read, or the build is refused.
- **A lost registry**: :func:`rebuild_registry` recovers its entries from the partitions (each
  document's ``raw_documents`` row names its file and content hash), so a lost ``registry.json``
  never retracts a file's last good rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from ingest.schema import RAW_TABLES
from ingest.writer import EMPTY_PARTITION, PART_FILE
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
    """The files dbt's sources read: ``<lake>/raw/<table>/*/*.parquet``."""
    return sorted(p for t in RAW_TABLES for p in (lake / "raw" / t).glob("*/*.parquet"))


def _dbt_reads(lake: Path) -> list[tuple[str, str, str]]:
    """(table, partition folder, file name) of every file :func:`lake_files` lists, by scandir
    (a fraction of a second for 40,000 parts, where pathlib's glob takes seconds)."""
    found = []
    for table in RAW_TABLES:
        try:
            folders = [d for d in os.scandir(lake / "raw" / table) if d.is_dir()]
        except OSError:
            continue
        for folder in folders:
            try:
                found += [
                    (table, folder.name, f.name)
                    for f in os.scandir(folder.path)
                    if f.name.endswith(".parquet")
                ]
            except OSError:
                continue
    return sorted(found)


def lake_fingerprint(lake: Path, reg: registry.Registry | None = None) -> str:
    """Every file dbt's glob matches, by path and content hash. A part the registry recorded is
    not read when its size, mtime, ctime and inode are the recorded ones (none of them changes
    without a write, and ctime cannot be set back): its recorded sha256 stands for its bytes.
    Any other file (a part rewritten in place, a file nobody recorded) is read and hashed."""
    reg = registry.load(lake) if reg is None else reg
    recorded = {
        (t, f"document_id={e.document_id}"): p
        for e in reg.entries.values()
        if e.landed
        for t, p in e.parts.items()
    }
    h = hashlib.sha256()
    for table, folder, name in _dbt_reads(lake):
        path = os.path.join(lake, "raw", table, folder, name)
        known = recorded.get((table, folder)) if name == PART_FILE else None
        digest = registry.recorded_digest(path, known or [])
        h.update(f"raw/{table}/{folder}/{name}".encode() + b"\0")
        h.update((digest or "gone").encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- a lost registry
def _recover_entry(lake: Path, document_id: str) -> registry.Entry | None:
    import pyarrow.parquet as pq

    paths = {t: registry.part_path(lake, t, document_id) for t in RAW_TABLES}
    try:
        rows = pq.read_table(
            paths["raw_documents"], columns=["source_file", "content_sha256", "byte_size"]
        ).to_pylist()
        counts = {t: pq.read_metadata(p).num_rows for t, p in paths.items()}
        parts = {t: registry.part_stat(p) for t, p in paths.items()}
    except (OSError, ValueError, KeyError):  # a partial or corrupt partition: swept, never trusted
        return None
    if len(rows) != 1:
        return None
    r = rows[0]
    status = "loaded_with_warnings" if counts.get("raw_parse_issues") else "loaded"
    return registry.Entry(
        document_id=document_id,
        content_sha256=r["content_sha256"] or "",
        source_file=r["source_file"] or "",
        byte_size=r["byte_size"] or 0,
        status=status,
        parser=RECOVERED,
        rows=counts,
        parts=parts,
        landed_by_run=RECOVERED,
    )


def rebuild_registry(lake: Path) -> registry.Registry:
    """Registry entries recovered from the partitions in the lake (saved if any were found)."""
    folder = lake / "raw" / "raw_documents"
    ids = (
        sorted(
            p.name.split("=", 1)[1]
            for p in folder.glob("document_id=*")
            if p.is_dir() and p.name != EMPTY_PARTITION
        )
        if folder.exists()
        else []
    )
    entries = {e.document_id: e for e in (_recover_entry(lake, i) for i in ids) if e is not None}
    if entries:
        print(
            f"jixiao: {one_line(lake / registry.REGISTRY_FILE)} was missing or unreadable; "
            f"rebuilt it from the {len(entries)} document(s) in the lake",
            file=sys.stderr,
        )
        registry.save(lake, registry.Registry(entries))
    return registry.Registry(entries)
