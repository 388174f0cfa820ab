"""Split a document's lines into the preamble and one block per printed table (pure).

A table starts at its 项目名称 label (or at a lone name line printed just before an
empty 项目名称 cell); its header block runs to the grid caption (一级指标 … 三级指标);
its grid runs to the next table. Titles, ``(2025年度)`` and ``单位：万元`` lines are
noise wherever they appear, including repeated inside a table.

What the segmenter sets aside instead of guessing (the parser turns each into an issue):
lines longer than ``MAX_LINE_CHARS`` (never split into cells: a 10 MB line of TABs would
cost gigabytes), a line printed twice in a row (an extraction artefact; the first copy is
kept), and grid-like lines before the first table (an indicator grid with no header).
A header line (主管部门, 实施单位, 项目属性, 项目资金 …) met inside a grid opens a new
table without a 项目名称 line rather than becoming an indicator row of the previous table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.cells import Cell, label_key, line_text, split_cells
from ingest.vocabulary import LabelMap, header_label, is_grid_caption_line, is_noise, unit_line

MAX_LINE_CHARS = 20_000  # the longest line of the samples has 384 characters; a 年度总体目标 a few thousand

# Header fields that open a table's header block when its 项目名称 line is missing.
_OPENING_FIELDS = {"department", "implementing_unit", "attribute", "project_total", "annual_total"}


@dataclass
class Line:
    """One printed line (a table row or a text line): the representation between the container
    readers (``ingest.containers``: TAB text, markdown, HTML, PDF, Excel) and the layout readers.

    ``number`` is the line of the file (text, markdown, HTML), or the line's place in reading
    order (PDF, Excel: pages or sheets in order, rows top to bottom); ``page`` and ``sheet``
    say where it was printed when the container has pages or sheets. For containers other
    than TAB text ``raw`` is the line's cells joined by TABs at their columns.
    """

    number: int  # 1-based
    raw: str
    cells: list[Cell]
    _keys: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    page: int | None = None  # 1-based page (PDF; markdown page-break comments)
    sheet: str | None = None  # worksheet name (Excel)

    @property
    def ref(self) -> str | None:
        """The address of the line's first cell (Excel ``A7``), when the container has one."""
        return next((c.ref for c in self.cells if c.ref), None)

    @property
    def keys(self) -> list[str]:
        """The cells' label keys, computed once (a line's cells are never changed)."""
        if self._keys is None:
            self._keys = [label_key(c.text) for c in self.cells]
        return self._keys


@dataclass
class TableBlock:
    start_line: int
    name_line: Line | None = None  # a lone name printed before an empty 项目名称 cell
    header: list[Line] = field(default_factory=list)
    caption: Line | None = None
    grid: list[Line] = field(default_factory=list)
    money_unit: str | None = None  # from a 单位：万元 line just before the table
    grid_without_caption: bool = False
    name_label_missing: bool = False  # opened by a header line, no 项目名称 line printed

    @property
    def end_line(self) -> int:
        lines = self.grid or self.header
        return lines[-1].number if lines else self.start_line


@dataclass
class Segmented:
    preamble: list[Line]
    tables: list[TableBlock]
    noise: list[Line]
    too_long: list[tuple[int, int]] = field(default_factory=list)  # (line, characters), not parsed
    repeated: list[Line] = field(default_factory=list)  # a line identical to the content line before it
    orphan_grid: list[Line] = field(default_factory=list)  # grid-like lines before any table


def to_lines(text: str) -> list[Line]:
    """Every line with its cells; a line over ``MAX_LINE_CHARS`` keeps its text but no cells
    (splitting millions of cells would cost gigabytes; the readers report it, never read it)."""
    return [
        Line(i, raw, split_cells(raw) if len(raw) <= MAX_LINE_CHARS else [])
        for i, raw in enumerate(text.split("\n"), start=1)
    ]


def last_line_number(text: str | list[Line]) -> int:
    """The number of the last line with text (of a TAB text, or of a container's lines)."""
    if isinstance(text, str):
        return max(1, text.rstrip().count("\n") + 1)
    return max((line.number for line in text if line.cells), default=1)


def lines_text(lines: list[Line]) -> str:
    """A container's lines as TAB text, each at its own line number (for messages and checks)."""
    out: list[str] = []
    for line in lines:
        out.extend([""] * (line.number - 1 - len(out)))
        out.append(line.raw)
    return "\n".join(out)


def _content_lines(text: str, too_long: list[tuple[int, int]]) -> list[Line]:
    """Lines with at least one cell; over-long lines are reported in ``too_long``, not split."""
    out: list[Line] = []
    start, number, end = 0, 1, len(text)
    while start <= end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        if stop - start > MAX_LINE_CHARS:
            too_long.append((number, stop - start))
        elif stop > start:
            raw = text[start:stop]
            cells = split_cells(raw)
            if cells:
                out.append(Line(number, raw, cells))
        start, number = stop + 1, number + 1
    return out


def _is_project_name_label(line: Line) -> bool:
    return bool(line.cells) and header_label(line.cells[0].text) == ("field", "project_name")


def _name_label_is_empty(line: Line) -> bool:
    return _is_project_name_label(line) and len(line.cells) == 1


def _starts_grid_without_caption(line: Line, labels: LabelMap) -> bool:
    return bool(line.cells) and labels.as_level1(line.cells[0].text) is not None


def _opens_header(line: Line) -> bool:
    """A header line that cannot belong to a grid (主管部门…, 实施单位…, 项目属性…, 项目资金…)."""
    kind = header_label(line.cells[0].text)
    return kind is not None and (kind[0] == "group" or (kind[0] == "field" and kind[1] in _OPENING_FIELDS))


def _looks_like_grid(line: Line, labels: LabelMap) -> bool:
    return is_grid_caption_line(line.keys) or any(labels.is_label(c.text) for c in line.cells[:2])


def content_of(lines: list[Line], too_long: list[tuple[int, int]]) -> list[Line]:
    """The lines with at least one cell, from a container reader; over-long lines go to ``too_long``."""
    out: list[Line] = []
    for line in lines:
        if len(line.raw) > MAX_LINE_CHARS:
            too_long.append((line.number, len(line.raw)))
        elif line.cells:
            out.append(line)
    return out


def segment(text: str | list[Line], labels: LabelMap) -> Segmented:
    """Segment a TAB text, or the lines a container reader made (``ingest.containers``)."""
    too_long: list[tuple[int, int]] = []
    content = _content_lines(text, too_long) if isinstance(text, str) else content_of(text, too_long)
    preamble: list[Line] = []
    tables: list[TableBlock] = []
    noise: list[Line] = []
    repeated: list[Line] = []
    orphan_grid: list[Line] = []
    current: TableBlock | None = None
    state = "outside"
    pending_unit: str | None = None

    for idx, line in enumerate(content):
        nxt = content[idx + 1] if idx + 1 < len(content) else None
        if (
            idx
            and line.number - content[idx - 1].number <= 2
            and line.raw.rstrip() == content[idx - 1].raw.rstrip()
            and not is_noise(line_text(line.cells))
        ):
            repeated.append(line)  # printed twice in a row: keep the first copy only
            continue
        if len(line.cells) == 1 and is_noise(line.cells[0].text):
            (preamble if current is None else noise).append(line)
            unit = unit_line(line.cells[0].text)
            if unit:
                pending_unit = unit
            continue
        # A lone name line directly before an empty 项目名称 cell starts the next table.
        if (
            len(line.cells) == 1
            and header_label(line.cells[0].text) is None
            and nxt is not None
            and _name_label_is_empty(nxt)
        ):
            current = TableBlock(start_line=line.number, name_line=line, money_unit=pending_unit)
            pending_unit = None
            tables.append(current)
            state = "pre_header"
            continue
        # The same, when the 项目名称 label itself is missing: a lone first-column line right
        # before a header line that opens a table is that table's name.
        if (
            len(line.cells) == 1
            and line.cells[0].col == 0
            and header_label(line.cells[0].text) is None
            and not labels.is_label(line.cells[0].text)
            and nxt is not None
            and _opens_header(nxt)
            and (current is None or state == "grid")
        ):
            current = TableBlock(
                start_line=line.number, name_line=line, money_unit=pending_unit, name_label_missing=True
            )
            pending_unit = None
            tables.append(current)
            state = "pre_header"
            continue
        if _is_project_name_label(line):
            if state != "pre_header" or current is None:
                current = TableBlock(start_line=line.number, money_unit=pending_unit)
                pending_unit = None
                tables.append(current)
            current.header.append(line)
            state = "header"
            continue
        if current is None and not _opens_header(line):
            preamble.append(line)
            if _looks_like_grid(line, labels):
                orphan_grid.append(line)
            continue
        if (current is None or state == "grid") and _opens_header(line):
            # The 项目名称 line of the next table is missing: open a table without a name
            # instead of reading its header cells as indicator rows of this one.
            current = TableBlock(start_line=line.number, money_unit=pending_unit, name_label_missing=True)
            pending_unit = None
            tables.append(current)
            current.header.append(line)
            state = "header"
            continue
        if state in ("header", "pre_header"):
            if is_grid_caption_line(line.keys):
                current.caption = line
                state = "grid"
            elif _starts_grid_without_caption(line, labels):
                current.grid_without_caption = True
                current.grid.append(line)
                state = "grid"
            else:
                current.header.append(line)
            continue
        if is_grid_caption_line(line.keys):  # a caption repeated inside a grid
            noise.append(line)
            continue
        current.grid.append(line)
    return Segmented(preamble, tables, noise, too_long, repeated, orphan_grid)
