"""The Inner Mongolia family: 项目绩效目标表 exported by the budget system (pure).

One table per project: 项目名称 / 项目类别 / 归口科室 / 主管部门 / 实施单位 with codes in
parentheses (``(433)…``), an 投入目标 (万元) block (资金总额, 其中: 财政拨款数, 其他资金), 年度目标,
then a grid 一级指标 二级指标 三级指标 指标性质 指标方向 目标值 计量单位 分值 备注 whose labels
repeat on every row. The header words are not what the cells hold (the direction sits under
指标性质, the comparator under 指标方向): columns are read by content (``ingest.families.columns``).
"""

from __future__ import annotations

import re

from ingest.cells import label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with, first_cell
from ingest.families.flat import split_projects
from ingest.families.ningxia import document_row
from ingest.header import split_code_prefix
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, is_noise

FAMILY_NAME = "inner_mongolia"

# This family's header labels (folded) -> field; 归口科室 is known and not stored.
HEADER_FIELDS = {
    "项目名称": "project_name",
    "项目类别": "attribute",
    "主管部门": "department",
    "实施单位": "implementing_unit",
    "年度目标": "annual_goal",
    "资金总额": "annual_total",
    "财政拨款数": "fiscal_appropriation",
    "财政拨款": "fiscal_appropriation",
    "其他资金": "other_funds",
}
KNOWN_NOT_STORED = {"归口科室", "资金来源"}
_UNIT_IN_LABEL = re.compile(r"[(（]\s*(万元|元)\s*[)）]")


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "三级指标" in keys


def _header(lines: list[Line], project: ProjectRow, issues: list[ParseIssue]) -> None:
    for line in lines:
        for i, cell in enumerate(line.cells):
            key = label_key(cell.text)
            unit = _UNIT_IN_LABEL.search(cell.text)
            if unit:
                project.money_unit_printed = unit.group(1)
            field_name = HEADER_FIELDS.get(key)
            if field_name is None:
                continue
            value = line.cells[i + 1].text if i + 1 < len(line.cells) else ""
            _put(project, field_name, cell.text, value, line.number)
            break
        else:
            if not any(label_key(c.text) in KNOWN_NOT_STORED for c in line.cells) and not any(
                _UNIT_IN_LABEL.search(c.text) for c in line.cells
            ):
                issues.append(
                    ParseIssue(
                        project.source_file,
                        line.number,
                        "header_value_unlabelled",
                        f"表头行「{flat.quote(' '.join(c.text for c in line.cells))}」没有可识别的标签"
                        "（期望项目名称、项目类别、主管部门、实施单位、资金总额、年度目标等）",
                    )
                )


def _put(project: ProjectRow, name: str, label: str, value: str, line: int) -> None:
    if name == "project_name":
        project.project_name = value or None
    elif name == "attribute":
        project.attribute_printed = value
        project.attribute_code, project.attribute_label = split_code_prefix(value)
    elif name == "department":
        project.department_printed = value
        project.department_code, project.department_name = split_code_prefix(value)
    elif name == "implementing_unit":
        project.implementing_unit = value
    elif name == "annual_goal":
        project.annual_goal = value
    else:
        project.funding_printed[name] = value
        project.funding_lines[name] = line
        project.funding_labels[name] = label.strip()


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    preamble, blocks = split_projects(lines)
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    noise: list[Line] = []
    for seq, block in enumerate(blocks, start=1):
        caption_at = next((i for i, ln in enumerate(block) if _is_caption(ln)), len(block))
        project = flat.block_project(block, document_id, source_file, seq)
        _header(block[:caption_at], project, issues)
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        grid = [ln for ln in block[caption_at + 1 :]]
        noise += [ln for ln in grid if is_noise(" ".join(c.text for c in ln.cells))]
        grid = [ln for ln in grid if ln not in noise]
        indicators += _grid(caption, grid, project, labels, issues)
    document = document_row(
        preamble, noise, projects, "\n".join(ln.raw for ln in lines), source_file, document_id
    )
    document.layout = "county"  # one own-level side: 资金总额 = the annual total
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _grid(
    caption: Line | None, grid: list[Line], project: ProjectRow, labels: LabelMap, issues: list[ParseIssue]
) -> list[IndicatorRow]:
    state = flat.LabelState()
    rows = [r for ln in grid if (r := flat.raw_row(ln, ln.cells, labels, state)) is not None]
    if not rows:
        if caption is not None or grid:
            project.parse_flags.append("grid_empty")
        return []
    words, roles = flat.grid_columns(rows, caption, flat.name_column(caption))
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
    title="内蒙古式项目绩效目标表（投入目标（万元）块 + 指标性质/指标方向/目标值/计量单位/分值列）",
    markers=(
        Marker("“项目名称”表头行", first_cell(r"^项目名称$"), required=True),
        Marker("“投入目标（万元）”资金块", any_cell(r"^投入目标"), required=True),
        Marker(
            "含“目标值”“计量单位”“分值”的指标表标题行",
            caption_with("一级指标", "三级指标", "目标值", "计量单位", "分值"),
            2.0,
            required=True,
        ),
        Marker("“项目类别”或“归口科室”表头栏", first_cell(r"^(?:项目类别|归口科室)$")),
    ),
    read=read,
)
