"""Shared reading for families whose grid rows print their parts in cells of their own (pure).

A grid row is: label cells (level 1, level 2, found by vocabulary), the level-3 name, then
the target's parts and the columns beside them (``ingest.families.columns``). The caption's
words are only compared with what the cells hold; a disagreement is reported, the content
decides. A column whose role cannot be decided holds the document back (``unknown_grid_column``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.cells import Cell, fold, label_key
from ingest.families import columns as col
from ingest.funding import read_funding_cell
from ingest.numbers import NOT_NUMBER
from ingest.rows import GoalRow, IndicatorRow, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, goal_horizon, is_goal_label

# Caption words and the role their column should hold (when it does not, content decides).
CAPTION_ROLES = {
    "指标方向": col.DIRECTION,
    "指标方向性": col.DIRECTION,
    "计量单位": col.UNIT,
    "度量单位": col.UNIT,
    "分值": col.WEIGHT,
    "权重": col.WEIGHT,
    "目标值": col.NUMBER,
    "指标值": col.NUMBER,
    "指标性质": col.VALUE_TYPE,
    "指标值类型": col.VALUE_TYPE,
    "计算符号": col.COMPARATOR,
}
# Caption words over a column that is never the target: its cells are kept as printed beside
# the target (IndicatorRow.standard_printed / remark_printed), before the columns are decided.
ASIDE_CAPTIONS = {"绩效标准": "standard", "参考标准": "standard", "备注": "remark"}
# Caption words over a column that holds the whole target in one cell.
VALUE_WORDS = frozenset(
    {"指标值", "指标值及单位", "目标值", "绩效指标值", "绩效目标值", "当年预期实现值", "指标值(绩效值)"}
)
ROLE_NAMES = {
    col.TARGET: "指标值（含单位）",
    col.COMPARATOR: "比较符号",
    col.NUMBER: "目标数值",
    col.UNIT: "计量单位",
    col.WEIGHT: "分值（权重）",
    col.DIRECTION: "指标方向（正向/反向）",
    col.VALUE_TYPE: "指标类型（定量/定性）",
    col.TEXT: "文字",
    col.UNKNOWN: "无法判断",
}
# An Excel date serial under a timeliness label (44,561 = 2021-12-31): 1982-2064.
_SERIAL = re.compile(r"^(?:[3-5]\d),?\d{3}$")
_QUOTE_MAX = 40


@dataclass
class RawRow:
    """One grid row before its columns are decided."""

    line: Line
    level1_printed: str | None
    level1: str | None
    level2_printed: str | None
    level2: str | None
    name: str
    after: dict[int, str] = field(default_factory=dict)  # column offset after the name -> text
    flags: list[str] = field(default_factory=list)
    aside: dict[str, str] = field(default_factory=dict)  # ASIDE_CAPTIONS value -> the cell as printed


@dataclass
class LabelState:
    """The labels in force: the level-1 block as printed (and its canonical level 1), the level 2."""

    level1_printed: str | None = None
    level1: str | None = None
    level2_printed: str | None = None
    level2: str | None = None
    level2_level1: str | None = None  # the canonical level 1 the level 2 belongs to


def quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def label_cells(cells: list[Cell], labels: LabelMap) -> tuple[int, int] | None:
    """(index of the level-1 label cell or -1, index of the level-2 label cell) or None."""
    for i, cell in enumerate(cells):
        l1 = labels.as_level1(cell.text)
        nxt = labels.as_level2(cells[i + 1].text) if i + 1 < len(cells) else None
        if l1 is not None and nxt is not None:
            return i, i + 1
        if labels.as_level2(cell.text) is not None and (l1 is None or nxt is None):
            return -1, i
    return None


def raw_row(line: Line, cells: list[Cell], labels: LabelMap, state: LabelState) -> RawRow | None:
    """Read labels (inherited when not printed) and the level-3 name; the rest by offset."""
    found = label_cells(cells, labels)
    flags: list[str] = []
    start = 0
    if found is not None:
        i1, i2 = found
        if i1 >= 0:
            state.level1_printed, state.level1 = cells[i1].text, labels.as_level1(cells[i1].text).level1
        l2 = labels.as_level2(cells[i2].text)
        state.level2_printed, state.level2, state.level2_level1 = cells[i2].text, l2.level2, l2.level1
        start = i2 + 1
    rest = cells[start:]
    if not rest:
        return None
    # The level 2 decides the canonical level 1. Under a printed block of another framing
    # (满意度 under 效益, 时效目标 under 投入) the printed block is kept and the row flagged.
    level1 = state.level2_level1 or state.level1
    if state.level2_level1 is not None and state.level2_level1 != state.level1:
        flags.append("level1_reframed" if state.level1_printed else "level1_inferred")
    name = rest[0]
    after = {c.col - name.col - 1: c.text for c in rest[1:]}
    return RawRow(
        line, state.level1_printed, level1, state.level2_printed, state.level2, name.text, after, flags
    )


def keep_aside(rows: list[RawRow], words: dict[int, str]) -> None:
    """The cells under a caption that is never the target (ASIDE_CAPTIONS: 绩效标准, 参考标准,
    备注) take no part in deciding the columns: a bare ``100`` there would otherwise be the
    only number column, read as the target. They are kept as printed in ``row.aside``."""
    offsets = {o: ASIDE_CAPTIONS[w] for o, w in words.items() if w in ASIDE_CAPTIONS}
    for row in rows:
        for offset, kind in sorted(offsets.items()):
            text = row.after.pop(offset, None)
            if text and text.strip():
                row.aside[kind] = f"{row.aside[kind]} | {text}" if kind in row.aside else text


def grid_columns(
    rows: list[RawRow], caption: Line | None, name_col: int | None
) -> tuple[dict[int, str], col.ColumnRoles]:
    """The caption's words by offset and every column's role, the set-aside columns kept apart."""
    words = caption_words(caption, name_col)
    keep_aside(rows, words)
    return words, col.column_roles([r.after for r in rows])


def caption_words(caption: Line | None, name_col: int | None) -> dict[int, str]:
    """Caption words by offset after the 三级指标 column."""
    if caption is None or name_col is None:
        return {}
    return {c.col - name_col - 1: label_key(c.text) for c in caption.cells if c.col > name_col}


def name_column(caption: Line | None, word: str = "三级指标") -> int | None:
    """The caption column over the level-3 names (三级指标; 绩效内容 in Fujian's form)."""
    if caption is None:
        return None
    return next((c.col for c in caption.cells if label_key(c.text) == word), None)


def column_issues(
    roles: col.ColumnRoles, words: dict[int, str], rows: list[RawRow], source_file: str, where: int
) -> tuple[list[ParseIssue], bool]:
    """Issues about the grid's columns; True when a column cannot be read (hold the document)."""
    issues: list[ParseIssue] = []
    col.choose_text_target(roles, words, VALUE_WORDS)
    if roles.offset_of(col.NUMBER) is None and roles.offset_of(col.TARGET) is None and rows:
        issues.append(
            ParseIssue(
                source_file,
                where,
                "unknown_grid_column",
                "指标表中找不到指标值所在的列（既没有数值列，也没有标题为“指标值”等的一列）；"
                "整份文档暂不载入，以免把别的列读成指标值（期望一列目标数值或一列完整的指标值）",
            )
        )
        return issues, True
    for offset in roles.unknown:
        sample = next((r for r in rows if offset in r.after), None)
        word = words.get(offset, "（无标题）")
        printed = f"，如第 {sample.line.number} 行「{quote(sample.after[offset])}」" if sample else ""
        issues.append(
            ParseIssue(
                source_file,
                where,
                "unknown_grid_column",
                f"指标表“{word}”一列的内容无法判断是比较符号、数值、单位、分值、方向还是类型{printed}；"
                "整份文档暂不载入，以免把这一列读成指标值（期望每一列的单元格属于同一种内容）",
            )
        )
    if issues:
        return issues, True
    for offset, role in sorted(roles.roles.items()):
        word = words.get(offset)
        expected = CAPTION_ROLES.get(word or "")
        if expected is None or expected == role or role in (col.TEXT, col.TARGET):
            continue
        issues.append(
            ParseIssue(
                source_file,
                where,
                "column_header_mismatch",
                f"指标表标题“{word}”一列印的实际是{ROLE_NAMES[role]}（不是{ROLE_NAMES[expected]}），"
                "按单元格内容读取（期望标题与内容一致；这一表式的标题与内容错位）",
            )
        )
    return issues, False


def indicator(
    row: RawRow,
    roles: col.ColumnRoles,
    document_id: str,
    source_file: str,
    project_seq: int,
    seq: int,
    horizon: str = "annual",
) -> IndicatorRow:
    target = col.combine(row.after, roles)
    flags = [*row.flags, *target.flags]
    if row.level2 == "时效指标" and target.number and _SERIAL.match(fold(target.number)):
        flags.append("excel_date_serial")  # kept as printed; never read as a count
    if row.level2 is None:
        # a merged label (社会、经济、生态效益 指标) has no one canonical level 2
        flags.append("level2_merged" if row.level2_printed else "level2_missing")
    if row.level1 is None:
        flags.append("level1_missing")
    return IndicatorRow(
        document_id=document_id,
        source_file=source_file,
        project_seq=project_seq,
        indicator_seq=seq,
        source_line=row.line.number,
        level1_printed=row.level1_printed,
        level2_printed=row.level2_printed,
        level1=row.level1,
        level2=row.level2,
        indicator_name=row.name,
        target_text=target.text,
        line_printed=row.line.raw,
        parse_flags=flags,
        target_parts=target.parts if len(target.parts) > 1 else [],
        weight_printed=target.weight,
        direction_printed=target.direction,
        value_type_printed=target.value_type,
        standard_printed=row.aside.get("standard"),
        remark_printed=row.aside.get("remark"),
        horizon=horizon,
        source_page=row.line.page,
        source_sheet=row.line.sheet,
        source_cell=row.line.ref,
    )


def funding_issues(project: ProjectRow) -> list[ParseIssue]:
    """A funding cell that is not a number (prose, ``854万(…)``) and a table that prints no
    money unit anywhere: kept as printed, flagged, never guessed."""
    issues: list[ParseIssue] = []
    units = [project.money_unit_printed]
    for key, printed in project.funding_printed.items():
        cell = read_funding_cell(printed)
        units.append(cell.unit_printed)
        if cell.problem == NOT_NUMBER:
            project.parse_flags.append("funding_not_number")
            issues.append(
                ParseIssue(
                    project.source_file,
                    project.funding_lines.get(key),
                    "funding_not_number",
                    f"“{project.funding_labels.get(key, key)}”的值「{quote(printed)}」不是一个金额，原文保留，不计入金额合计"
                    "（期望一个数字，如 500 或 854万）",
                )
            )
    readable = [p for p in project.funding_printed.values() if read_funding_cell(p).amount is not None]
    if readable and not any(units):
        project.parse_flags.append("money_unit_not_printed")
        issues.append(
            ParseIssue(
                project.source_file,
                project.header_line,
                "money_unit_not_printed",
                f"项目「{quote(project.project_name or '（无名称）')}」的表头、资金栏和金额单元格都没有印出金额单位，"
                "金额单位无法确定，金额保留原文、不换算为元（期望“资金情况（万元）”或“单位：万元”）",
            )
        )
    return issues


def block_project(
    block: list[Line], document_id: str, source_file: str, seq: int, end: Line | None = None
) -> ProjectRow:
    """The project whose table is ``block`` (its opening line first), ending at ``end`` (the
    block's last line by default), with the opening line's place in a page or sheet."""
    first = block[0]
    return ProjectRow(
        document_id=document_id,
        source_file=source_file,
        project_seq=seq,
        source_line=first.number,
        header_line=first.number,
        end_line=(end or block[-1]).number,
        page_lines=[first.number],
        source_page=first.page,
        source_sheet=first.sheet,
        source_cell=first.ref,
    )


def horizon_goals(lines: list[Line]) -> list[GoalRow]:
    """The goals printed beside the year's goal, each in the cell after its label
    (长期目标 | …, 实施期绩效目标 | …): kept as printed with their horizon and line."""
    goals: list[GoalRow] = []
    for line in lines:
        cells = line.cells
        for cell, value in zip(cells, cells[1:], strict=False):
            horizon = goal_horizon(cell.text)
            if horizon and value.text.strip() and not is_goal_label(value.text):
                goals.append(GoalRow(horizon, cell.text, value.text, line.number))
    return goals


def split_projects(
    lines: list[Line], opening: str | tuple[str, ...] = "项目名称"
) -> tuple[list[Line], list[list[Line]]]:
    """Lines before the first ``opening`` label (项目名称, Hunan's 项目支出名称; or any of several),
    and each project's lines from its opening line on (shared by the families that print one)."""
    openings = (opening,) if isinstance(opening, str) else opening
    preamble: list[Line] = []
    projects: list[list[Line]] = []
    for line in lines:
        if not line.cells:
            continue
        if label_key(line.cells[0].text) in openings:
            projects.append([line])
        elif projects:
            projects[-1].append(line)
        else:
            preamble.append(line)
    return preamble, projects
