"""Markdown (pipe tables, embedded HTML tables) and HTML documents -> lines (pure).

Markdown, as PDF-to-markdown converters write it: a table row is a line ``| a | b |``; the
``|---|---|`` separator is skipped; ``**bold**`` and ``<b>`` marks are removed from cells;
``<br>`` inside a cell joins the cell's printed lines (with nothing between CJK characters,
or a space between two Latin words: the PDF wrapped the cell); a merged cell is an empty cell; a page-break
comment (``<!-- page 2 -->``, ``<!-- PageBreak -->``) starts the next page. An HTML
``<table>`` inside markdown, or an HTML document, is read with its ``rowspan``/``colspan``:
the covered cells are empty, as a TAB extraction prints them. Text outside tables (headings,
paragraphs) becomes one-cell lines: the title, year and date a document's facts come from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ingest.containers.grid import SpanCell, place, text_line, to_line
from ingest.tables import Line

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PAGE_BREAK = re.compile(r"^\s*<!--\s*(?:page[\s_-]*break|pagebreak|page\s*(\d+))\s*-->\s*$", re.IGNORECASE)
_BR = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_BOLD = re.compile(r"(?<![*\\])\*\*(?!\*)(.+?)(?<![*\\])\*\*(?!\*)|(?<!_)__(?!_)(.+?)(?<!_)__(?!_)")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def join_br(parts: list[str]) -> str:
    """The printed lines of one cell joined: one space between two Latin letters or digits
    (``2746 元`` wrapped as words), nothing otherwise (CJK text and ``--032001`` wrap anywhere)."""
    out = ""
    for part in (p.strip() for p in parts):
        if (
            out
            and part
            and out[-1].isascii()
            and out[-1].isalnum()
            and part[0].isascii()
            and part[0].isalnum()
        ):
            out += " "
        out += part
    return out


def _md_cell(text: str) -> str:
    text = text.replace("\\|", "|")
    return join_br(_BR.split(unbold(text)))


def unbold(text: str) -> str:
    """``**label**`` -> ``label``; a printed ``***`` (a placeholder) and ``\\*`` stay stars."""
    text = _BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return text.replace("\\*", "*")


def split_pipe_row(line: str) -> list[str]:
    """The cells of ``| a | b |`` (``\\|`` is a printed bar)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


# A web page that prints one cell per line, each ending in a bar, copied as rows: the cells of
# a row joined with " | " (``资金名称 | 生猪调出大县奖励资金 | ||||``, ``附表1 |``). Never a line
# holding a TAB: a TAB text's cells are its TABs, whatever bars they print.
_BARRED = re.compile(r"(?<!\\)\s\|(?:\s|\||$)")


def is_pipe_row(line: str) -> bool:
    """A markdown row ``| a | b |``, or a row of page cells marked ``a | b |``."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 2:
        return True
    return "\t" not in line and bool(_BARRED.search(stripped + " "))


def read_markdown(text: str) -> list[Line]:
    """The lines of a markdown document; line numbers are the markdown file's."""
    raw_lines = text.split("\n")
    out: list[Line] = []
    page = 1
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        number = i + 1
        if _TABLE_OPEN.search(raw):
            end = i
            while end < len(raw_lines) and not _TABLE_CLOSE.search(raw_lines[end]):
                end += 1
            block = "\n".join(raw_lines[i : end + 1])
            out.extend(read_html(block, first_line=number, page=page))
            i = end + 1
            continue
        brk = _PAGE_BREAK.match(raw)
        if brk:
            page = int(brk.group(1)) if brk.group(1) else page + 1
        elif _SEPARATOR.match(raw) and "-" in raw:
            pass
        elif is_pipe_row(raw):
            cells = [SpanCell(_md_cell(c)) for c in split_pipe_row(raw)]
            out.append(to_line(number, cells, page=page))
        else:
            out.append(text_line(number, unbold(raw), page=page))
        i += 1
    return out


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "br"}
_SKIP = ("script", "style", "title", "head")


class _HTMLLines(HTMLParser):
    """Collects text blocks and table rows (with spans), each with the line it starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[int, str | list[SpanCell] | None]] = []  # (line, text | row | table end)
        self.depth = 0  # nesting of <table>
        self.row: list[SpanCell] | None = None
        self.row_line = 0
        self.cell: list[str] | None = None
        self.cell_attrs: dict[str, str | None] = {}
        self.text: list[str] = []
        self.text_line = 0
        self.skip = 0  # inside <script>/<style>

    def _flush_text(self) -> None:
        joined = "".join(self.text).strip()
        if joined:
            self.items.append((self.text_line, joined))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in _SKIP:
            self.skip += 1
        elif tag == "table":
            self._flush_text()
            self.depth += 1
        elif tag == "tr" and self.depth == 1:
            self.row, self.row_line = [], line
        elif tag in ("td", "th") and self.depth == 1 and self.row is not None:
            self.cell, self.cell_attrs = [], dict(attrs)
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = join_br("".join(self.cell).split("\n"))
            self.row.append(
                SpanCell(text, _span(self.cell_attrs, "rowspan"), _span(self.cell_attrs, "colspan"))
            )
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.items.append((self.row_line, self.row))
            self.row = None
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
            if self.depth == 0:
                self.items.append((self.getpos()[0], None))  # a table ends: spans stop here
        elif tag in _BLOCKS and self.depth == 0:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(re.sub(r"\s*\n\s*", "", data))
        elif self.depth == 0:
            if not self.text:
                self.text_line = self.getpos()[0]
            self.text.append(data)


def _span(attrs: dict[str, str | None], name: str) -> int:
    try:
        return max(1, min(int(attrs.get(name) or 1), 1000))
    except ValueError:
        return 1


def read_html(text: str, *, first_line: int = 1, page: int | None = None) -> list[Line]:
    """The lines of an HTML document (or an HTML block starting on ``first_line``)."""
    parser = _HTMLLines()
    parser.feed(text)
    parser.close()
    parser._flush_text()
    out: list[Line] = []
    pending: list[tuple[int, list[SpanCell]]] = []

    def flush_rows() -> None:
        for (line, _row), placed in zip(pending, place([r for _, r in pending]), strict=True):
            out.append(to_line(line + first_line - 1, placed, page=page))
        pending.clear()

    for line, item in parser.items:
        if item is None:
            flush_rows()
        elif isinstance(item, str):
            flush_rows()
            for k, part in enumerate(item.split("\n")):
                out.append(text_line(line + first_line - 1 + k, part, page=page))
        else:
            pending.append((line, item))
    flush_rows()
    return out
