"""The Hubei (鄂州) 市直部门预算项目支出绩效目标表: a cost breakdown, then one grid (pure).

Header: 项目名称, 项目类别 | … | 项目性质 | … (持续性项目: the attribute), 立项依据, then the
项目预算成本构成 table (金额 | 测算(公式)依据 | 2020年实际执行数 | 2021年实际执行数) closed by a
合计 row, whose 金额 is the project's budget. No money unit is printed anywhere: the 合计 stays
as printed and the project is flagged ``money_unit_not_printed``. 绩效目标 is the year's goal.
Grid: 一级指标 | 二级指标 | (the level-3 name, no caption word) | 绩效标准 (an explanation,
反映…情况; kept aside as ``standard_printed`` before the columns are decided) | 当年预期实现值 (the
target, in one cell). The text layer prints no level-1
labels: the level 2 gives the level 1 (``level1_inferred``). A rate printed above 100%
(``292%``, OCR damage of ``≥92%``) is kept as printed and flagged ``rate_over_100_percent``.
保障绩效目标实现措施 and 主管部门审核意见 end the grid; they are not stored.
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
from ingest.vocabulary import LabelMap, default_label_map

FAMILY_NAME = "hubei"

HEADER_FIELDS = {
    "项目名称": "project_name",
    "项目性质": "attribute",
    "绩效目标": "annual_goal",
}
KNOWN_NOT_STORED = {"项目类别", "立项依据", "项目预算成本构成"}  # no contract column yet
COST_TABLE = "项目预算成本构成"
COST_TOTAL = "合计"
_END = re.compile(r"^(?:保障绩效目标实现措施|主管部门审核意见|财政部门审核意见|填表人|填报日期)")
_PERCENT = re.compile(r"^[^\d]*(\d+(?:\.\d+)?)%$")


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "二级指标" in keys and "当年预期实现值" in keys


def _header(lines: list[Line], project: ProjectRow) -> None:
    in_costs = False
    for line in lines:
        first = label_key(line.cells[0].text)
        if first == COST_TABLE:
            in_costs = True
            continue
        if in_costs and first == COST_TOTAL:
            amount = line.cells[1].text if len(line.cells) > 1 and line.cells[1].col == 1 else ""
            project.funding_printed["annual_total"] = amount
            project.funding_lines["annual_total"] = line.number
            project.funding_labels["annual_total"] = f"{COST_TABLE} {line.cells[0].text}"
            in_costs = False
            continue
        for i, cell in enumerate(line.cells):
            name = HEADER_FIELDS.get(label_key(cell.text))
            if name is None:
                continue
            nxt = line.cells[i + 1].text if i + 1 < len(line.cells) else ""
            value = None if label_key(nxt) in HEADER_FIELDS or label_key(nxt) in KNOWN_NOT_STORED else nxt
            if name == "project_name":
                project.project_name = value or None
            elif name == "attribute":
                project.attribute_printed = value or None
            elif name == "annual_goal":
                project.annual_goal = value or None


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    preamble, blocks = split_projects(lines)
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    for seq, block in enumerate(blocks, start=1):
        caption_at = next((i for i, ln in enumerate(block) if _is_caption(ln)), len(block))
        end_at = next((i for i, ln in enumerate(block) if _END.match(ln.keys[0])), len(block))
        project = flat.block_project(block, document_id, source_file, seq)
        _header(block[:caption_at], project)
        issues += flat.funding_issues(project)
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        indicators += _grid(caption, block[caption_at + 1 : end_at], project, labels, issues)
    text = "\n".join(ln.raw for ln in lines)
    document = document_row(preamble, [], projects, text, source_file, document_id)
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _name_column(caption: Line | None) -> int | None:
    """The level-3 names sit in the column after 二级指标 (the caption prints no word there)."""
    level2 = flat.name_column(caption, "二级指标")
    return None if level2 is None else level2 + 1


def _grid(
    caption: Line | None, grid: list[Line], project: ProjectRow, labels: LabelMap, issues: list[ParseIssue]
) -> list[IndicatorRow]:
    state = flat.LabelState()
    name_col = _name_column(caption)
    rows: list[flat.RawRow] = []
    for line in grid:
        row = flat.raw_row(line, line.cells, labels, state)
        if row is None:
            continue
        name_cell = next(c for c in line.cells if c.text == row.name)
        if name_col is not None and name_cell.col != name_col:
            issues.append(_unplaced(project.source_file, line, name_col))
            continue
        rows.append(row)
    if not rows:
        project.parse_flags.append("grid_empty")
        return []
    words, roles = flat.grid_columns(rows, caption, name_col)
    where = caption.number if caption is not None else rows[0].line.number
    found, hold = flat.column_issues(roles, words, rows, project.source_file, where)
    issues += found
    if hold:
        project.parse_flags.append("unknown_grid_column")
    out = [
        flat.indicator(r, roles, project.document_id, project.source_file, project.project_seq, n)
        for n, r in enumerate(rows, start=1)
    ]
    for row in out:
        if rate_over_100(row.indicator_name, row.target_text):
            row.parse_flags.append("rate_over_100_percent")
    return out


def rate_over_100(name: str, target: str) -> bool:
    """A rate (…率) whose printed target is a percentage above 100: damage, never fixed."""
    m = _PERCENT.match(fold(target))
    return name.endswith("率") and m is not None and float(m.group(1)) > 100


def _unplaced(source_file: str, line: Line, name_col: int) -> ParseIssue:
    return ParseIssue(
        source_file,
        line.number,
        "line_unplaced",
        f"指标表第 {line.number} 行「{flat.quote(line.raw)}」的指标名称不在标题下的第 {name_col + 1} 列，"
        "这一行不载入（期望：一级指标、二级指标、指标名称、绩效标准、当年预期实现值各在其列）",
    )


FAMILY = Family(
    name=FAMILY_NAME,
    title="湖北式市直部门预算项目支出绩效目标表（项目预算成本构成 + 绩效标准/当年预期实现值列）",
    markers=(
        Marker("含“当年预期实现值”的指标表标题行", any_cell(r"^当年预期实现值$"), 2.0, required=True),
        Marker("“项目预算成本构成”表", first_cell(r"^项目预算成本构成$"), required=True),
        Marker("“项目性质”或“项目类别”表头栏", any_cell(r"^(?:项目性质|项目类别)$")),
        Marker("“立项依据”表头栏", first_cell(r"^立项依据$")),
    ),
    read=read,
)
