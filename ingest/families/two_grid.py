"""The 2015 财预 two-grid form 财政支出项目绩效目标申报表 / 项目绩效目标表 (佳县, 宁乡) (pure).

Header: 填报单位(盖章) / 项目名称 | … | 项目属性 (新增项目□ 延续项目√, kept as printed) /
主管部门 | … | 主管部门编码 | … / 项目(实施)单位 / 项目负责人 / 联系电话 (removed before reading) /
项目起止时间, funding either as label cells (项目资金申请(万元) 资金总额: 财政拨款: 自有资金:
事业收入: 经营性收入: 其他:) or as one prose cell (资金总额及构成 总额…万元财政拨款:…), then
项目概况 / 项目立项情况 / 项目实施进度计划 (not stored) and 项目绩效目标 长期目标 | 年度目标.
Two grids, each titled in its first cell: 长期绩效指标 (horizon ``long_term``) and 年度绩效指标
(``annual``); columns 一级指标 | 二级指标 | 指标内容 (the level-3 name) | 指标值 | 备注. A row
with nothing under 指标内容 (宁乡 prints bare ``88 | 100`` there: not targets) is reported
``line_unplaced`` and not read; 备注 cells are kept aside (``remark_printed``), never
read as a target. 其他说明的问题 / 填报人 end the last grid.
"""

from __future__ import annotations

import re

from ingest.cells import label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with, first_cell
from ingest.families.ningxia import document_row
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, horizon_of

FAMILY_NAME = "two_grid"

HEADER_FIELDS = {
    "项目名称": "project_name",
    "项目属性": "attribute",
    "主管部门": "department",
    "主管部门编码": "department_code",
    "项目实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
    "项目起止时间": "period",
    "年度目标": "annual_goal",
    "资金总额及构成": "annual_total",
    "资金总额": "annual_total",
    "财政拨款": "fiscal_appropriation",
    "自有资金": "own_funds",
    "事业收入": "business_income",
    "经营性收入": "operating_income",
    "其他": "other_funds",
}
FUNDING = {
    "annual_total",
    "fiscal_appropriation",
    "own_funds",
    "business_income",
    "operating_income",
    "other_funds",
}

NAME_CAPTION = "指标内容"
_UNIT = re.compile(r"^项目资金申请\s*[(（]\s*(万元|元)\s*[)）]")
_END = re.compile(r"^(?:其他说明的问题|填报人|填表人|单位负责人|填报日期)")


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and NAME_CAPTION in keys


def _header(lines: list[Line], project: ProjectRow) -> None:
    for line in lines:
        for i, cell in enumerate(line.cells):
            key = label_key(cell.text)
            unit = _UNIT.match(key)
            if unit:
                project.money_unit_printed = unit.group(1)
            name = HEADER_FIELDS.get(key)
            if name is None:
                continue
            nxt = line.cells[i + 1] if i + 1 < len(line.cells) else None
            adjacent = nxt is not None and nxt.col == cell.col + 1
            value = nxt.text if adjacent and label_key(nxt.text) not in HEADER_FIELDS else ""
            if name in FUNDING:
                project.funding_printed[name] = value
                project.funding_lines[name] = line.number
                project.funding_labels[name] = cell.text
            else:
                _set(project, name, value or None)


def _set(project: ProjectRow, name: str, value: str | None) -> None:
    if name == "department":
        project.department_printed = project.department_name = value
    elif name == "attribute":
        project.attribute_printed = value
    elif name == "period":
        project.period_printed = value
    elif name == "project_name":
        project.project_name = value
    elif name == "department_code":
        project.department_code = value
    elif name == "implementing_unit":
        project.implementing_unit = value
    elif name == "annual_goal":
        project.annual_goal = value


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    content = [ln for ln in lines if ln.cells]
    start = next((i for i, ln in enumerate(content) if label_key(ln.cells[0].text) == "项目名称"), 0)
    preamble, block = content[:start], content[start:]
    captions = [i for i, ln in enumerate(block) if _is_caption(ln)]
    end_at = next((i for i, ln in enumerate(block) if _END.match(ln.keys[0])), len(block))
    project = ProjectRow(
        document_id=document_id,
        source_file=source_file,
        project_seq=1,
        source_line=block[0].number if block else 1,
        header_line=block[0].number if block else 1,
        end_line=block[-1].number if block else 1,
        page_lines=[block[0].number] if block else [],
    )
    _header(block[: captions[0] if captions else end_at], project)
    project.goals = flat.horizon_goals(block[: captions[0] if captions else end_at])
    issues = flat.funding_issues(project)
    indicators: list[IndicatorRow] = []
    for at, nxt in zip(captions, [*captions[1:], end_at], strict=True):
        indicators += _grid(
            block[at], block[at + 1 : min(nxt, end_at)], project, labels, issues, len(indicators)
        )
    projects = [project] if block else []
    document = document_row(
        preamble, [], projects, "\n".join(ln.raw for ln in lines), source_file, document_id
    )
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _grid(
    caption: Line,
    grid: list[Line],
    project: ProjectRow,
    labels: LabelMap,
    issues: list[ParseIssue],
    before: int,
) -> list[IndicatorRow]:
    state = flat.LabelState()
    name_col = flat.name_column(caption, NAME_CAPTION)
    rows: list[flat.RawRow] = []
    for line in grid:
        row = flat.raw_row(line, line.cells, labels, state)
        if row is None:
            continue
        name_cell = next(c for c in line.cells if c.text == row.name)
        if name_cell.col != name_col:
            issues.append(_unplaced(project.source_file, line))
            continue
        rows.append(row)
    if not rows:
        project.parse_flags.append("grid_empty")
        return []
    words, roles = flat.grid_columns(rows, caption, name_col)
    found, hold = flat.column_issues(roles, words, rows, project.source_file, caption.number)
    issues += found
    if hold:
        project.parse_flags.append("unknown_grid_column")
    horizon = horizon_of(caption.cells[0].text)
    return [
        flat.indicator(r, roles, project.document_id, project.source_file, 1, before + n, horizon)
        for n, r in enumerate(rows, start=1)
    ]


def _unplaced(source_file: str, line: Line) -> ParseIssue:
    return ParseIssue(
        source_file,
        line.number,
        "line_unplaced",
        f"指标表第 {line.number} 行「{flat.quote(line.raw)}」的“指标内容”一列是空的，"
        "其后的单元格不知是指标值还是备注，这一行不载入（期望：指标内容下印出指标名称）",
    )


FAMILY = Family(
    name=FAMILY_NAME,
    title="长期+年度两张指标表的财政支出项目绩效目标申报表（长期绩效指标/年度绩效指标 + 指标内容列）",
    markers=(
        Marker(
            "含“一级指标 二级指标 指标内容”的指标表标题行",
            caption_with("一级指标", "二级指标", NAME_CAPTION),
            2.0,
            True,
        ),
        Marker("“长期绩效指标”指标表", first_cell(r"^长期绩效指标$"), required=True),
        Marker("“年度绩效指标”指标表", first_cell(r"^年度绩效指标$")),
        Marker("“项目属性”或“主管部门编码”表头栏", any_cell(r"^(?:项目属性|主管部门编码)$")),
    ),
    read=read,
)
