"""Read an indicator grid: label cells by vocabulary, then level-3 name and target (pure).

The PDF's merged cells print a level-1/level-2 label once; later rows inherit it. Columns
drift, so a cell is a label because of what it says, not where it stands: at most one
level-1 and then one level-2 label are taken from the left of a row; what remains is the
level-3 name and the target (指标值).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.cells import Cell, label_key
from ingest.tables import Line
from ingest.vocabulary import GRID_CAPTIONS, IndicatorLabel, LabelMap


@dataclass
class GridState:
    """Labels in force (inherited from merged cells above); carried across continuation pages."""

    level1_printed: str | None = None
    level1: str | None = None
    level2_printed: str | None = None
    level2: str | None = None


@dataclass
class GridRow:
    line: int
    level1_printed: str | None
    level2_printed: str | None
    level1: str | None
    level2: str | None
    indicator_name: str
    target_text: str
    line_printed: str
    flags: list[str] = field(default_factory=list)


# The caption words the reader knows: the three levels and the value column's names.
VALUE_CAPTIONS = ("指标值", "绩效值", "目标值", "指标值(绩效值)")
CAPTION_COLUMNS = ("一级指标", "二级指标", "三级指标", *VALUE_CAPTIONS)
_KNOWN_CAPTION = re.compile(
    "^(?:" + "|".join(re.escape(k) for k in sorted(CAPTION_COLUMNS, key=len, reverse=True)) + ")+$"
)
# The merged title cell left of the grid: 名称 / 绩效指标 / 绩效指标(权重分值90分,…).
_CAPTION_TITLE = re.compile(r"^(?:名称|绩效指标(?:\(.*\))?)$")
# A cell that looks like a weight or score: a short bare number, optionally 分 or %.
_SCORE = re.compile(r"^\d{1,3}(?:\.\d{1,2})?(?:分|%)?$")


def value_column(caption: Line | None) -> int | None:
    """Column index of 指标值/绩效值 in the grid caption, if there is one."""
    return _caption_column(caption, VALUE_CAPTIONS)


def unknown_caption_columns(caption: Line) -> list[Cell]:
    """Caption cells that are neither a title cell nor a known column (分值, 权重, 备注 …).

    A cell holding several known words glued together (``三级指标指标值``) is known.
    """
    out = []
    for cell in caption.cells:
        key = label_key(cell.text)
        if not (_CAPTION_TITLE.match(key) or _KNOWN_CAPTION.match(key)):
            out.append(cell)
    return out


def looks_like_score(row: GridRow) -> bool:
    """A row that printed one more cell after its value, and that cell is a bare number (a weight?)."""
    return "extra_cells" in row.flags and bool(_SCORE.match(row.target_text.strip()))


def level2_column(caption: Line | None) -> int | None:
    """Column index of 二级指标 in the grid caption, if there is one."""
    return _caption_column(caption, ("二级指标",))


def _caption_column(caption: Line | None, keys: tuple[str, ...]) -> int | None:
    if caption is None:
        return None
    for cell in caption.cells:
        if label_key(cell.text) in keys:
            return cell.col
    return None


def _take_labels(
    cells: list[Cell], labels: LabelMap
) -> tuple[IndicatorLabel | None, Cell | None, IndicatorLabel | None, Cell | None, int]:
    i = 0
    while i < len(cells) and label_key(cells[i].text) in GRID_CAPTIONS:
        i += 1
    l1 = l1_cell = l2 = l2_cell = None
    if i < len(cells):
        cand1 = labels.as_level1(cells[i].text)
        cand2 = labels.as_level2(cells[i].text)
        nxt2 = labels.as_level2(cells[i + 1].text) if i + 1 < len(cells) else None
        if cand1 is not None and (cand2 is None or (nxt2 is not None and nxt2.level1 == cand1.level1)):
            l1, l1_cell = cand1, cells[i]
            i += 1
    if i < len(cells):
        cand2 = labels.as_level2(cells[i].text)
        if cand2 is not None:
            l2, l2_cell = cand2, cells[i]
            i += 1
    return l1, l1_cell, l2, l2_cell, i


def read_grid_row(
    line: Line, state: GridState, labels: LabelMap, value_col: int | None, level2_col: int | None = None
) -> GridRow | None:
    """Update ``state`` with the labels the row prints; return its indicator row, if any."""
    cells = line.cells
    l1, l1_cell, l2, l2_cell, i = _take_labels(cells, labels)
    flags: list[str] = []
    if l1 is not None and l1_cell is not None:
        state.level1_printed, state.level1 = l1_cell.text, l1.level1
        state.level2_printed = state.level2 = None
    if l2 is not None and l2_cell is not None:
        state.level2_printed, state.level2 = l2_cell.text, l2.level2
        if state.level1 != l2.level1:
            # The level-2 label belongs under another level-1 block that the row does not
            # print: infer the block from the taxonomy, keep level1_printed empty.
            state.level1_printed, state.level1 = None, l2.level1
            flags.append("level1_inferred")
        if level2_col is not None and l2_cell.col != level2_col:
            flags.append("label_out_of_column")  # the extraction moved it: read by its words
    rest = cells[i:]
    if not rest:
        return None
    if len(rest) == 1:
        only = rest[0]
        if value_col is not None and only.col >= value_col and _looks_like_value(only.text):
            name, target = "", only.text
            flags.append("name_missing")
        else:
            name, target = only.text, ""
    else:
        name, target = rest[0].text, rest[-1].text
        if len(rest) > 2:
            flags.append("extra_cells")
    if state.level2 is None:
        flags.append("level2_missing")
    if state.level1 is None:
        flags.append("level1_missing")
    return GridRow(
        line=line.number,
        level1_printed=state.level1_printed,
        level2_printed=state.level2_printed,
        level1=state.level1,
        level2=state.level2,
        indicator_name=name,
        target_text=target,
        line_printed=line.raw,
        flags=flags,
    )


def _looks_like_value(text: str) -> bool:
    t = text.strip()
    return bool(t) and (t[0] in "≥≤<>=《＜＞≦≧*" or t[0].isdigit() or t == "无")
