"""The rural-revitalisation / poverty-alleviation form (绩效目标申报表, 衔接资金 / 扶贫资金) (pure).

One table per project: 项目名称 | … | 项目负责人及电话 | (removed), 主管部门 | … | 实施单位 | …,
资金情况(万元) | 年度资金总额: | …, 其中:财政拨款 | …, 其他资金 | …, 总体目标 | 年度目标 | … (the goal
on the same line or the next), then 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 [| 备注]
with merged labels. Quirks: a label cut over two cells (``经济效益 | 指标``), the grid's title
cut to one character (``绩``, ``总``), ASCII ``>=`` / ``<=``, template residue in names
(``(≥**%)``), ★ / ``*`` marks, funding printed as prose (``854万(高标准农田建设400万元,…)``, kept
as printed and flagged by the funding reader), a closing ``注:`` line that is not a row.
"""

from __future__ import annotations

import re

from ingest.cells import Cell, label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with, first_cell
from ingest.families.flat import split_projects
from ingest.families.ningxia import document_row
from ingest.header import split_code_prefix
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, is_noise

FAMILY_NAME = "rural"

HEADER_FIELDS = {
    "项目名称": "project_name",
    "主管部门": "department",
    "实施单位": "implementing_unit",
    "年度资金总额": "annual_total",
    "财政拨款": "fiscal_appropriation",
    "其他资金": "other_funds",
    "年度目标": "annual_goal",
}
# Label cells of the header that hold no value of their own.
KNOWN_LABELS = {
    "总体目标",
    "总",
    "年度总体目标完成情况",
    "项目负责人及电话",
    "项目负责人及联系电话",
    "资金情况",
}
FUNDING = {"annual_total", "fiscal_appropriation", "other_funds"}
_UNIT_IN_LABEL = re.compile(r"^资金情况\s*[(（]\s*(万元|元)\s*[)）]")
_END = re.compile(r"^(?:注[:：]|填报人|填表人|单位负责人|财政部门审核意见)")
_RESIDUE = re.compile(r"\*\*|XX|xx")
_MARK = re.compile(r"^[★☆*]")


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "三级指标" in keys


def _header(lines: list[Line], project: ProjectRow) -> None:
    for at, line in enumerate(lines):
        cells = line.cells
        for i, cell in enumerate(cells):
            unit = _UNIT_IN_LABEL.match(label_key(cell.text))
            if unit:
                project.money_unit_printed = unit.group(1)
            name = HEADER_FIELDS.get(label_key(cell.text))
            if name is None:
                continue
            nxt = cells[i + 1].text if i + 1 < len(cells) else None
            is_value = (
                nxt is not None and label_key(nxt) not in HEADER_FIELDS and label_key(nxt) not in KNOWN_LABELS
            )
            value, where = (nxt if is_value else ""), line.number
            if name == "annual_goal" and not value and at + 1 < len(lines) and len(lines[at + 1].cells) == 1:
                value, where = lines[at + 1].cells[0].text, lines[at + 1].number  # the goal on the next line
            _put(project, name, cell.text, value, where)


def _put(project: ProjectRow, name: str, label: str, value: str, line: int) -> None:
    if name == "project_name":
        project.project_name = value or None
    elif name == "department":
        project.department_printed = value or None
        project.department_code, project.department_name = split_code_prefix(value) if value else (None, None)
    elif name == "implementing_unit":
        project.implementing_unit = value or None
    elif name == "annual_goal":
        project.annual_goal = value or None
    elif name in FUNDING and name not in project.funding_printed:
        project.funding_printed[name] = value
        project.funding_lines[name] = line
        project.funding_labels[name] = label.strip()


def _glue_split_labels(cells: list[Cell], labels: LabelMap) -> tuple[list[Cell], bool]:
    """``经济效益 | 指标`` (a label wrapped over two cells) -> one cell ``经济效益指标``."""
    out: list[Cell] = []
    glued = False
    i = 0
    while i < len(cells):
        cell = cells[i]
        if (
            i + 1 < len(cells)
            and label_key(cells[i + 1].text) == "指标"
            and labels.is_label(cell.text + "指标")
        ):
            out.append(Cell(cell.col, cell.text + cells[i + 1].text))
            glued, i = True, i + 2
            continue
        out.append(cell)
        i += 1
    return out, glued


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
        end_at = next(
            (i for i, ln in enumerate(block) if i > caption_at and _END.match(ln.keys[0])), len(block)
        )
        grid = [
            ln for ln in block[caption_at + 1 : end_at] if not is_noise(" ".join(c.text for c in ln.cells))
        ]
        noise += [ln for ln in block[caption_at + 1 :] if ln not in grid]
        project = flat.block_project(block, document_id, source_file, seq, (grid or block)[-1])
        _header(block[:caption_at], project)
        issues += flat.funding_issues(project)
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        indicators += _grid(caption, grid, project, labels, issues)
    text = "\n".join(ln.raw for ln in lines)
    document = document_row(preamble, noise, projects, text, source_file, document_id)
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _grid(
    caption: Line | None, grid: list[Line], project: ProjectRow, labels: LabelMap, issues: list[ParseIssue]
) -> list[IndicatorRow]:
    state = flat.LabelState()
    rows: list[flat.RawRow] = []
    for line in grid:
        cells, glued = _glue_split_labels(line.cells, labels)
        row = flat.raw_row(line, cells, labels, state)
        if row is None:
            continue
        if glued:
            row.flags.append("label_split_over_cells")
        if _RESIDUE.search(row.name):
            row.flags.append("template_residue")
        if _MARK.match(row.name):
            row.flags.append("marked_name")
        rows.append(row)
    if not rows:
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
    title="乡村振兴 / 扶贫资金绩效目标申报表（项目负责人及电话、资金情况（万元）块、总体目标 + 一级/二级/三级指标/指标值）",
    markers=(
        Marker("“项目名称”表头行", first_cell(r"^项目名称$"), required=True),
        Marker("“资金情况”资金块", first_cell(r"^资金情况"), 2.0, required=True),
        Marker("“项目负责人及电话”栏", any_cell(r"^项目负责人")),
        Marker(
            "含“一级指标 二级指标 三级指标 指标值”的指标表标题行",
            caption_with("一级指标", "三级指标", "指标值"),
            required=True,
        ),
        Marker("“总体目标”/“年度目标”栏", any_cell(r"^(?:总体目标|年度目标|总)$")),
    ),
    read=read,
)
