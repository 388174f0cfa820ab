"""The transfer-payment regional table (XX资金区域绩效目标表, 财预〔2015〕163号 template) (pure).

A central transfer is published per fund and region, not per project: 资金名称, the authority
chain (中央主管部门, 省级财政部门, 省级主管部门, 区县财政部门, 区县主管部门: whatever subset the
document prints, ``ingest.vocabulary.TRANSFER_AUTHORITY_ROLES``), 资金情况 with 年度金额(万元) /
其中:中央补助(万元) / 地方资金(万元), 年度目标, then the grid 一级指标 | 二级指标 | 三级指标 | 单位 |
指标值 whose first row starts with the grid's caption cell 绩效指标 (a merged vertical title,
not a level).

The "project" of this family is a fund × region: ``project_name`` is the 资金名称 as printed
and ``department_*`` the 区县主管部门, the local department that spends the money (the
publisher of the notice is the county). The whole chain is kept as printed, with its lines,
in ``ProjectRow.authorities`` (``raw_project_authorities``). Money units come from each
label's text (``(万元)``), else the 资金情况 block label, else the table's ``单位:万元`` line;
a blank 地方资金 is a blank cell, never zero. A line the reader cannot place (a mirror's
injected spam, a header label it does not know) is reported ``line_unplaced`` and never read
as a row.
"""

from __future__ import annotations

import re

from ingest.cells import Cell, label_key, line_text
from ingest.families import columns as col
from ingest.families import flat
from ingest.families.base import Family, Marker, any_cell, caption_with, first_cell
from ingest.families.flat import split_projects
from ingest.families.ningxia import document_row
from ingest.header import split_code_prefix
from ingest.rows import AuthorityRow, IndicatorRow, ParsedDocument, ParseIssue, ProjectRow
from ingest.tables import Line
from ingest.vocabulary import (
    GRID_CAPTIONS,
    TRANSFER_AUTHORITY_ROLES,
    LabelMap,
    default_label_map,
    is_grid_caption_line,
    is_noise,
    unit_line,
)

FAMILY_NAME = "transfer_region"

OPENING = "资金名称"
HEADER_FIELDS = {OPENING: "project_name", "年度目标": "annual_goal"}
# Funding labels (folded, 其中: and the unit removed) -> field; 地方资金 is a long cell only.
FUNDING_LABELS = {"年度金额": "annual_total", "中央补助": "transfer_central", "地方资金": "local_funds"}
BLOCK_LABEL = "资金情况"  # the funding block's label cell: no value of its own
# Caption words over the column of units beside the value (its cells kept as target parts).
UNIT_CAPTIONS = frozenset({"单位", "计量单位"})
# the department that spends the money is the local one
DEPARTMENT_ROLE = TRANSFER_AUTHORITY_ROLES["区县主管部门"]

_UNIT_SUFFIX = re.compile(r"^(.*?)[(（](万元|元)[)）]$")


def label_and_unit(text: str) -> tuple[str, str | None]:
    """A label cell's key and the money unit its text prints: ``其中:中央补助(万元)`` ->
    (``中央补助``, ``万元``); ``资金名称`` -> (``资金名称``, None)."""
    key = label_key(text)
    m = _UNIT_SUFFIX.match(key)
    return (label_key(m.group(1)), m.group(2)) if m else (key, None)


def _is_label(text: str) -> bool:
    key, _ = label_and_unit(text)
    return (
        key in HEADER_FIELDS or key in FUNDING_LABELS or key in TRANSFER_AUTHORITY_ROLES or key == BLOCK_LABEL
    )


def _unplaced(source_file: str, line: Line, where: str, expected: str) -> ParseIssue:
    return ParseIssue(
        source_file,
        line.number,
        "line_unplaced",
        f"{where}此行「{flat.quote(line_text(line.cells))}」不是本表式认识的内容，未作为数据读取，原文见此行"
        f"（期望{expected}）",
    )


class _Header:
    """Reads a project's header lines into its row; what it cannot place becomes an issue."""

    def __init__(self, project: ProjectRow, issues: list[ParseIssue]) -> None:
        self.project = project
        self.issues = issues
        self.units: dict[str, str | None] = {}  # funding field -> the unit its label prints
        self.block_unit: str | None = None

    def read(self, lines: list[Line]) -> None:
        goal_line: int | None = None  # a 年度目标 printed on the line after its label
        for at, line in enumerate(lines):
            if line.number == goal_line:
                continue
            if not self._line(line):
                self.issues.append(
                    _unplaced(
                        self.project.source_file,
                        line,
                        "表头中",
                        "资金名称、各级主管部门和财政部门、资金情况（年度金额、中央补助、地方资金）或年度目标，各栏后接其内容",
                    )
                )
            if key_of(line) == "年度目标" and not self.project.annual_goal and at + 1 < len(lines):
                nxt = lines[at + 1]
                if len(nxt.cells) == 1 and not _is_label(nxt.cells[0].text):
                    self.project.annual_goal, goal_line = nxt.cells[0].text, nxt.number

    def _line(self, line: Line) -> bool:
        """Read a line's label/value pairs; False when a cell is neither (reported, not read)."""
        cells = line.cells
        i, understood = 0, True
        while i < len(cells):
            key, unit = label_and_unit(cells[i].text)
            if key == BLOCK_LABEL:
                self.block_unit, i = unit or self.block_unit, i + 1
                continue
            nxt = cells[i + 1].text if i + 1 < len(cells) else None
            value = nxt if nxt is not None and not _is_label(nxt) else None
            if self._put(key, unit, cells[i].text, value or "", line.number):
                i += 2 if value is not None else 1
            else:
                understood, i = False, i + 1
        return understood

    def _put(self, key: str, unit: str | None, label: str, value: str, line: int) -> bool:
        project = self.project
        role = TRANSFER_AUTHORITY_ROLES.get(key)
        if role is not None:
            project.authorities.append(AuthorityRow(role, label.strip(), value, line))
            if role == DEPARTMENT_ROLE:
                project.department_printed = value or None
                code, name = split_code_prefix(value) if value else (None, None)
                project.department_code, project.department_name = code, name
            return True
        field = FUNDING_LABELS.get(key)
        if field is not None and field not in project.funding_printed:
            project.funding_printed[field] = value
            project.funding_lines[field] = line
            project.funding_labels[field] = label.strip()
            self.units[field] = unit
            return True
        name = HEADER_FIELDS.get(key)
        if name == "project_name":
            project.project_name = value or None
        elif name == "annual_goal":
            project.annual_goal = value or None
        return name is not None


def key_of(line: Line) -> str:
    return label_and_unit(line.cells[0].text)[0] if line.cells else ""


def money_unit(units: dict[str, str | None], block_unit: str | None, table_unit: str | None) -> set[str]:
    """The money units the cells' labels print (else the block's, else the table's unit line)."""
    fallback = block_unit or table_unit
    return {u for u in ((units.get(f) or fallback) for f in units) if u}


def _money_issues(project: ProjectRow, header: _Header, table_unit: str | None) -> list[ParseIssue]:
    """The project's money unit from its labels; cells that are not numbers and a unit printed
    nowhere are flagged (``flat.funding_issues``); two units in one block are never reconciled."""
    found = money_unit(header.units, header.block_unit, table_unit)
    if len(found) == 1:
        project.money_unit_printed = next(iter(found))
    issues = flat.funding_issues(project)
    if len(found) <= 1:
        return issues
    # one unit per project is what the contract converts with: never pick one of two
    issues = [i for i in issues if i.code != "money_unit_not_printed"]
    project.parse_flags = [f for f in project.parse_flags if f != "money_unit_not_printed"]
    project.parse_flags += ["money_unit_conflict", "money_unit_not_printed"]
    labels = "、".join(project.funding_labels[f] for f in header.units)
    conflict = ParseIssue(
        project.source_file,
        project.header_line,
        "money_unit_conflict",
        f"资金栏「{flat.quote(labels)}」印出的金额单位不一致（{'、'.join(sorted(found))}），金额保留原文、"
        "不换算为元（期望各资金栏同一单位，如都为“(万元)”）",
    )
    return [conflict, *issues]


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    labels = labels or default_label_map()
    content = [ln for ln in lines if ln.cells]
    noise = [ln for ln in content if is_noise(line_text(ln.cells))]
    quiet = {ln.number for ln in noise}
    preamble, blocks = split_projects([ln for ln in content if ln.number not in quiet], OPENING)
    table_unit = next((u for ln in noise if (u := unit_line(line_text(ln.cells)))), None)
    issues: list[ParseIssue] = [_unplaced(source_file, ln, "表前", "标题或资金名称") for ln in preamble]
    projects: list[ProjectRow] = []
    indicators: list[IndicatorRow] = []
    for seq, block in enumerate(blocks, start=1):
        caption_at = next((i for i, ln in enumerate(block) if is_grid_caption_line(ln.keys)), len(block))
        project = flat.block_project(block, document_id, source_file, seq)
        header = _Header(project, issues)
        header.read(block[:caption_at])
        issues += _money_issues(project, header, table_unit)
        projects.append(project)
        caption = block[caption_at] if caption_at < len(block) else None
        if caption is None:
            project.parse_flags.append("grid_missing")
        indicators += _grid(caption, block[caption_at + 1 :], project, labels, issues)
    text = "\n".join(ln.raw for ln in lines)
    cues = sorted([*noise, *preamble], key=lambda ln: ln.number)  # title, (2022年度), 单位:万元
    document = document_row(cues, [], projects, text, source_file, document_id)
    document.layout = "county"
    issues.sort(key=lambda i: i.line or 0)
    return ParsedDocument(document, projects, indicators, issues)


def grid_cells(line: Line) -> list[Cell]:
    """A grid line's cells without the grid's caption cell 绩效指标 (printed on its first row)."""
    cells = line.cells
    return cells[1:] if cells and label_key(cells[0].text) in GRID_CAPTIONS else cells


def _grid(
    caption: Line | None, grid: list[Line], project: ProjectRow, labels: LabelMap, issues: list[ParseIssue]
) -> list[IndicatorRow]:
    state = flat.LabelState()
    rows: list[flat.RawRow] = []
    for line in grid:
        row = flat.raw_row(line, grid_cells(line), labels, state)
        if row is None or not row.after:
            issues.append(
                _unplaced(project.source_file, line, "指标表中", "三级指标名称及其后的单位、指标值两栏")
            )
            continue
        rows.append(row)
    if not rows:
        project.parse_flags.append("grid_empty")
        return []
    roles = col.column_roles([r.after for r in rows])
    words = flat.caption_words(caption, flat.name_column(caption))
    unit_columns(roles, words)
    value_column(roles, words)
    where = caption.number if caption is not None else rows[0].line.number
    found, hold = flat.column_issues(roles, words, rows, project.source_file, where)
    found += [] if hold else _columns_not_read(roles, words, rows, project.source_file, where)
    issues += found
    if hold or any(i.code == "unknown_grid_column" for i in found):
        project.parse_flags.append("unknown_grid_column")
    return [
        flat.indicator(r, roles, project.document_id, project.source_file, project.project_seq, n)
        for n, r in enumerate(rows, start=1)
    ]


def unit_columns(roles: col.ColumnRoles, words: dict[int, str]) -> None:
    """A text column under a 单位 caption is the unit column (``头``, ``吨`` are not in the unit
    seed): its cells are kept as target parts and appended only when they are units."""
    if roles.offset_of(col.UNIT) is not None:
        return
    for offset, role in sorted(roles.roles.items()):
        if role == col.TEXT and words.get(offset) in UNIT_CAPTIONS:
            roles.roles[offset] = col.UNIT
            return


def value_column(roles: col.ColumnRoles, words: dict[int, str]) -> None:
    """The column under the value caption (指标值) whose cells are whole targets or bare numbers
    (``≥95%``, ``90%``, ``397`` beside 万元) is the target column, however the two kinds mix: its
    cell is the target as printed, the unit appended only to a bare number."""
    for offset, kinds in sorted(roles.kinds.items()):
        if words.get(offset) in flat.VALUE_WORDS and set(kinds) <= {col.NUMBER, col.TEXT}:
            roles.roles[offset] = col.TARGET
            return


def _columns_not_read(
    roles: col.ColumnRoles, words: dict[int, str], rows: list[flat.RawRow], source_file: str, where: int
) -> list[ParseIssue]:
    """A column beside 单位 and 指标值 (a weight, a remark, a second number): not this family's,
    never read (a number column beside the whole target would otherwise be taken for it)."""
    value = col.TARGET if roles.offset_of(col.TARGET) is not None else col.NUMBER
    out: list[ParseIssue] = []
    for offset, role in sorted(roles.roles.items()):
        if role in (col.UNIT, value):
            continue
        sample = next(r for r in rows if offset in r.after)
        out.append(
            ParseIssue(
                source_file,
                where,
                "unknown_grid_column",
                f"指标表“{words.get(offset, '（无标题）')}”一列（如第 {sample.line.number} 行"
                f"「{flat.quote(sample.after[offset])}」）不是本表式的单位或指标值列；整份文档暂不载入，"
                "以免把这一列读成指标值（期望三级指标之后只有“单位”和“指标值”两列）",
            )
        )
    return out


_AUTHORITY_WORDS = "|".join(map(re.escape, TRANSFER_AUTHORITY_ROLES))
_FUNDING_WORDS = "|".join(map(re.escape, FUNDING_LABELS))

FAMILY = Family(
    name=FAMILY_NAME,
    title="转移支付区域绩效目标表（资金名称、中央/省级/区县主管部门和财政部门、资金情况 年度金额/中央补助/地方资金 + 单位/指标值列）",
    markers=(
        Marker("“资金名称”表头行", first_cell(r"^资金名称$"), 2.0, required=True),
        Marker(
            "“年度金额”“中央补助”“地方资金”资金栏",
            any_cell(rf"^(?:{_FUNDING_WORDS})(?:\((?:万元|元)\))?$"),
            2.0,
            required=True,
        ),
        Marker(
            "含“一级指标 二级指标 三级指标 单位 指标值”的指标表标题行",
            caption_with("一级指标", "二级指标", "三级指标", "单位", "指标值"),
            2.0,
            required=True,
        ),
        Marker("“区域绩效目标表”标题", any_cell(r"区域绩效目标表$")),
        Marker("“资金情况”资金块", first_cell(r"^资金情况")),
        Marker("中央/省级/区县主管部门或财政部门栏", first_cell(rf"^(?:{_AUTHORITY_WORDS})$")),
    ),
    read=read,
)
