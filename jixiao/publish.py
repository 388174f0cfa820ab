"""Swap a built and validated warehouse in with a rename; keep the previous one for rollback."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from jixiao.paths import Layout


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


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        tmp_prev = prev.with_name(prev.name + ".tmp")
        if tmp_prev.exists():
            tmp_prev.unlink()
        os.link(served, tmp_prev)
        os.replace(tmp_prev, prev)
    os.replace(new, served)
    _fsync_dir(served.parent)


def rollback(layout: Layout) -> bool:
    """Serve the previous warehouse again; the current one becomes the new ``.prev``."""
    served, prev = layout.warehouse, layout.previous_warehouse
    if not prev.exists():
        return False
    tmp = served.with_name(served.name + ".rollback")
    os.link(prev, tmp)
    if served.exists():
        tmp_prev = prev.with_name(prev.name + ".tmp")
        if tmp_prev.exists():
            tmp_prev.unlink()
        os.link(served, tmp_prev)
        os.replace(tmp, served)
        os.replace(tmp_prev, prev)
    else:
        os.replace(tmp, served)
    _fsync_dir(served.parent)
    return True
