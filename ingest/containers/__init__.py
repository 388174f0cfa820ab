"""Container readers: a file's bytes -> the ``Line`` list the layout readers read (pure).

``read_container`` chooses the reader by content, not by the file's name: ``%PDF`` is a PDF
(``pdf``), a ZIP holding ``xl/`` an Excel workbook (``xlsx``), an OLE file an Excel 97-2003
workbook (``xls``); text is decoded (``ingest.decode``) and read as an HTML document
(``<html``/``<!doctype html`` with a ``<table``), as markdown (pipe-table rows or an embedded
``<table>``), or as today's TAB text (``text``: the decoded text is passed on unchanged, so
``ingest.tables.to_lines`` behaves exactly as before). A file no reader takes raises
``DecodeError`` or ``ContainerError`` with a reason code and a sentence.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from ingest.containers.grid import ContainerError
from ingest.decode import DecodeWarning, decode_bytes
from ingest.tables import Line, lines_text

CONTAINERS = ("text", "markdown", "html", "pdf", "xlsx", "xls")  # the reader names, one place
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_DOC = re.compile(r"^\s*(?:<!doctype\s+html|<html)", re.IGNORECASE)
_TABLE = re.compile(r"<table\b", re.IGNORECASE)
PIPE_ROWS_MIN = 2  # pipe-table rows that make a text markdown

__all__ = ["CONTAINERS", "Contained", "ContainerError", "read_container", "sniff_text"]


@dataclass(frozen=True)
class Contained:
    """What a container reader made of a file: TAB text (``text``) or lines with provenance."""

    container: str
    encoding: str  # the text's encoding, or the container's name for binary containers
    text: str | None = None
    lines: list[Line] | None = None
    warnings: tuple[DecodeWarning, ...] = field(default=())

    @property
    def parse_input(self) -> str | list[Line]:
        return self.text if self.text is not None else self.lines or []

    @property
    def as_text(self) -> str:
        """The document as TAB text (each line at its number), for messages and checks."""
        return self.text if self.text is not None else lines_text(self.lines or [])


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return any(n.startswith("xl/") for n in zf.namelist())
    except zipfile.BadZipFile:
        return False


def sniff_text(text: str) -> str:
    """``html``, ``markdown`` or ``text``: how a decoded document is laid out (pure)."""
    from ingest.containers.markup import is_pipe_row

    if _HTML_DOC.match(text) and _TABLE.search(text):
        return "html"
    if _TABLE.search(text):
        return "markdown"
    rows = 0
    for line in text.split("\n"):
        if is_pipe_row(line):
            rows += 1
            if rows >= PIPE_ROWS_MIN:
                return "markdown"
    return "text"


def _nonempty(container: str, lines: list[Line], encoding: str, warnings=()) -> Contained:
    if not any(line.cells for line in lines):
        raise ContainerError("container_empty", f"{container} 文件中没有任何文字或表格；期望预算绩效目标表")
    return Contained(container, encoding, lines=lines, warnings=tuple(warnings))


def read_container(data: bytes) -> Contained:
    """Choose the reader by content and read ``data``."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF"):
        from ingest.containers.pdf import read_pdf

        lines, warnings = read_pdf(data)
        return _nonempty("pdf", lines, "pdf", warnings)
    if data.startswith(b"PK\x03\x04") and _is_xlsx(data):
        from ingest.containers.excel import read_xlsx

        return _nonempty("xlsx", read_xlsx(data), "xlsx")
    if data.startswith(_OLE):
        from ingest.containers.excel import read_xls

        try:
            lines = read_xls(data)
        except ContainerError:
            decode_bytes(data)  # not a workbook (a .doc): the decoder names what it is
            raise
        return _nonempty("xls", lines, "xls")
    decoded = decode_bytes(data)
    kind = sniff_text(decoded.text)
    if kind == "text":
        return Contained("text", decoded.encoding, text=decoded.text, warnings=decoded.warnings)
    from ingest.containers.markup import read_html, read_markdown

    lines = read_html(decoded.text) if kind == "html" else read_markdown(decoded.text)
    return _nonempty(kind, lines, decoded.encoding, decoded.warnings)
