"""Rows of cells with spans -> ``Line`` objects, the same for every container (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.cells import Cell, clean_cell
from ingest.tables import Line


class ContainerError(ValueError):
    """A container file that cannot be read: ``code`` and a sentence saying what was expected."""

    def __init__(self, code: str, message: str, line: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass
class SpanCell:
    """A cell as a container prints it: text, where, and how many rows/columns it covers."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    ref: str | None = None


def place(rows: list[list[SpanCell]]) -> list[list[SpanCell | None]]:
    """Lay spanned cells out on a grid: a cell covered by a merge is ``None`` (printed empty)."""
    grid: list[list[SpanCell | None]] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        out: list[SpanCell | None] = []
        col = 0
        for cell in row:
            while (r, col) in taken:
                out.append(None)
                col += 1
            out.append(cell)
            for dr in range(max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    if dr or dc:
                        taken.add((r + dr, col + dc))
            col += 1
            for _ in range(max(cell.colspan, 1) - 1):
                out.append(None)
                col += 1
        while (r, col) in taken:
            out.append(None)
            col += 1
        grid.append(out)
    return grid


def to_line(
    number: int, row: list[SpanCell | None], *, page: int | None = None, sheet: str | None = None
) -> Line:
    """One table row as a ``Line``: non-empty cells at their columns, ``raw`` the TAB rendering."""
    texts = [clean_cell(c.text) if c is not None else "" for c in row]
    cells = [
        Cell(col, text, ref=c.ref, span=(c.rowspan, c.colspan))
        for col, (c, text) in enumerate(zip(row, texts, strict=True))
        if c is not None and text
    ]
    return Line(number, "\t".join(texts), cells, page=page, sheet=sheet)


def text_line(number: int, text: str, *, page: int | None = None, sheet: str | None = None) -> Line:
    """A line of text outside any table (a title, a date): one cell, or none when blank."""
    stripped = clean_cell(text).lstrip("#").strip()
    return Line(number, text, [Cell(0, stripped)] if stripped else [], page=page, sheet=sheet)
