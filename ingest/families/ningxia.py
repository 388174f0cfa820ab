"""The Ningxia family: one table per project, 项目名称 header block, 一级/二级/三级/指标值 grid (pure).

``read`` is this family's lines -> rows path: segment into tables, read each header
and grid, merge continuation pages (the same header block repeated on the next page) into
one project, and derive the document's facts. It never reads files and never judges
values; problems become ``ParseIssue`` entries with a line number, the cell or line as
printed, and what was expected there. Nothing is invented: a line the parser cannot place
(too long, printed twice in a row, a grid with no header, a 项目名称 with nothing under
it) is reported and left out, never turned into a row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.cells import fold
from ingest.divisions import PublisherReading, level_cue, read_publisher
from ingest.document import (
    fiscal_year_line,
    fiscal_year_of,
    publication_date,
    publisher_from_title,
)
from ingest.families.base import Family, Marker, Sheet, any_cell, first_cell
from ingest.grid import (
    GridRow,
    GridState,
    level2_column,
    looks_like_score,
    read_grid_row,
    unknown_caption_columns,
    value_column,
)
from ingest.header import Header, read_header, split_attribute, split_department
from ingest.numbers import (
    EXPONENT_NOTATION,
    MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
    NUMBER_OUT_OF_RANGE,
    read_number,
)
from ingest.rows import DocumentRow, IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import MAX_LINE_CHARS, Line, TableBlock, last_line_number, segment
from ingest.vocabulary import FUNDING_FIELDS, LabelMap, default_label_map, header_label, is_grid_caption_line

# A funding cell dbt can cast (``try_cast(... as decimal)``): digits with an optional point.
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_CN_NUMERALS = set("零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")
_QUOTE_MAX = 40  # characters of a printed cell quoted in a message
# A grid without a caption for it still has an unknown column when at least this many rows,
# and more than this share of its rows, print one more cell after the value and it is a bare
# number (a 分值 / 权重 column): the samples have none.
SCORE_COLUMN_MIN_ROWS = 3
SCORE_COLUMN_MIN_SHARE = 0.5
_EXPECTED_COLUMNS = "（期望“一级指标 二级指标 三级指标 指标值”四列）"


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


_DASHES = re.compile(r"[-－—–‐]+")


def _same(text: str | None) -> str | None:
    """Compare header cells as meaning, not printing: width, spaces and dash styles folded."""
    return None if text is None else _DASHES.sub("-", fold(text))


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    """Read a document of this family from its lines (a TAB text's, or a container's)."""
    return read_text(lines, source_file, document_id, labels)


def read_text(
    text: str | list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    if isinstance(text, str):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    seg = segment(text, labels)
    issues: list[ParseIssue] = []
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    _segment_issues(seg, source_file, issues)
    _repeated_caption_issues(seg, source_file, issues)

    pages = []
    for block in seg.tables:
        page = _page(block)
        if _is_empty(page):
            issues.append(
                ParseIssue(
                    source_file,
                    block.start_line,
                    "project_empty",
                    f"“项目名称”「{_quote(page.name or '')}」之后既没有表头字段也没有指标表，未作为项目载入"
                    "（期望主管部门、实施单位、项目资金等表头行和“一级指标 二级指标 三级指标 指标值”指标表）",
                )
            )
            continue
        pages.append(page)
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
        seen_lines: dict[str, int] = {}
        for page in group:
            block = page.block
            if block.caption is None and not block.grid:
                project.parse_flags.append("grid_missing")
                issues.append(
                    ParseIssue(
                        source_file,
                        block.start_line,
                        "grid_missing",
                        f"项目「{_quote(page.name or '（无名称）')}」的表头之后没有指标表，只载入表头"
                        f"{'，文件在此表头之后结束，表格可能被截断' if block is seg.tables[-1] else ''}"
                        "（期望一行“一级指标 二级指标 三级指标 指标值”及指标行）",
                    )
                )
            if block.grid_without_caption:
                project.parse_flags.append("grid_caption_missing")
            vcol, l2col = value_column(block.caption), level2_column(block.caption)
            page_rows: list[GridRow] = []
            for line in block.grid:
                row = read_grid_row(line, state, labels, vcol, l2col)
                if row is None:
                    continue
                page_rows.append(row)
                n += 1
                key = line.raw.strip()
                if key in seen_lines:
                    row.flags.append("duplicate_line")
                    issues.append(
                        ParseIssue(
                            source_file,
                            line.number,
                            "indicator_line_repeated",
                            f"指标行「{_quote(row.indicator_name)} {_quote(row.target_text)}」与第 {seen_lines[key]} 行"
                            "完全相同，两行都保留并标记 duplicate_line（期望同一项目的指标行各不相同；可能是抽取时重复）",
                        )
                    )
                else:
                    seen_lines[key] = line.number
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
                        source_page=line.page,
                        source_sheet=line.sheet,
                        source_cell=line.ref,
                    )
                )
            column_issue = _unknown_column_issue(block, page_rows, source_file)
            if column_issue is not None:
                project.parse_flags.append("unknown_grid_column")
                issues.append(column_issue)
        if n == 0 and any(p.block.caption is not None for p in group):
            project.parse_flags.append("grid_empty")
            caption = next(p.block.caption for p in group if p.block.caption is not None)
            issues.append(
                ParseIssue(
                    source_file,
                    caption.number,
                    "grid_empty",
                    f"项目「{_quote(first.name or '（无名称）')}」的指标表只有标题行，没有任何指标行"
                    "（期望标题行之后是一级指标、二级指标、三级指标和指标值）",
                )
            )

    _truncation_issue(groups, projects, indicators, text, source_file, issues)
    issues.sort(key=lambda i: i.line or 0)
    document = document_row(seg.preamble, seg.noise, projects, text, source_file, document_id)
    document.template_family = FAMILY_NAME
    return ParsedDocument(document, projects, indicators, issues)


def _unknown_column_issue(block: TableBlock, rows: list[GridRow], source_file: str) -> ParseIssue | None:
    """A grid column the reader does not know (named in the caption, or a bare number after the value)."""
    if block.caption is not None:
        issue = _unknown_caption_issue(block.caption, source_file)
        if issue is not None:
            return issue
    scored = [r for r in rows if looks_like_score(r)]
    if len(scored) < SCORE_COLUMN_MIN_ROWS or len(scored) <= SCORE_COLUMN_MIN_SHARE * len(rows):
        return None
    first = scored[0]
    where = block.caption.number if block.caption is not None else block.grid[0].number
    return ParseIssue(
        source_file,
        where,
        "unknown_grid_column",
        f"指标表从此行起的 {len(rows)} 行指标中有 {len(scored)} 行在指标值之后还多一格数字"
        f"（如第 {first.line} 行「{_quote(first.indicator_name)}」最后一格「{_quote(first.target_text)}」），"
        f"这一列没有标题，可能是分值或权重，解析器不认识这一列{_EXPECTED_COLUMNS}；"
        "整份文档暂不载入，以免把分值当作指标值",
    )


def _unknown_caption_issue(caption, source_file: str) -> ParseIssue | None:
    unknown = unknown_caption_columns(caption)
    if not unknown:
        return None
    names = "".join(f"“{_quote(c.text)}”" for c in unknown)
    if len(unknown) == 1:
        what = f"指标表有一列{names}，解析器不认识这一列"
        instead = f"以免把{_quote(unknown[0].text)}当作指标值"
    else:
        what = f"指标表有 {len(unknown)} 列{names}，解析器不认识这些列"
        instead = "以免把这些列的内容当作指标值"
    return ParseIssue(
        source_file,
        caption.number,
        "unknown_grid_column",
        f"{what}{_EXPECTED_COLUMNS}；整份文档暂不载入，{instead}",
    )


def _repeated_caption_issues(seg, source_file: str, issues: list[ParseIssue]) -> None:
    """A caption printed again inside a grid (a new page) may carry an unknown column too."""
    for line in seg.noise:
        if is_grid_caption_line(line.keys):
            issue = _unknown_caption_issue(line, source_file)
            if issue is not None:
                issues.append(issue)


def _quote(text: str) -> str:
    """A printed cell for a message: as printed, shortened if long."""
    text = text.strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _is_empty(page: _Page) -> bool:
    """A 项目名称 with nothing under it: no other header field, no caption, no grid row."""
    block = page.block
    others = [k for k in page.header.fields if k != "project_name"]
    return not others and block.caption is None and not block.grid and len(block.header) <= 1


def _segment_issues(seg, source_file: str, issues: list[ParseIssue]) -> None:
    for number, length in seg.too_long:
        issues.append(
            ParseIssue(
                source_file,
                number,
                "line_too_long",
                f"该行有 {length:,} 个字符，超过每行 {MAX_LINE_CHARS:,} 个字符的上限，未解析"
                "（期望表格的一行：单元格以 TAB 分隔，通常不超过几千字）",
            )
        )
    for line in seg.repeated:
        issues.append(
            ParseIssue(
                source_file,
                line.number,
                "line_repeated",
                f"该行「{_quote(' '.join(c.text for c in line.cells))}」与上一行完全相同，只保留第一行"
                "（期望每行只出现一次；连续重复的行通常是抽取时重复）",
            )
        )
    if seg.orphan_grid:
        first = seg.orphan_grid[0]
        issues.append(
            ParseIssue(
                source_file,
                first.number,
                "grid_without_header",
                f"从该行起有 {len(seg.orphan_grid)} 行像指标表（如「{_quote(' '.join(c.text for c in first.cells))}」），"
                "但前面没有“项目名称”表头，这些行未载入（期望每个指标表之前有以“项目名称”开头的表头块）",
            )
        )


def _truncation_issue(
    groups, projects, indicators, text: str | list[Line], source_file: str, issues: list[ParseIssue]
) -> None:
    """The last table looks cut off where the file ends (rows before the cut stay loaded).

    Two signs: its last indicator row, on the file's last line, has a name but no 指标值;
    or it has no 满意度指标 block although the document's other projects all have one.
    """
    if not projects or not indicators:
        return
    last_project = projects[-1]
    last_row = indicators[-1]
    if last_row.project_seq != last_project.project_seq:
        return
    name = _quote(last_project.project_name or "（无名称）")
    last_line = last_line_number(text)
    if not last_row.target_text and last_row.indicator_name and last_row.source_line == last_line:
        last_row.parse_flags.append("value_missing_at_end")
        message = (
            f"文件在此行结束，项目「{name}」的最后一个指标行「{_quote(last_row.indicator_name)}」没有指标值："
            "表格可能在此被截断，已载入截断前的行（期望每个指标行以指标值结尾，表格通常以“满意度指标”结束）"
        )
    else:
        satisfied = {i.project_seq for i in indicators if i.level1 == "满意度指标"}
        others = [p.project_seq for p in projects[:-1]]
        if last_project.project_seq in satisfied or not others or not all(s in satisfied for s in others):
            return
        message = (
            f"文件在项目「{name}」的指标表中结束，该表没有“满意度指标”，而本文件其他 {len(others)} 个项目都有："
            "表格可能在此被截断，已载入截断前的行（期望指标表以“满意度指标”结束）"
        )
    last_project.parse_flags.append("table_truncated")
    issues.append(ParseIssue(source_file, last_row.source_line, "table_truncated", message))


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
    where = first.block.header[0] if first.block.header else first.block.name_line
    if where is not None:
        project.source_page, project.source_sheet, project.source_cell = where.page, where.sheet, where.ref
    if first.name is not None and first.block.name_label_missing:
        project.parse_flags.append("name_label_missing")
        issues.append(
            ParseIssue(
                source_file,
                project.source_line,
                "name_label_missing",
                f"「{_quote(first.name)}」单独成行，下一行直接是表头，中间没有“项目名称”标签；按项目名称处理"
                "（期望“项目名称”标签与名称同一行，或紧跟在名称的下一行）",
            )
        )
    if first.name is None:
        project.parse_flags.append("project_name_missing")
        if first.block.name_label_missing:
            message = (
                "表头块从此行开始，但前面没有“项目名称”行，项目名称留空（期望每个表头块以“项目名称”开头）"
            )
        else:
            message = "“项目名称”单元格为空，且前一行也没有项目名称，项目名称留空（期望“项目名称”后面或前一行是项目名称）"
        issues.append(ParseIssue(source_file, project.header_line, "project_name_missing", message))
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
            project.funding_labels[key] = f[key].label or key
            problem = _funding_problem(f[key].text)
            if problem:
                project.parse_flags.append("funding_not_number")
                label = f[key].label or key
                issues.append(
                    ParseIssue(
                        source_file,
                        f[key].line,
                        "funding_not_number",
                        f"“{label}”的值「{_quote(f[key].text)}」{problem}，原文保留，不计入金额合计"
                        f"（期望阿拉伯数字，单位为表头所示的{project.money_unit_printed or '万元'}，如 13.49）",
                    )
                )
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
        kept = f.get(key)
        label = value.label or (kept.label if kept else None) or key
        where = f"第 {kept.line} 行已有「{_quote(kept.text)}」" if kept else "前面已出现"
        issues.append(
            ParseIssue(
                source_file,
                value.line,
                "header_field_repeated",
                f"表头字段“{label}”在同一页重复出现（{where}），保留第一次的值，本次为「{_quote(value.text)}」"
                "（期望每个表头字段每页只出现一次）",
            )
        )
    goals = {p.header.fields["annual_goal"].text for p in group if "annual_goal" in p.header.fields}
    if len(goals) > 1:
        project.parse_flags.append("continuation_goal_differs")
    return project


def _most_common(values: list[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _division_reading(
    publisher: str | None, projects: list[ProjectRow], cue_lines: list[str], fiscal_year: int | None
) -> tuple[PublisherReading, str | None]:
    """The publisher read against the divisions, and the level the document's cues name."""
    transfer = next((p.transfer_label_printed for p in projects if p.transfer_label_printed), None)
    level = level_cue(" ".join(cue_lines), transfer)
    context = [
        *cue_lines,
        *(p.department_name or "" for p in projects),
        *(p.implementing_unit or "" for p in projects),
    ]
    reading = read_publisher(
        publisher,
        fiscal_year=fiscal_year,
        department_code=_most_common([p.department_code for p in projects]),
        level=level,
        context=" ".join(context),
    )
    return reading, level


def document_row(
    preamble: list[Line],
    noise: list[Line],
    projects: list[ProjectRow],
    text: str | list[Line],
    source_file: str,
    document_id: str,
) -> DocumentRow:
    """The document's facts from the lines before and between its tables (shared by the families)."""
    publisher, title = publisher_from_title(preamble)
    department = _most_common([p.department_name for p in projects])
    if publisher is None or (
        read_publisher(publisher).matched is None and read_publisher(department).matched
    ):
        # a title that names a project, not a publisher: the 主管部门 printed in the tables
        publisher = department
    cue = preamble + noise
    cue_lines = [" ".join(c.text for c in ln.cells) for ln in cue]
    fiscal_year = fiscal_year_of(cue_lines)
    reading, cue_level = _division_reading(publisher, projects, cue_lines, fiscal_year)
    division = reading.division
    printed, iso, line = publication_date(preamble)
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
        region_name=division.name if division else None,
        admin_level=division.level if division else cue_level,
        division_code=division.code if division else None,
        publisher_unit=reading.unit,
        division_evidence=reading.evidence,
        fiscal_year=fiscal_year,
        fiscal_year_line=fiscal_year_line(cue, fiscal_year),
        published_on_raw=printed,
        published_on=iso,
        published_on_line=line,
        line_count=text.count("\n") + 1
        if isinstance(text, str)
        else max((ln.number for ln in text), default=1),
    )


def _funding_problem(text: str) -> str | None:
    """Why a printed funding cell is not a number dbt can read, or None if it is one (or blank)."""
    t = text.strip()
    problem = read_number(t).problem
    if problem == EXPONENT_NOTATION:
        return "是科学计数法（如 1e3），不按数字读取"
    if problem == NUMBER_OUT_OF_RANGE:
        return f"位数过多（超过 {MAX_INTEGER_DIGITS} 位整数或 {MAX_DECIMALS} 位小数），不按数字读取"
    if not t or _NUMBER.match(t):
        return None
    if any(ch in _CN_NUMERALS for ch in t) and not any(ch.isdigit() for ch in t):
        return "是汉字数字"
    if "," in t or "，" in t:
        return "含逗号，无法确定是千分位还是小数点"
    unit = next((u for u in ("万元", "亿元", "元", "万") if u in t), None)
    if unit and _NUMBER.match(t.replace(unit, "").strip()):
        return f"带有单位「{unit}」（单位应只写在表头）"
    return "不是数字"


# ------------------------------------------------------------------ recognising the family

FAMILY_NAME = "ningxia"


def _ningxia_table(sheet: Sheet) -> int | None:
    """A 项目名称 header line, or a grid caption whose every column this reader knows."""
    for line in sheet.lines:
        if not line.cells:
            continue
        if header_label(line.cells[0].text) == ("field", "project_name"):
            return line.number
        if is_grid_caption_line(line.keys) and not unknown_caption_columns(line):
            return line.number
    return None


FAMILY = Family(
    name=FAMILY_NAME,
    title="宁夏式项目支出绩效目标表（每个项目一张表：项目名称表头块 + 一级/二级/三级指标/指标值）",
    markers=(
        # weighted so that this marker alone recognises the family: its own checks then say
        # what else is missing (grid_without_header, unknown_grid_column, annual_total_missing …)
        Marker(
            "以“项目名称”开头的表头行，或只有“一级指标 二级指标 三级指标 指标值”的标题行",
            _ningxia_table,
            3.0,
            True,
        ),
        Marker("“实施单位”表头栏", first_cell(r"^实施单位$")),
        Marker("“年度资金总额”“项目属性”或“项目期”表头栏", any_cell(r"^(?:年度资金总额|项目属性|项目期)$")),
    ),
    read=read,
)
