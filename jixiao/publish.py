"""Serve a built and validated warehouse; keep the previous one for rollback.

Every publish is a new, immutable, uniquely named file ``<dir>/.<name>.published/<run_id>.duckdb``
(mode 0444, its sha256 beside it), and the served path is a relative symlink to it, replaced
atomically (temp link, rename). ``<warehouse>.prev`` links to the build served before. So:

- a reader opening the served path gets the newest publish: the path resolves to a file name no
  earlier connection has used, and DuckDB (which reuses an open database per file within one
  process) cannot hand back the old one;
- readers that already have a build open keep reading it, complete, until they close it;
- a file readers cannot open is never served: the build is opened read-only and checked first;
- a read-write session on a served file (root ignores the 0444 mode) is detected by the next
  refresh: its lock, its leftover ``.wal``, or a checksum that no longer matches
  (:func:`check_served`); a changed file is never trusted for rollback.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.writer import fsync_dir
from jixiao.paths import Layout

SERVED_MODE = 0o444


class PublishError(RuntimeError):
    """A build or a rollback target that must not be served (one line: why, what to do)."""


def finalise(path: Path) -> None:
    """Checkpoint so the file carries everything (no WAL) before it is published."""
    con = duckdb.connect(str(path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint")


# --------------------------------------------------------------------------- snapshots
def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _sidecar(snap: Path) -> Path:
    return snap.with_name(snap.name + ".sha256")


def _stat_line(snap: Path) -> str:
    """Size, mtime, ctime and inode: none changes without a write to the file, and the ctime
    cannot be set back, so an equal line is the file that was sealed."""
    st = snap.stat()
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"


def verified(snap: Path) -> bool:
    """The snapshot is byte for byte what was published: its stat is the sealed one (a stat,
    not a read of the whole file), or else its sha256 is. A file whose bytes are the sealed
    ones under a new stat (the folder was copied or moved) has the new stat recorded, so it is
    read whole once, not on every refresh."""
    side = _sidecar(snap)
    try:
        lines = side.read_text(encoding="ascii").split("\n")
        if len(lines) > 1 and lines[1].strip() and lines[1].strip() == _stat_line(snap):
            return True
        if lines[0].strip() != sha256_file(snap):
            return False
    except OSError:
        return False
    _restat(side, lines[0].strip(), _stat_line(snap))
    return True


def _restat(side: Path, digest: str, stat_line: str) -> None:
    """Replace the sidecar atomically with the same digest and the file's new stat (best effort:
    an unwritable folder only means the file is hashed again next time)."""
    tmp = side.with_name(side.name + ".tmp")
    try:
        tmp.write_text(digest + "\n" + stat_line + "\n", encoding="ascii")
        os.replace(tmp, side)
    except OSError:
        tmp.unlink(missing_ok=True)


def readable_problem(path: Path) -> str | None:
    """Why readers could not use ``path`` (None if it opens read-only and has its tables)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        return f"cannot be opened read-only ({str(err).splitlines()[0]})"
    try:
        if not con.execute("select count(*) from ops.build").fetchone()[0]:
            return "has no ops.build row"
        marts = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchone()[0]
        return None if marts else "has no marts tables"
    except duckdb.Error as err:
        return f"is not a complete warehouse ({str(err).splitlines()[0]})"
    finally:
        con.close()


def linked_snapshot(link: Path) -> Path | None:
    """The snapshot a served or ``.prev`` link names (None if there is none)."""
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.exists() else None


def _link(dst: Path, snap: Path) -> None:
    """Make ``dst`` a relative symlink to ``snap``, atomically."""
    tmp = dst.with_name(dst.name + ".tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snap, dst.parent), tmp)
    os.replace(tmp, dst)


def _swap_link(served: Path, snap: Path) -> None:
    """The instant of publishing: the served path names the new build."""
    _link(served, snap)


def _seal(snap: Path) -> None:
    os.chmod(snap, SERVED_MODE)
    side = _sidecar(snap)
    side.write_text(sha256_file(snap) + "\n" + _stat_line(snap) + "\n", encoding="ascii")
    for p in (snap, side):
        with open(p, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(snap.parent)


def adopt_plain_files(layout: Layout) -> None:
    """A served file or ``.prev`` from before snapshots (a plain file) becomes a snapshot."""
    layout.snapshots.mkdir(parents=True, exist_ok=True)
    for path in (layout.warehouse, layout.previous_warehouse):
        if path.is_symlink() or not path.is_file():
            continue
        snap = layout.snapshots / f"adopted-{path.stat().st_ino}.duckdb"
        if not snap.exists():
            os.link(path, snap)
            _seal(snap)
        _link(path, snap)
    fsync_dir(layout.warehouse.parent)


def publish(layout: Layout, run_id: str) -> Path:
    """Serve ``layout.next_warehouse`` as the snapshot of ``run_id``; return the snapshot.

    The build becomes an immutable snapshot (0444, sha256 recorded), is opened read-only and
    checked, and only then does the served link move to it; the build served before becomes
    ``.prev`` if it is still exactly what was published.
    """
    adopt_plain_files(layout)
    snap = layout.snapshots / f"{run_id}.duckdb"
    os.replace(layout.next_warehouse, snap)
    _seal(snap)
    problem = readable_problem(snap)
    if problem:
        _remove_snapshot(snap)
        raise PublishError(
            f"the built warehouse {problem}; nothing was published, the previous one stays served"
        )
    old = linked_snapshot(layout.warehouse)
    if old is not None and old != snap and verified(old):
        _link(layout.previous_warehouse, old)
    _swap_link(layout.warehouse, snap)
    fsync_dir(layout.warehouse.parent)
    prune(layout)
    return snap


def _remove_snapshot(snap: Path) -> None:
    for p in (snap, _sidecar(snap), snap.with_name(snap.name + ".wal")):
        p.unlink(missing_ok=True)


def prune(layout: Layout) -> list[Path]:
    """Delete snapshots that are neither served nor ``.prev`` (open readers keep their copy)."""
    keep = {linked_snapshot(layout.warehouse), linked_snapshot(layout.previous_warehouse)}
    removed = []
    for snap in sorted(layout.snapshots.glob("*.duckdb")) if layout.snapshots.exists() else []:
        if snap not in keep:
            _remove_snapshot(snap)
            removed.append(snap)
    return removed


# --------------------------------------------------------------------------- a served file's health
def writer_pid(path: Path) -> int | None:
    """The pid holding a write lock on ``path`` (a read-write DuckDB session), None if none."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        query = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        kind, _whence, _start, _len, pid = struct.unpack("hhqqi4x", answer)
        return pid if kind == fcntl.F_WRLCK else None
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass
class ServedState:
    notes: list[str] = field(default_factory=list)
    dirty: bool = False  # the served build is not what was published: publish a fresh one


def check_served(layout: Layout) -> ServedState:
    """Detect (and clear what can be cleared) what a read-write session did to served files:
    a live write lock, a stale ``.wal`` left by a session that died, a changed checksum."""
    state = ServedState()
    adopt_plain_files(layout)
    current = linked_snapshot(layout.warehouse)
    if layout.warehouse.exists() and current is None:
        state.dirty = True
        state.notes.append(f"{layout.warehouse} is not a published snapshot; a fresh one is published")
    for role, snap in (("served", current), (".prev", linked_snapshot(layout.previous_warehouse))):
        if snap is None:
            continue
        _check_snapshot(role, snap, state, is_current=role == "served")
    return state


def _check_snapshot(role: str, snap: Path, state: ServedState, is_current: bool) -> None:
    wal = snap.with_name(snap.name + ".wal")
    pid = writer_pid(snap)
    if pid is not None:
        state.notes.append(
            f"a read-write session (pid {pid}) holds the {role} file {snap.name}; "
            "it is no longer trusted" + ("; a fresh copy is published" if is_current else "")
        )
        state.dirty |= is_current
    elif wal.exists():
        wal.unlink(missing_ok=True)
        state.notes.append(
            f"removed the stale write-ahead log {wal.name} a read-write session left on the {role} file"
        )
    if pid is None and not verified(snap):
        state.notes.append(
            f"the {role} file {snap.name} was changed since it was published; it is no longer trusted"
            + ("; a fresh copy is published" if is_current else " for rollback")
        )
        state.dirty |= is_current


# --------------------------------------------------------------------------- leftovers, rollback
def stale_files(layout: Layout) -> list[Path]:
    """What a killed refresh or rollback may leave beside the served warehouse."""
    served, new, prev = layout.warehouse, layout.next_warehouse, layout.previous_warehouse
    names = [
        new,
        new.with_name(new.name + ".wal"),
        prev.with_name(prev.name + ".tmp"),
        served.with_name(served.name + ".tmp"),
        served.with_name(served.name + ".rollback"),
    ]
    return [p for p in names if p.is_symlink() or p.exists()]


def clean_stale(layout: Layout) -> list[Path]:
    """Remove a killed run's leftovers (call with the refresh lock held). The served file and
    ``.prev`` are never among them: both are always complete warehouses."""
    removed = stale_files(layout)
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def rollback(layout: Layout) -> bool:
    """Serve the previous build again; the current one becomes ``.prev`` (if still intact).

    Raises :class:`PublishError` if ``.prev`` is corrupt or was changed since it was published.
    """
    adopt_plain_files(layout)
    current, prev = linked_snapshot(layout.warehouse), linked_snapshot(layout.previous_warehouse)
    if prev is None or prev == current:
        return False
    problem = None if verified(prev) else "was changed since it was published (checksum mismatch)"
    problem = problem or readable_problem(prev)
    if problem:
        raise PublishError(
            f"the previous warehouse {layout.previous_warehouse} {problem}; not served. "
            "Run `jixiao refresh --force` to build a fresh one."
        )
    _swap_link(layout.warehouse, prev)
    if current is not None and verified(current):
        _link(layout.previous_warehouse, current)
    else:
        layout.previous_warehouse.unlink(missing_ok=True)
    fsync_dir(layout.warehouse.parent)
    return True
