"""Document text -> document, project and indicator rows, exactly as printed (pure).

``parse_document`` is the whole text -> rows path: segment into tables, read each header
and grid, merge continuation pages (the same header block repeated on the next page) into
one project, and derive the document's facts. It never reads files and never judges
values; problems become ``ParseIssue`` entries with a line number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.cells import fold
from ingest.document import (
    admin_level_of,
    fiscal_year_of,
    publication_date,
    publisher_from_title,
    region_of,
)
from ingest.grid import GridState, read_grid_row, value_column
from ingest.header import Header, read_header, split_attribute, split_department
from ingest.rows import DocumentRow, IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import TableBlock, segment
from ingest.vocabulary import FUNDING_FIELDS, LabelMap, default_label_map


@dataclass
class _Page:
    block: TableBlock
    header: Header
    name: str | None
    name_line: int


def _page(block: TableBlock) -> _Page:
    header = read_header(block.header)
    name_value = header.fields.get("project_name")
    name, name_line = None, block.start_line
    if block.name_line is not None:
        name, name_line = block.name_line.cells[0].text, block.name_line.number
    if name_value is not None and name_value.text:
        name, name_line = name_value.text, name_value.line
    return _Page(block, header, name, name_line)


def _identity(page: _Page) -> tuple:
    """What must be equal for a page to continue the previous page's project."""
    f = page.header.fields
    keys = ("department", "implementing_unit", "attribute", "period", *FUNDING_FIELDS)
    return tuple(_same(v) for v in (page.name, *((f[k].text if k in f else None) for k in keys)))


def _same(text: str | None) -> str | None:
    """Compare header cells as meaning, not printing: width, spaces and dash styles folded."""
    return None if text is None else re.sub(r"[-－—–‐]+", "-", fold(text))


def parse_document(
    text: str, source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    seg = segment(text, labels)
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []

    pages = [_page(b) for b in seg.tables]
    groups: list[list[_Page]] = []
    for page in pages:
        if groups and _identity(groups[-1][-1]) == _identity(page) and page.name:
            groups[-1].append(page)
        else:
            groups.append([page])

    name_counts = Counter(g[0].name for g in groups)
    for seq, group in enumerate(groups, start=1):
        first = group[0]
        project = _project_row(first, group, seq, source_file, document_id, issues)
        if name_counts[first.name] > 1:
            project.parse_flags.append("name_shared_with_other_project")
        projects.append(project)
        state = GridState()
        n = 0
        for page in group:
            block = page.block
            if block.caption is None and not block.grid:
                issues.append(
                    ParseIssue(
                        source_file,
                        block.start_line,
                        "grid_missing",
                        f"项目「{page.name}」的表头之后没有指标表（期望一行“一级指标 二级指标 三级指标 指标值”及指标行）",
                    )
                )
            if block.grid_without_caption:
                project.parse_flags.append("grid_caption_missing")
            vcol = value_column(block.caption)
            for line in block.grid:
                row = read_grid_row(line, state, labels, vcol)
                if row is None:
                    continue
                n += 1
                indicators.append(
                    IndicatorRow(
                        document_id=document_id,
                        source_file=source_file,
                        project_seq=seq,
                        indicator_seq=n,
                        source_line=row.line,
                        level1_printed=row.level1_printed,
                        level2_printed=row.level2_printed,
                        level1=row.level1,
                        level2=row.level2,
                        indicator_name=row.indicator_name,
                        target_text=row.target_text,
                        line_printed=row.line_printed,
                        parse_flags=row.flags,
                    )
                )
        if n == 0 and any(p.block.caption is not None for p in group):
            issues.append(
                ParseIssue(
                    source_file,
                    first.block.start_line,
                    "grid_empty",
                    f"项目「{first.name}」的指标表没有任何指标行",
                )
            )

    document = _document_row(seg, projects, text, source_file, document_id)
    return ParsedDocument(document, projects, indicators, issues)


def _project_row(
    first: _Page,
    group: list[_Page],
    seq: int,
    source_file: str,
    document_id: str,
    issues: list[ParseIssue],
) -> ProjectRow:
    f = first.header.fields

    def text(key: str) -> str | None:
        return f[key].text if key in f else None

    project = ProjectRow(
        document_id=document_id,
        source_file=source_file,
        project_seq=seq,
        source_line=first.name_line,
        header_line=first.block.header[0].number if first.block.header else first.block.start_line,
        end_line=group[-1].block.end_line,
        page_count=len(group),
        page_lines=[p.name_line for p in group],
        project_name=first.name,
    )
    if first.name is None:
        issues.append(
            ParseIssue(
                source_file,
                project.header_line,
                "project_name_missing",
                "“项目名称”单元格为空，且前一行也没有项目名称",
            )
        )
    dept = text("department")
    project.department_printed = dept
    if dept:
        project.department_name, project.department_code = split_department(dept)
    project.implementing_unit = text("implementing_unit")
    attr = text("attribute")
    project.attribute_printed = attr
    if attr:
        project.attribute_code, project.attribute_label = split_attribute(attr)
    project.period_printed = text("period")
    project.annual_goal = text("annual_goal")
    project.money_unit_printed = first.header.money_unit or first.block.money_unit
    project.transfer_label_printed = first.header.transfer_label
    for key in FUNDING_FIELDS:
        if key in f:
            project.funding_printed[key] = f[key].text
            project.funding_lines[key] = f[key].line
    for value in first.header.unlabelled:
        issues.append(
            ParseIssue(
                source_file,
                value.line,
                "header_value_unlabelled",
                f"表头单元格「{value.text}」前没有可识别的标签（期望如“项目名称”“实施单位”“年度资金总额”）",
            )
        )
    for key, value in first.header.duplicates:
        issues.append(
            ParseIssue(
                source_file,
                value.line,
                "header_field_repeated",
                f"表头字段 {key} 在同一页重复出现，保留第一次的值，本次为「{value.text}」",
            )
        )
    goals = {p.header.fields["annual_goal"].text for p in group if "annual_goal" in p.header.fields}
    if len(goals) > 1:
        project.parse_flags.append("continuation_goal_differs")
    return project


def _document_row(seg, projects: list[ProjectRow], text: str, source_file: str, document_id: str) -> DocumentRow:
    publisher, title = publisher_from_title(seg.preamble)
    if publisher is None:
        names = Counter(p.department_name for p in projects if p.department_name)
        publisher = names.most_common(1)[0][0] if names else None
    region = region_of(publisher)
    cue_lines = [" ".join(c.text for c in ln.cells) for ln in seg.preamble + seg.noise]
    transfer = next((p.transfer_label_printed for p in projects if p.transfer_label_printed), None)
    printed, iso, line = publication_date(seg.preamble)
    layout = None
    if projects:
        provincial = any(
            k in p.funding_printed for p in projects for k in ("project_total", "own_level_total")
        )
        layout = "provincial" if provincial else "county"
    return DocumentRow(
        document_id=document_id,
        source_file=source_file,
        layout=layout,
        title=title,
        publisher=publisher,
        region_name=region,
        admin_level=admin_level_of(region, " ".join(cue_lines), transfer),
        fiscal_year=fiscal_year_of(cue_lines),
        published_on_raw=printed,
        published_on=iso,
        published_on_line=line,
        line_count=text.count("\n") + 1,
    )
