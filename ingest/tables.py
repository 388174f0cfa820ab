"""Split a document's lines into the preamble and one block per printed table (pure).

A table starts at its 项目名称 label (or at a lone name line printed just before an
empty 项目名称 cell); its header block runs to the grid caption (一级指标 … 三级指标);
its grid runs to the next table. Titles, ``(2025年度)`` and ``单位：万元`` lines are
noise wherever they appear, including repeated inside a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.cells import Cell, label_key, split_cells
from ingest.vocabulary import LabelMap, header_label, is_grid_caption_line, is_noise, unit_line


@dataclass
class Line:
    number: int  # 1-based
    raw: str
    cells: list[Cell]

    @property
    def keys(self) -> list[str]:
        return [label_key(c.text) for c in self.cells]


@dataclass
class TableBlock:
    start_line: int
    name_line: Line | None = None  # a lone name printed before an empty 项目名称 cell
    header: list[Line] = field(default_factory=list)
    caption: Line | None = None
    grid: list[Line] = field(default_factory=list)
    money_unit: str | None = None  # from a 单位：万元 line just before the table
    grid_without_caption: bool = False

    @property
    def end_line(self) -> int:
        lines = self.grid or self.header
        return lines[-1].number if lines else self.start_line


@dataclass
class Segmented:
    preamble: list[Line]
    tables: list[TableBlock]
    noise: list[Line]


def to_lines(text: str) -> list[Line]:
    return [Line(i, raw, split_cells(raw)) for i, raw in enumerate(text.split("\n"), start=1)]


def _is_project_name_label(line: Line) -> bool:
    return bool(line.cells) and header_label(line.cells[0].text) == ("field", "project_name")


def _name_label_is_empty(line: Line) -> bool:
    return _is_project_name_label(line) and len(line.cells) == 1


def _starts_grid_without_caption(line: Line, labels: LabelMap) -> bool:
    return bool(line.cells) and labels.as_level1(line.cells[0].text) is not None


def segment(text: str, labels: LabelMap) -> Segmented:
    lines = [ln for ln in to_lines(text)]
    content = [ln for ln in lines if ln.cells]
    preamble: list[Line] = []
    tables: list[TableBlock] = []
    noise: list[Line] = []
    current: TableBlock | None = None
    state = "outside"
    pending_unit: str | None = None

    for idx, line in enumerate(content):
        nxt = content[idx + 1] if idx + 1 < len(content) else None
        whole = " ".join(c.text for c in line.cells)
        if len(line.cells) == 1 and is_noise(whole):
            (preamble if current is None else noise).append(line)
            unit = unit_line(whole)
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
        if _is_project_name_label(line):
            if state != "pre_header" or current is None:
                current = TableBlock(start_line=line.number, money_unit=pending_unit)
                pending_unit = None
                tables.append(current)
            current.header.append(line)
            state = "header"
            continue
        if current is None:
            preamble.append(line)
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
    return Segmented(preamble, tables, noise)
