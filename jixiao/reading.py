"""Read one document file safely: capped in size, never blocking, and consistent (I/O).

``read_document`` returns the file's bytes, or raises ``Unreadable`` with a reason code and a
sentence (what the path is instead, and what was expected) for everything a real folder can
hold besides a readable file: a path that vanished since the folder was listed, a broken
symlink, a directory or a FIFO named ``x.txt``, a file the refresh may not read, a file over
the size cap, a file that keeps changing while it is read.

Decisions:

* Size cap ``MAX_DOCUMENT_MB`` (20 MB; ``JIXIAO_MAX_DOCUMENT_MB`` overrides). The largest
  sample is 63 KB and a big department's table is about 1 MB; parsing costs about 16x the
  file in memory and about a second per MB, so 20 MB bounds one document at roughly 350 MB
  and 25 s. A larger file is refused from its ``stat`` size, before any byte is read.
* A file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor, so
  a FIFO named ``x.txt`` cannot hang the refresh and a file swapped in between the check and
  the read is still the one checked. The read asks for the ``stat`` size plus one byte, never
  more, so a file that grows without end cannot keep the refresh reading.
* Consistency: size and mtime are compared before and after the read; if they differ the read
  is retried (``RETRIES`` times), then the file is reported as changing. A file replaced by a
  rename while it is read is fine: the open descriptor still reads the old, complete file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jixiao.escape import one_line

MAX_DOCUMENT_MB = 20
MAX_DOCUMENT_ENV = "JIXIAO_MAX_DOCUMENT_MB"
RETRIES = 2
_CHUNK = 1 << 20


class Unreadable(Exception):
    """A document path that cannot be read as a file; ``code`` + ``message`` say why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def max_document_bytes() -> int:
    raw = os.environ.get(MAX_DOCUMENT_ENV)
    try:
        mb = float(raw) if raw else MAX_DOCUMENT_MB
    except ValueError:
        mb = MAX_DOCUMENT_MB
    return int(mb * 1024 * 1024)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def too_large_message(size: int, limit: int) -> str:
    return (
        f"文件有 {_mb(size)}，超过单个文档 {_mb(limit)} 的上限，未读取；期望 PDF 抽取后的文本"
        f"（一个单位的绩效目标表通常小于 1 MB），如确需载入请拆分文件或设置环境变量 {MAX_DOCUMENT_ENV}"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "一个文件夹"
    if stat.S_ISFIFO(mode):
        return "一个命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备文件"
    return "一个特殊文件"


def _not_a_file(mode: int) -> Unreadable:
    return Unreadable("not_a_file", f"这个名字是{_kind(mode)}，不是普通文件；期望一个抽取后的文本文件")


def _outside_folder(path: Path) -> Unreadable | None:
    """A symlink whose target is not inside the documents folder is refused unread: a link to
    ``/etc/shadow`` or a secrets file must not have a byte of it quoted anywhere."""
    if not os.path.islink(path):
        return None
    folder = os.path.realpath(path.parent)
    target = os.path.realpath(path)
    if os.path.commonpath([folder, target]) == folder:
        return None
    return Unreadable("symlink_outside_folder",
                      "是一个指向文档文件夹之外的符号链接，未读取；期望文件夹内的文本文件（或指向文件夹内文件的链接）")


def read_document(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``; raise ``Unreadable`` with a reason when it cannot be read."""
    limit = max_document_bytes() if max_bytes is None else max_bytes
    refused = _outside_folder(path)
    if refused is not None:
        raise refused
    try:  # a socket or device cannot even be opened: say what it is first
        mode = os.stat(path).st_mode
    except OSError as err:
        raise explain_os_error(path, err) from None
    if not stat.S_ISREG(mode):
        raise _not_a_file(mode)
    for _attempt in range(RETRIES + 1):
        fd = _open(path)
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise _not_a_file(before.st_mode)
            if before.st_size > limit:
                raise Unreadable("too_large", too_large_message(before.st_size, limit))
            data = _read_upto(fd, before.st_size + 1)  # one byte more than stat said: did it grow?
            after = os.fstat(fd)
        except OSError as err:
            raise explain_os_error(path, err) from None
        finally:
            os.close(fd)
        if (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns) and len(data) == after.st_size:
            return data
    raise Unreadable(
        "file_changed",
        f"在读取过程中一直被改写（连续 {RETRIES + 1} 次读取前后的大小或修改时间都不同），本次未载入；"
        "期望刷新时文件已写完（先写临时文件再改名可避免），下次刷新会重新读取",
    )


def _open(path: Path) -> int:
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags)
    except OSError as err:
        raise explain_os_error(path, err) from None


def explain_os_error(path: Path, err: OSError) -> Unreadable:
    """The reason (code + sentence) for an ``OSError`` met while opening or reading ``path``.

    For any code that reads documents by other means (e.g. hashing a folder): turn the
    exception into the same reason ``read_document`` gives.
    """
    if isinstance(err, FileNotFoundError):
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return Unreadable("broken_symlink",
                              f"是一个符号链接，指向的「{one_line(target)}」不存在；期望链接指向一个可读的文本文件")
        return Unreadable(
            "file_vanished",
            "列出文件夹时还在，读取时已不存在（刷新过程中被删除或移走），本次未载入；下次刷新会按届时的文件夹处理",
        )
    if isinstance(err, PermissionError):
        return Unreadable(
            "permission_denied", f"没有读取权限（{err.strerror}）；期望刷新进程可读的文件，请检查文件的权限和属主"
        )
    if isinstance(err, IsADirectoryError):
        return Unreadable("not_a_file", "这个名字是一个文件夹，不是普通文件；期望一个抽取后的文本文件")
    return Unreadable(
        "read_error",
        f"打开或读取时出错（{err.strerror or type(err).__name__}）；期望一个可完整读取的文件，请检查磁盘或网络盘",
    )


def _read_upto(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes (fewer at end of file)."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
