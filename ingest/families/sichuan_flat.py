"""The Sichuan flat department table (一体化系统 export): one table for a whole department (pure).

Caption: 单位名称 项目名称 预算数 年度目标 一级指标 二级指标 三级指标 指标性质 指标值 度量单位 权重
指标方向性. The project cells (unit, name, budget, goal) are printed only on a project's first
row; the unit only on its first project. A row of a code-prefixed name and an amount alone
(``820-马踏镇部门 | 8,827,620.53``) is the department subtotal, not a project. Money in 元 with
thousands separators (``金额单位:元``); comparator, number and unit in three cells; rows in no
fixed level order; a page break repeats the caption. Projects are split by the project cells,
not by a 项目名称 label block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.cells import Cell, fold, label_key
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with
from ingest.families.ningxia import document_row
from ingest.header import split_code_prefix
from ingest.numbers import read_number
from ingest.rows import IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, unit_line

FAMILY_NAME = "sichuan_flat"
PROJECT_COLUMNS = ("单位名称", "项目名称", "预算数", "年度目标")
_CODED = re.compile(r"^\d{2,}\s*[-－]")
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@dataclass
class _Project:
    row: ProjectRow
    rows: list[flat.RawRow] = field(default_factory=list)


def _is_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "项目名称" in keys


def _is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(fold(text))) and read_number(text).value is not None


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    content = [ln for ln in lines if ln.cells]
    caption_at = next((i for i, ln in enumerate(content) if _is_caption(ln)), None)
    preamble = content[: caption_at or 0]
    unit = next((u for ln in preamble if (u := unit_line(" ".join(c.text for c in ln.cells)))), None)
    issues: list[ParseIssue] = []
    noise: list[Line] = []
    found: list[_Project] = []
    department: tuple[str, int, str] | None = None  # the subtotal row's name, line, amount
    state = flat.LabelState()
    current_unit: str | None = None
    for line in content[(caption_at + 1 if caption_at is not None else 0) :]:
        if _is_caption(line) or unit_line(" ".join(c.text for c in line.cells)):
            noise.append(line)  # a page break repeats the caption / unit line
            continue
        bounds = flat.label_cells(line.cells, labels)
        lead = line.cells if bounds is None else line.cells[: bounds[0] if bounds[0] >= 0 else bounds[1]]
        if bounds is None:
            if len(lead) == 2 and _CODED.match(lead[0].text) and _is_amount(lead[1].text):
                department = (lead[0].text, line.number, lead[1].text)
                continue  # the department subtotal: not a project
            noise.append(line)
            issues.append(_unplaced(line, source_file))
            continue
        if lead:
            opened = _open_project(lead, line, found, document_id, source_file, current_unit, unit)
            if opened is None:
                issues.append(_unplaced(line, source_file))
                continue
            current_unit = opened.row.implementing_unit
            state = flat.LabelState()
        if not found:
            issues.append(_unplaced(line, source_file))
            continue
        row = flat.raw_row(line, line.cells[len(lead) :], labels, state)
        if row is not None:
            found[-1].rows.append(row)
    projects, indicators = _rows(found, department, content, source_file, issues)
    document = document_row(
        preamble, noise, projects, "\n".join(ln.raw for ln in lines), source_file, document_id
    )
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def _open_project(
    lead: list[Cell],
    line: Line,
    found: list[_Project],
    document_id: str,
    source_file: str,
    current_unit: str | None,
    money_unit: str | None,
) -> _Project | None:
    """A project's first row: [单位名称,] 项目名称, 预算数[, 年度目标] before the labels."""
    at = next((i for i, c in enumerate(lead) if _is_amount(c.text)), None)
    if at is None or at == 0 or at > 2:
        return None
    unit_cell = lead[0].text if at == 2 else current_unit
    row = ProjectRow(
        document_id=document_id,
        source_file=source_file,
        project_seq=len(found) + 1,
        source_line=line.number,
        header_line=line.number,
        end_line=line.number,
        page_lines=[line.number],
        project_name=lead[at - 1].text,
        implementing_unit=unit_cell,
        annual_goal=lead[at + 1].text if at + 1 < len(lead) else None,
        money_unit_printed=money_unit,
    )
    row.funding_printed["annual_total"] = lead[at].text
    row.funding_lines["annual_total"] = line.number
    row.funding_labels["annual_total"] = "预算数"
    project = _Project(row)
    found.append(project)
    return project


def _rows(
    found: list[_Project],
    department: tuple[str, int, str] | None,
    content: list[Line],
    source_file: str,
    issues: list[ParseIssue],
) -> tuple[list[ProjectRow], list[IndicatorRow]]:
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    all_rows = [r for p in found for r in p.rows]
    caption = next((ln for ln in content if _is_caption(ln)), None)
    words, roles = flat.grid_columns(all_rows, caption, flat.name_column(caption))
    where = caption.number if caption is not None else (all_rows[0].line.number if all_rows else 1)
    column_found, hold = flat.column_issues(roles, words, all_rows, source_file, where)
    issues += column_found
    for project in found:
        row = project.row
        if department is not None:
            row.department_printed = department[0]
            row.department_code, row.department_name = split_code_prefix(department[0])
        if project.rows:
            row.end_line = project.rows[-1].line.number
        if hold:
            row.parse_flags.append("unknown_grid_column")
        projects.append(row)
        indicators += [
            flat.indicator(r, roles, row.document_id, source_file, row.project_seq, n)
            for n, r in enumerate(project.rows, start=1)
        ]
    if department is not None:
        issues += _subtotal_issue(department, projects, source_file)
    return projects, indicators


def _subtotal_issue(
    department: tuple[str, int, str], projects: list[ProjectRow], source_file: str
) -> list[ParseIssue]:
    """The department subtotal row against the sum of its projects' budgets (kept as printed)."""
    name, line, printed = department
    total = read_number(printed).value
    amounts = [read_number(p.funding_printed.get("annual_total", "")).value for p in projects]
    if total is None or any(a is None for a in amounts) or sum(amounts) == total:
        return []
    return [
        ParseIssue(
            source_file,
            line,
            "department_subtotal_differs",
            f"部门合计行「{flat.quote(name)} {printed}」与 {len(projects)} 个项目预算数之和 {sum(amounts):,} 不等，"
            "两者都按原文保留（期望部门合计等于各项目预算数之和；可能有项目缺页或合计印错）",
        )
    ]


def _unplaced(line: Line, source_file: str) -> ParseIssue:
    return ParseIssue(
        source_file,
        line.number,
        "line_unplaced",
        f"该行「{flat.quote(' '.join(c.text for c in line.cells))}」既不是项目的第一行、指标行，也不是部门合计行，未载入"
        "（期望“单位名称 项目名称 预算数 年度目标”之后接一级指标、二级指标、三级指标，或只有一级指标起的指标行）",
    )


FAMILY = Family(
    name=FAMILY_NAME,
    title="四川一体化系统部门项目绩效目标申报表（整个部门一张平表：单位名称/项目名称/预算数/年度目标 + 指标列）",
    markers=(
        Marker(
            "标题行含“单位名称 项目名称 预算数 年度目标 一级指标”",
            caption_with(*(label_key(w) for w in PROJECT_COLUMNS), "一级指标"),
            3.0,
            required=True,
        ),
        Marker("“权重”或“指标方向性”列", any_cell(r"^(?:权重|指标方向性)$")),
        Marker("“金额单位:元”行", any_cell(r"^金额单位[:：]")),
    ),
    read=read,
)
