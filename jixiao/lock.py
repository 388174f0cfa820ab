"""One refresh at a time: an exclusive ``flock`` on ``Layout.lock``, waited for a bounded time.

The kernel releases a ``flock`` when the last descriptor of its open file goes away, so a holder
killed with SIGKILL never leaves a stale lock behind. The lock file itself is never deleted
(deleting a lock file lets two processes lock two different inodes); it only carries a line
saying who holds it, for the message the next process prints.
"""

from __future__ import annotations

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


def acquire(path: Path, wait: float = 0.0, purpose: str = "refresh", poll: float = 0.1) -> RefreshLock:
    """Take the lock, waiting at most ``wait`` seconds; raise :class:`LockHeld` otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(wait, 0.0)
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
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = f"pid {os.getpid()} on {socket.gethostname()}, {purpose} since {since}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, line, 0)
    return RefreshLock(path, fd)
