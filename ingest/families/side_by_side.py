"""The side-by-side form (Dongguan 财政项目支出绩效目标批复表): mid-term and annual targets in one row (pure).

Header: 预算单位:…, 项目名称 (its label wrapped over lines, the name on the next line with the
money), 中期市财政预算(万元) | …, 本年度申请市财政预算资金(万元) | …, 总体目标 | 中期滚动目标(…) |
年度目标 and the two goals on the next line. The grid's caption is wrapped over several lines
(一级 指标 / 二级 指标 / 三级 指标 / 指标值(或计划水平) / 二级 指标 / 三级 指标 / 计划指标值…);
each row prints [level 1] | level 2 | name | value for the mid-term (中期滚动) side, then
level 2 | name | value for the year. A row becomes two indicator rows, horizon ``mid_term``
then ``annual``, on the same source line. Level-1 labels 预期产出指标 / 效果指标.
"""

from __future__ import annotations

import re

from ingest.cells import Cell, fold, label_key
from ingest.families import columns as col
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell
from ingest.families.ningxia import document_row
from ingest.rows import GoalRow, IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, goal_horizon

FAMILY_NAME = "side_by_side"
_MID_BUDGET = re.compile(r"^中期.*预算.*[(（](万元|元)[)）]$")
_YEAR_BUDGET = re.compile(r"^本年度.*预算.*[(（](万元|元)[)）]$")
_DEPARTMENT = re.compile(r"^预算单位[:：](.+)$")
_CAPTION_WORDS = re.compile(r"^(?:绩效指标|[一二三]级指标|.*指标值.*)$")
SIDES = ("mid_term", "annual")


def _caption_piece(line: Line) -> bool:
    """A line of the wrapped caption: every cell is a caption word (一级 指标, 指标值(或计划水平) …)."""
    return bool(line.cells) and all(_CAPTION_WORDS.match(k) for k in line.keys)


def _header(lines: list[Line], project: ProjectRow) -> None:
    for at, line in enumerate(lines):
        for i, cell in enumerate(line.cells):
            key = label_key(cell.text)
            nxt = line.cells[i + 1].text if i + 1 < len(line.cells) else ""
            department = _DEPARTMENT.match(fold(cell.text))
            if department:
                project.department_printed = project.department_name = department.group(1)
            for pattern, name in ((_MID_BUDGET, "project_total"), (_YEAR_BUDGET, "annual_total")):
                m = pattern.match(key)
                if m:
                    project.money_unit_printed = m.group(1)
                    project.funding_printed[name] = nxt
                    project.funding_lines[name] = line.number
                    project.funding_labels[name] = cell.text
                    if name == "project_total" and i == 1:
                        project.project_name, project.source_line = line.cells[0].text, line.number
            if key == "年度目标" and at + 1 < len(lines) and len(lines[at + 1].cells) >= 2:
                _goals(line, lines[at + 1], project)


def _goals(caption: Line, values: Line, project: ProjectRow) -> None:
    """总体目标 | 中期滚动目标(…) | 年度目标 over a line of the two goals: mid-term first, then the year's."""
    project.annual_goal = values.cells[-1].text
    mid = next((c for c in caption.cells if goal_horizon(c.text) == "mid_term"), None)
    if mid is not None and values.cells[-2].text.strip():
        project.goals.append(GoalRow("mid_term", mid.text, values.cells[-2].text, values.number))


def _split(cells: list[Cell], labels: LabelMap) -> tuple[Cell | None, list[Cell], list[Cell]] | None:
    """[level 1] | level 2 | name | value | level 2 | name | value -> (level 1, mid side, annual side)."""
    l1 = cells[0] if cells and labels.as_level1(cells[0].text) else None
    rest = cells[1:] if l1 else cells
    if len(rest) == 6:
        return l1, rest[:3], rest[3:]
    if len(rest) == 4 and not any(labels.as_level2(c.text) for c in rest):
        return l1, rest[:2], rest[2:]  # both level 2 labels merged from the row above
    return None


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    content = [ln for ln in lines if ln.cells]
    start = next((i for i, ln in enumerate(content) if "一级指标" in ln.keys), len(content))
    title_end = next(
        (i for i, ln in enumerate(content) if any(_DEPARTMENT.match(fold(c.text)) for c in ln.cells)), 0
    )
    project = ProjectRow(document_id, source_file, 1, content[0].number if content else 1, 1, 1)
    _header(content[:start], project)
    project.header_line = content[title_end].number if content else 1
    issues: list[ParseIssue] = []
    indicators: list[IndicatorRow] = []
    states = {side: flat.LabelState() for side in SIDES}
    grid = [ln for ln in content[start:] if not _caption_piece(ln)]
    for line in grid:
        split = _split(line.cells, labels)
        if split is None:
            issues.append(_unplaced(line, source_file))
            continue
        l1, *sides = split
        for side, cells in zip(SIDES, sides, strict=True):
            row = flat.raw_row(line, [*([l1] if l1 else []), *cells], labels, states[side])
            if row is None:
                continue
            roles = col.column_roles([row.after])
            col.choose_text_target(roles, {}, frozenset())
            indicators.append(
                flat.indicator(row, roles, document_id, source_file, 1, len(indicators) + 1, horizon=side)
            )
    project.end_line = grid[-1].number if grid else project.source_line
    document = document_row(
        content[:title_end], [], [project], "\n".join(ln.raw for ln in lines), source_file, document_id
    )
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, [project], indicators, issues)


def _unplaced(line: Line, source_file: str) -> ParseIssue:
    return ParseIssue(
        source_file,
        line.number,
        "line_unplaced",
        f"该行「{flat.quote(' '.join(c.text for c in line.cells))}」不是“二级指标 三级指标 指标值”左右并排的两组，未载入"
        "（期望中期一侧与年度一侧各印二级指标、三级指标和指标值）",
    )


FAMILY = Family(
    name=FAMILY_NAME,
    title="中期与年度并排的绩效目标批复表（东莞式：中期滚动目标 | 年度目标，指标表左右两组）",
    markers=(
        Marker("“中期…预算（万元）”资金栏", any_cell(r"^中期.*预算"), 2.0, required=True),
        Marker("“中期滚动目标”栏", any_cell(r"^中期滚动目标"), required=True),
        Marker("“预算单位:”行", any_cell(r"^预算单位[:：]")),
        Marker("“计划指标值”标题", any_cell(r"指标值\(或计划水平\)")),
    ),
    read=read,
)
