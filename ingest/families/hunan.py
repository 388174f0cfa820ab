"""The Hunan family: 项目支出绩效目标申报表 (湘财绩 style), one table per project (pure).

Header pairs on shared lines: 项目支出名称 | … | 预算部门 | …, 年度本级预算金额 | 250万 |
该项目支出上级资金 | 0, 项目支出实施期 (``2023.07-2024.01``), 实施期绩效目标, 本年度绩效目标; the
table's unit in a line such as ``填报单位:(盖章) 单位:万元``. The grid's title cell names its
horizon (本年度 绩效指标); its columns 一级指标 二级指标 三级指标 指标值及单位 绩效标准 are
merged-cell style (labels printed once), the value and its unit in one cell, 绩效标准 beside
it. Sign-off lines (财政部门审核意见, 填表人 …) end the table; personal data is already removed.
"""

from __future__ import annotations

import re

from ingest.cells import fold, label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, first_cell
from ingest.families.flat import split_projects
from ingest.families.ningxia import document_row
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, horizon_of

FAMILY_NAME = "hunan"

# This family's header labels (folded) -> field. 上级资金 is a funding cell of its own
# (``upper_level_funds``: long funding cells only, not a column of the wide fact).
HEADER_FIELDS = {
    "项目支出名称": "project_name",
    "预算部门": "department",
    "年度本级预算金额": "annual_total",
    "该项目支出上级资金": "upper_level_funds",
    "项目支出实施期": "period",
    "本年度绩效目标": "annual_goal",
}
_END = re.compile(r"^(?:财政部门审核意见|主管部门审核意见|填表人|填报日期|单位负责人)")
_UNIT = re.compile(r"单位[:：]\s*(万元|元)")
FUNDING = {"annual_total", "upper_level_funds"}


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "三级指标" in keys


def _header(lines: list[Line], project: ProjectRow) -> None:
    for line in lines:
        cells = line.cells
        for i, cell in enumerate(cells):
            name = HEADER_FIELDS.get(label_key(cell.text))
            if name is None:
                continue
            nxt = cells[i + 1].text if i + 1 < len(cells) else ""
            value = "" if label_key(nxt) in HEADER_FIELDS else nxt
            if name == "project_name":
                project.project_name = value or None
            elif name == "department":
                project.department_printed = project.department_name = value or None
            elif name == "period":
                project.period_printed = value or None
            elif name == "annual_goal":
                project.annual_goal = value or None
            if name in FUNDING:
                project.funding_printed[name] = value
                project.funding_lines[name] = line.number
                project.funding_labels[name] = cell.text


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    preamble, blocks = split_projects(lines, "项目支出名称")
    unit = next((m.group(1) for ln in preamble for c in ln.cells if (m := _UNIT.search(fold(c.text)))), None)
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    for seq, block in enumerate(blocks, start=1):
        caption_at = next((i for i, ln in enumerate(block) if _is_caption(ln)), len(block))
        end_at = next((i for i, ln in enumerate(block) if _END.match(ln.keys[0])), len(block))
        project = flat.block_project(
            block, document_id, source_file, seq, block[max(0, min(end_at, len(block)) - 1)]
        )
        project.money_unit_printed = unit
        _header(block[:caption_at], project)
        project.goals = flat.horizon_goals(block[:caption_at])
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        indicators += _grid(caption, block[caption_at + 1 : end_at], project, labels, issues)
    text = "\n".join(ln.raw for ln in lines)
    document = document_row(preamble, [], projects, text, source_file, document_id)
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _grid(
    caption: Line | None, grid: list[Line], project: ProjectRow, labels: LabelMap, issues: list[ParseIssue]
) -> list[IndicatorRow]:
    state = flat.LabelState()
    rows = [r for ln in grid if (r := flat.raw_row(ln, ln.cells, labels, state)) is not None]
    if not rows:
        project.parse_flags.append("grid_empty")
        return []
    # the caption's first cell is the grid's title (本年度 绩效指标), not a column
    words, roles = flat.grid_columns(rows, caption, flat.name_column(caption))
    where = caption.number if caption is not None else rows[0].line.number
    found, hold = flat.column_issues(roles, words, rows, project.source_file, where)
    issues += found
    if hold:
        project.parse_flags.append("unknown_grid_column")
    horizon = horizon_of(caption.cells[0].text if caption is not None else None)
    return [
        flat.indicator(r, roles, project.document_id, project.source_file, project.project_seq, n, horizon)
        for n, r in enumerate(rows, start=1)
    ]


FAMILY = Family(
    name=FAMILY_NAME,
    title="湖南式项目支出绩效目标申报表（项目支出名称/预算部门/年度本级预算金额 + 指标值及单位/绩效标准列）",
    markers=(
        Marker("“项目支出名称”表头行", first_cell(r"^项目支出名称$"), required=True),
        Marker("含“指标值及单位”的指标表标题行", any_cell(r"^指标值及单位$"), 2.0, required=True),
        Marker("“预算部门”或“年度本级预算金额”表头栏", any_cell(r"^(?:预算部门|年度本级预算金额)$")),
        Marker("“项目支出实施期”表头栏", any_cell(r"^项目支出实施期$")),
    ),
    read=read,
)
