"""The Fujian 财政支出项目绩效目标申报表: level 1 投入 / 产出 / 效益, level 2 names ending in 目标 (pure).

Header: 单位代码 / 单位名称 / 项目名称 / 是否新增 / 上年度预算安排资金(万元) / 项目类型 / 功能科目 /
项目实施单位 / 项目负责人 / 联系电话 (removed before reading) / 项目起止时间 / 项目资金申请(万元)
资金总额: 财政拨款: 自有资金: 事业收入: 经营性收入: 其他:, two goal blocks (长期目标, 年度的定量目标).
Grid: 评价内容 (level 1 and level 2) | 绩效内容 (the level-3 name) | 参考标准 | 绩效目标值, merged
labels. 时效目标 / 成本目标 sit under 投入 and 服务对象满意度目标 under 效益: the printed block is
kept, the seed gives the canonical level (``level1_reframed``).
"""

from __future__ import annotations

import re

from ingest.cells import label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with
from ingest.families.ningxia import document_row
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map

FAMILY_NAME = "fujian"

HEADER_FIELDS = {
    "单位代码": "department_code",
    "单位名称": "department",
    "项目名称": "project_name",
    "项目实施单位": "implementing_unit",
    "项目起止时间": "period",
    "项目年度绩效目标(定量目标)": "annual_goal",
    "资金总额": "annual_total",
    "财政拨款": "fiscal_appropriation",
    "自有资金": "own_funds",
    "事业收入": "business_income",
    "经营性收入": "operating_income",
    "其他": "other_funds",
    "上年度预算安排资金(万元)": "prior_year_budget",
}
FUNDING = {
    "annual_total",
    "fiscal_appropriation",
    "own_funds",
    "business_income",
    "operating_income",
    "other_funds",
    "prior_year_budget",
}
_UNIT = re.compile(r"^项目资金申请\s*[(（]\s*(万元|元)\s*[)）]")


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "评价内容" in keys and "绩效内容" in keys


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
            nxt = line.cells[i + 1].text if i + 1 < len(line.cells) else ""
            value = "" if label_key(nxt) in HEADER_FIELDS else nxt
            if name in FUNDING:
                project.funding_printed[name] = value
                project.funding_lines[name] = line.number
                project.funding_labels[name] = cell.text
            elif name == "department":
                project.department_printed = project.department_name = value or None
            elif name == "department_code":
                project.department_code = value or None
            elif name == "project_name":
                project.project_name = value or None
            elif name == "implementing_unit":
                project.implementing_unit = value or None
            elif name == "period":
                project.period_printed = value or None
            elif name == "annual_goal":
                project.annual_goal = value or None


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    content = [ln for ln in lines if ln.cells]
    starts = [i for i, ln in enumerate(content) if label_key(ln.cells[0].text) == "单位代码"] or [0]
    preamble = content[: starts[0]]
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    for seq, (begin, end) in enumerate(zip(starts, [*starts[1:], len(content)], strict=True), start=1):
        block = content[begin:end]
        caption_at = next((i for i, ln in enumerate(block) if _is_caption(ln)), len(block))
        name_line = next(
            (ln.number for ln in block if label_key(ln.cells[0].text) == "项目名称"), block[0].number
        )
        project = ProjectRow(
            document_id,
            source_file,
            seq,
            name_line,
            block[0].number,
            block[-1].number,
            page_lines=[name_line],
        )
        _header(block[:caption_at], project)
        project.goals = flat.horizon_goals(block[:caption_at])
        issues += flat.funding_issues(project)
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        indicators += _grid(caption, block[caption_at + 1 :], project, labels, issues)
    document = document_row(
        preamble, [], projects, "\n".join(ln.raw for ln in lines), source_file, document_id
    )
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
    words, roles = flat.grid_columns(rows, caption, flat.name_column(caption, "绩效内容"))
    where = caption.number if caption is not None else rows[0].line.number
    found, hold = flat.column_issues(roles, words, rows, project.source_file, where)
    issues += found
    if hold:
        project.parse_flags.append("unknown_grid_column")
    return [
        flat.indicator(r, roles, project.document_id, project.source_file, project.project_seq, n)
        for n, r in enumerate(rows, start=1)
    ]


FAMILY = Family(
    name=FAMILY_NAME,
    title="福建式财政支出项目绩效目标申报表（投入/产出/效益 + 评价内容/绩效内容/参考标准/绩效目标值）",
    markers=(
        Marker(
            "含“评价内容 绩效内容 绩效目标值”的指标表标题行",
            caption_with("评价内容", "绩效内容", "绩效目标值"),
            2.0,
            True,
        ),
        Marker("“项目资金申请（万元）”资金栏", any_cell(r"^项目资金申请"), required=True),
        Marker("“单位代码”表头栏", any_cell(r"^单位代码$")),
        Marker("“项目年度绩效目标（定量目标）”栏", any_cell(r"^项目年度绩效目标")),
    ),
    read=read,
)
