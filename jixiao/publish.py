"""Swap a built and validated warehouse in with a rename; keep the previous one for rollback."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.writer import fsync_dir
from jixiao.paths import Layout
from jixiao.testhook import pause_point


def finalise(path: Path) -> None:
    """Checkpoint so the file carries everything (no WAL) before it is renamed into place."""
    con = duckdb.connect(str(path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint")



def _link_over(src: Path, dst: Path) -> None:
    """Make ``dst`` another name of ``src``'s file, atomically (link to a temp name, rename).

    rename(2) between two names of one inode does nothing and leaves the temp name behind, so
    that case (e.g. after a publish killed right after this step) is skipped.
    """
    if dst.exists() and os.path.samefile(src, dst):
        return
    tmp = dst.with_name(dst.name + ".tmp")
    tmp.unlink(missing_ok=True)
    os.link(src, tmp)
    os.replace(tmp, dst)


def publish(layout: Layout) -> None:
    """Atomically replace the served warehouse with ``layout.next_warehouse``.

    The served file is first hard-linked to ``.prev`` (the rollback copy), then the new file
    is renamed over it: at every instant a complete warehouse is at the served path, and
    readers that already have it open keep reading the old inode.
    """
    served, new, prev = layout.warehouse, layout.next_warehouse, layout.previous_warehouse
    with open(new, "rb") as fh:
        os.fsync(fh.fileno())
    if served.exists():
        _link_over(served, prev)
    pause_point("publish")  # test-only: .prev linked, the new file not yet swapped in
    os.replace(new, served)
    fsync_dir(served.parent)


def stale_files(layout: Layout) -> list[Path]:
    """What a killed refresh or rollback may leave beside the served warehouse."""
    served, new, prev = layout.warehouse, layout.next_warehouse, layout.previous_warehouse
    names = [
        new,
        new.with_name(new.name + ".wal"),
        prev.with_name(prev.name + ".tmp"),
        served.with_name(served.name + ".rollback"),
    ]
    return [p for p in names if p.exists()]


def clean_stale(layout: Layout) -> list[Path]:
    """Remove a killed run's leftovers (call with the refresh lock held). The served file and
    ``.prev`` are never among them: both are always complete warehouses."""
    removed = stale_files(layout)
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def rollback(layout: Layout) -> bool:
    """Serve the previous warehouse again; the current one becomes the new ``.prev``."""
    served, prev = layout.warehouse, layout.previous_warehouse
    if not prev.exists() or (served.exists() and os.path.samefile(served, prev)):
        return False
    tmp = served.with_name(served.name + ".rollback")
    tmp.unlink(missing_ok=True)
    os.link(prev, tmp)
    if served.exists():
        tmp_prev = prev.with_name(prev.name + ".tmp")
        tmp_prev.unlink(missing_ok=True)
        os.link(served, tmp_prev)
        os.replace(tmp, served)
        os.replace(tmp_prev, prev)
    else:
        os.replace(tmp, served)
    fsync_dir(served.parent)
    return True
