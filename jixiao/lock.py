"""One refresh at a time: an exclusive ``flock`` on ``Layout.lock``, waited for a bounded time.

The kernel releases a ``flock`` when the last descriptor of its open file goes away, so a holder
killed with SIGKILL never leaves a stale lock behind. The lock file itself is never deleted
(deleting a lock file lets two processes lock two different inodes); it only carries a line
saying who holds it, for the message the next process prints.

A lock file deleted while held must not let a second process in, so what is locked is the
folder the lock file names (``flock`` on the directory's descriptor), not the file: deleting the
lock file (an operator clearing a "stale" lock) leaves the lock held. After ``flock`` the holder
checks that the folder it locked is still the one at that path (same device and inode) and starts
again if not. The lock file only carries the holder's line. One lock per folder: two warehouses
in one folder (which share ``data_docs``) refresh one at a time.

A refresh takes two locks, always in this order: the lake's (``<lake>/.refresh.lock``), then the
warehouse's (``<warehouse>.lock``); see :func:`acquire_all`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path


class LockHeld(RuntimeError):
    """Another process holds the refresh lock (exit code 4)."""


class RefreshLock:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd

    def fileno(self) -> int:
        return self.fd

    def release(self) -> None:
        if self.fd >= 0:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = -1

    def __enter__(self) -> RefreshLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(path: Path) -> str:
    """Who last took the lock (pid, host, command, since), as written by ``acquire``."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    here = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (here.st_dev, here.st_ino)


def _lock_once(path: Path, deadline: float, wait: float, poll: float) -> int | None:
    """flock a fresh descriptor of ``path``'s folder; None if it was replaced meanwhile (retry)."""
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    who = holder(path) or "another process"
                    raise LockHeld(
                        f"another jixiao process holds {path} ({who}); waited {wait:g}s. "
                        "Nothing was changed. Retry later or pass --wait SECONDS."
                    ) from None
                time.sleep(poll)
    except BaseException:
        os.close(fd)
        raise
    if _same_file(fd, path.parent):
        return fd
    os.close(fd)  # deleted or replaced while we waited: lock what the path names now
    return None


def acquire(path: Path, wait: float = 0.0, purpose: str = "refresh", poll: float = 0.1) -> RefreshLock:
    """Take the lock, waiting at most ``wait`` seconds; raise :class:`LockHeld` otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(wait, 0.0)
    fd = None
    while fd is None:
        fd = _lock_once(path, deadline, wait, poll)
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = f"pid {os.getpid()} on {socket.gethostname()}, {purpose} since {since}\n"
    with contextlib.suppress(OSError):  # the holder's line is a courtesy; the lock is the folder's
        path.write_text(line, encoding="utf-8")
    return RefreshLock(path, fd)


class Locks:
    """Several locks held together, released in reverse order."""

    def __init__(self, locks: list[RefreshLock]) -> None:
        self.locks = locks

    def fds(self) -> tuple[int, ...]:
        return tuple(lock.fileno() for lock in self.locks)

    def release(self) -> None:
        for lock in reversed(self.locks):
            lock.release()

    def __enter__(self) -> Locks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire_all(paths: list[Path], wait: float = 0.0, purpose: str = "refresh") -> Locks:
    """Take every lock in the given (fixed) order, so two processes never deadlock."""
    deadline = time.monotonic() + max(wait, 0.0)
    held: list[RefreshLock] = []
    folders: set[Path] = set()
    try:
        for path in paths:
            if path.parent.resolve() in folders:  # one flock per folder (a second would block on the first)
                continue
            folders.add(path.parent.resolve())
            held.append(acquire(path, max(deadline - time.monotonic(), 0.0), purpose))
    except BaseException:
        Locks(held).release()
        raise
    return Locks(held)
