"""The central 财政部 self-evaluation form (项目支出绩效自评表, 2016 → now), one table per project (pure).

Not a target table: it repeats the year's targets (年度指标值) beside what was achieved
(全年实际值) and scores them (分值 / 得分). A table is::

    项目名称 | …
    主管部门及代码 | … | 实施单位 | …
    资金情况(万元) / 项目资金(万元) | | 年初预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 [| 得分计算方法]
      | 年度资金总额: | 20 | 20 | 10 | 100.00% | 10
      | 其中:本年财政拨款 | 20 | 20 …   (Beijing prints 本年一般公共预算拨款)
      | 其他资金 | …
    年度总体目标 | 年初设定目标 | … | 实际完成情况 (年度总体目标完成情况综述)
      | <goal as set> | … | <what was done>
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | [得分计算方法 |] 得分 | 未完成原因…
      | 产出指标(70分) | 数量指标 | 安装坡面水标尺 | 10 | ≥266米 | ≥266米 | 10
    总分 | … | 100 | … | 82.5

The transfer-payment form (转移支付区域(项目)绩效目标自评表, 休宁) is the same table with other
words: 转移支付(项目)名称 opens it, 中央主管部门 / 地方主管部门 / 资金使用单位 are its header,
其中:中央财政资金 / 地方资金 its funding lines, 总体目标 | 全年实际完成情况 its goals, 指标值 /
全年实际完成值 its target and actual; it prints no 分值 / 得分 (left NULL). Its level-1 labels are
printed spaced (产 出 指 标: folded for the key, kept as printed) and its names numbered
(指标1:…: kept, flagged ``name_numbered``). What a page break repeats inside a table (the
caption, the title, the year line, a page number) is skipped.

Cells are placed by the column of the caption word above them (the funding block's and the
grid's captions name every column; a self-evaluation's target and actual have the same
grammar, so their content cannot tell them apart). A caption word this reader does not know
holds the document back (``unknown_grid_column``) rather than read the column as something
else; a cell under no caption word is reported, never guessed. Level-1 labels keep their
points as printed (``产出指标(70分)``): the points go to a column of their own and the label
without them is the key the taxonomy seed maps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.cells import Cell, fold, label_key
from ingest.families.flat import split_projects
from ingest.families.ningxia import document_row
from ingest.header import split_department
from ingest.numbers import BLANK, read_number
from ingest.personal import PERSONAL_LABEL
from ingest.rows import (
    ParsedDocument,
    ParseIssue,
    ProjectRow,
    SelfEvalFundingRow,
    SelfEvalIndicatorRow,
    SelfEvalProjectRow,
)
from ingest.tables import Line
from ingest.vocabulary import LabelMap, default_label_map, is_noise

FAMILY_NAME = "self_evaluation"
LAYOUT = "self_evaluation"

# The label that opens a project's table (folded keys): the central form's 项目名称, the
# transfer-payment form's 转移支付(项目)名称 (休宁: 转移支付区域(项目)绩效目标自评表).
OPENINGS = ("项目名称", "转移支付(项目)名称")
HEADER_FIELDS = {
    "项目名称": "project_name",
    "转移支付(项目)名称": "project_name",
    "主管部门及代码": "department",
    "主管部门(及代码)": "department",
    "主管部门": "department",
    "地方主管部门": "department",  # the transfer-payment form: the local department
    "中央主管部门": "central_department",  # the transfer-payment form: the central ministry
    "实施单位": "implementing_unit",
    "资金使用单位": "implementing_unit",  # the transfer-payment form
}
_FUNDING_CAPTION = re.compile(r"^(?:项目资金|资金情况)(?:\((?P<unit>万元|元)\))?$")
# The funding block's caption words (folded keys) -> SelfEvalFundingRow attribute.
FUNDING_COLUMNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(?:年初预算数|全年预算数)(?:\(A\))?$"), "budget_printed"),
    (re.compile(r"^全年执行数(?:\(B\))?$"), "executed_printed"),
    (re.compile(r"^分值(?:\(\d+(?:\.\d+)?分\))?$"), "weight_printed"),
    (re.compile(r"^(?:预算)?执行率(?:\(B/A\))?$"), "rate_printed"),
    (re.compile(r"^得分$"), "score_printed"),
    (re.compile(r"^得分计算方法$"), "method_printed"),
)
# The funding lines' labels (label_key: 其中: and the colon dropped) -> field.
FUNDING_LABELS = {
    "年度资金总额": "annual_total",
    "本年财政拨款": "fiscal_appropriation",
    "本年一般公共预算拨款": "fiscal_appropriation",
    "财政拨款": "fiscal_appropriation",
    "上年结转资金": "carried_over",
    "上年结转": "carried_over",
    "中央财政资金": "central_funds",  # the transfer-payment form: 其中:中央财政资金
    "地方资金": "local_funds",  # the transfer-payment form
    "其他资金": "other_funds",
}
_GOAL_LABEL = re.compile(r"^(?:年度)?总体目标$")
_GOAL_TARGET_WORD = re.compile(r"^年初设定目标$")
_GOAL_ACTUAL_WORD = re.compile(r"^(?:全年)?实际完成情况$|完成情况综述$")
# The indicator grid's caption words -> column role.
GRID_COLUMNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^一级指标$"), "level1"),
    (re.compile(r"^二级指标$"), "level2"),
    (re.compile(r"^三级指标$"), "name"),
    (re.compile(r"^分值(?:\(\d+(?:\.\d+)?分\))?$"), "weight"),
    (re.compile(r"^(?:年度)?指标值(?:\(A\))?$"), "target"),
    (re.compile(r"^(?:全年)?实际(?:完成)?值(?:\(B\))?$"), "actual"),
    (re.compile(r"^得分计算方法$"), "method"),
    (re.compile(r"^得分$"), "score"),
    (re.compile(r"^未完成原因"), "reason"),
)
_HEADER_ATTRIBUTES = {
    "project_name": "project_name",
    "department": "department_printed",
    "central_department": "central_department_printed",
    "implementing_unit": "implementing_unit",
}
GRID_TITLES = {"绩效指标"}  # the vertical merged title cell in the first column
_TOTAL = re.compile(r"^总分$")
# Lines after the table, in its first column: sign-offs and notes (a colon required, so a level-3
# name such as 注册企业数量 never ends the table).
_END = re.compile(r"^(?:填表人|填报日期|单位负责人|(?:说明|注|备注)[:：])")
# A level-3 name numbered inside its cell (休宁: 指标1:工程实施总体质量, 指标:项目总下达资金): kept as
# printed and flagged, never cut.
_NAME_NUMBER = re.compile(r"^指标\d*[:：]")
_POINTS = re.compile(r"^(?P<label>.*?)\s*[(（]\s*(?P<points>\d+(?:\.\d+)?)\s*分\s*[)）]$")
# Single-cell lines a page break repeats, beyond ingest.vocabulary's noise: the form's title and a
# page number (folded).
_PAGE_REPEATS = re.compile(r"^(?:.*自评表(?:\(\d{4}年度?\))?|(?:第\d+页)?(?:/?共\d+页)?)$")
_QUOTE_MAX = 40


@dataclass(frozen=True)
class Level1:
    printed: str
    label: str  # without the points
    points: str | None


def split_points(printed: str) -> Level1:
    """``产出指标(70分)`` -> label 产出指标, points 70; a label without points is kept whole."""
    m = _POINTS.match(printed.strip())
    if m is None or not m.group("label"):
        return Level1(printed, printed, None)
    return Level1(printed, m.group("label"), m.group("points"))


def level_key(printed: str | None) -> str | None:
    """The taxonomy seed's key of a printed level-1 or level-2 label (points removed)."""
    return label_key(split_points(printed).label) if printed else None


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _columns(
    line: Line, words: tuple[tuple[re.Pattern, str], ...], skip: int
) -> tuple[dict[int, str], list[Cell]]:
    """Column index -> role for a caption line's cells after the first ``skip``; and the cells
    whose word is not known."""
    roles: dict[int, str] = {}
    unknown: list[Cell] = []
    for cell, key in list(zip(line.cells, line.keys, strict=True))[skip:]:
        role = next((r for rx, r in words if rx.search(key)), None)
        if role is None:
            unknown.append(cell)
        else:
            roles[cell.col] = role
    return roles, unknown


def _is_noise_line(line: Line) -> bool:
    """A line a page break repeats inside a table: the title (…自评表), (2023年度), 单位：万元, or a
    page number (第2页 / 共3页); one cell alone on its line."""
    if len(line.cells) != 1:
        return False
    text = line.cells[0].text
    return is_noise(text) or bool(_PAGE_REPEATS.match(fold(text)))


def _is_grid_caption(line: Line) -> bool:
    keys = set(line.keys)
    return "一级指标" in keys and "三级指标" in keys


def _is_funding_caption(line: Line) -> re.Match | None:
    return next((m for k in line.keys if (m := _FUNDING_CAPTION.match(k))), None)


@dataclass
class _Reading:
    """What one table's reading collects."""

    project: SelfEvalProjectRow
    indicators: list[SelfEvalIndicatorRow]
    issues: list[ParseIssue]

    def issue(self, line: int | None, code: str, message: str, severity: str = "warning") -> None:
        self.issues.append(ParseIssue(self.project.source_file, line, code, message, severity))


def _header_line(line: Line, reading: _Reading) -> None:
    p = reading.project
    cells = line.cells
    for i, key in enumerate(line.keys):
        name = HEADER_FIELDS.get(key)
        if name is None:
            continue
        nxt = cells[i + 1].text if i + 1 < len(cells) else ""
        value = "" if label_key(nxt) in HEADER_FIELDS else nxt
        setattr(p, _HEADER_ATTRIBUTES[name], value or None)
    placed = {i for i, k in enumerate(line.keys) if k in HEADER_FIELDS}
    placed |= {i + 1 for i in placed}
    if PERSONAL_LABEL.match(line.keys[0]):
        return  # a project lead's name and phone: not stored (already redacted)
    for i, cell in enumerate(cells):
        if i not in placed and not PERSONAL_LABEL.match(line.keys[i]):
            reading.issue(
                line.number,
                "header_value_unlabelled",
                f"自评表表头单元格「{_quote(cell.text)}」前没有可识别的标签"
                f"（期望{'、'.join(f'“{k}”' for k in HEADER_FIELDS)}之一）",
            )


def _funding_line(line: Line, roles: dict[int, str], reading: _Reading) -> None:
    label_cell, *values = line.cells
    key = label_key(label_cell.text)
    field = FUNDING_LABELS.get(key)
    row = SelfEvalFundingRow(field, label_cell.text, line.number)
    if field is None:
        reading.project.parse_flags.append("funding_label_unknown")
        reading.issue(
            line.number,
            "funding_label_unknown",
            f"资金情况一行的标签「{_quote(label_cell.text)}」不是已知的资金项目；此行照原样保留、不计入金额"
            f"（期望 {'、'.join(sorted(set(FUNDING_LABELS)))} 之一）",
        )
    for cell in values:
        role = roles.get(cell.col)
        if role is None:
            reading.issue(
                line.number,
                "cell_outside_columns",
                f"资金情况单元格「{_quote(cell.text)}」（第 {cell.col + 1} 列）不在任何表头列之下；未读取"
                "（期望年初预算数、全年执行数、分值、执行率、得分等列之下的值）",
            )
            continue
        setattr(row, role, cell.text)
    reading.project.funding.append(row)


def _goal_lines(lines: list[Line], reading: _Reading) -> None:
    """The 年度总体目标 block: the label line (with its column words or the goal itself) and the
    text lines under it."""
    p = reading.project
    first = lines[0]
    p.goal_line = first.number
    actual_col = next(
        (c.col for c, k in zip(first.cells, first.keys, strict=True) if _GOAL_ACTUAL_WORD.search(k)), None
    )
    texts = [
        c
        for c, k in zip(first.cells[1:], first.keys[1:], strict=True)
        if not (_GOAL_TARGET_WORD.match(k) or _GOAL_ACTUAL_WORD.search(k))
    ]
    for line in lines[1:]:
        texts += line.cells
    target = [c.text for c in texts if actual_col is None or c.col < actual_col]
    actual = [c.text for c in texts if actual_col is not None and c.col >= actual_col]
    p.goal_target = "\n".join(target) or None
    p.goal_actual = "\n".join(actual) or None


def _number_flag(text: str | None, what: str) -> list[str]:
    if text is None:
        return []
    problem = read_number(text).problem
    return [] if problem in (None, BLANK) else [f"{what}_not_number"]


@dataclass
class _GridState:
    level1: str | None = None
    level2: str | None = None


def _leading_labels(cells: list[Cell], labels: LabelMap) -> list[str]:
    """The roles of a row's label cells before its level-3 name: level 1 then level 2, or one
    label alone, a level 2 when it can be one (成本指标 is either; under a block in force it
    is the level 2)."""
    is1 = [labels.as_level1(split_points(c.text).label) is not None for c in cells[:2]]
    is2 = [labels.as_level2(c.text) is not None for c in cells[:2]]
    if len(cells) >= 2 and is1[0] and is2[1]:
        return ["level1", "level2"]
    if cells and is2[0]:
        return ["level2"]
    if cells and is1[0]:
        return ["level1"]
    return []


def _shift(cells: list[Cell], roles: dict[int, str], at: int) -> int:
    """How many columns a row's cells sit left of the caption's. A page copied cell by cell
    drops the merged label cells (``质量指标 | 指标1:… | 一次性 | …``), so the level-3 name (the
    cell after the leading labels, ``at``) is put under 三级指标; a row printed in the
    caption's columns has shift 0."""
    name_col = next((c for c, r in roles.items() if r == "name"), None)
    if at + 1 >= len(cells) or name_col is None or cells[at].col >= name_col:
        return 0  # a name with no value after it is no indicator row to move (a stray note)
    return name_col - cells[at].col


def _grid_line(
    line: Line, roles: dict[int, str], state: _GridState, labels: LabelMap, reading: _Reading
) -> None:
    row = [c for c in line.cells if fold(c.text) not in GRID_TITLES]
    lead = _leading_labels(row, labels)
    shift = _shift(row, roles, len(lead))
    cells: dict[str, str] = {}
    # a row of labels alone (效益指标(20分) | 经济效益指标) copied off its columns has nothing to shift by
    off_columns = len(lead) == len(row) and any(roles.get(c.col) not in ("level1", "level2") for c in row)
    lead_roles = (
        dict(zip((c.col for c in row[: len(lead)]), lead, strict=True)) if shift or off_columns else {}
    )
    for cell in line.cells:
        # a label cell of a shifted row goes under the level-1 or level-2 column by what it says
        role = lead_roles.get(cell.col) or roles.get(cell.col + shift)
        if role is None:
            reading.issue(
                line.number,
                "cell_outside_columns",
                f"指标表单元格「{_quote(cell.text)}」（第 {cell.col + 1} 列）不在任何表头列之下；未读取"
                "（期望一级指标、二级指标、三级指标、分值、年度指标值、全年实际值、得分等列之下的值）",
            )
            continue
        cells[role] = cell.text
    flags: list[str] = ["cells_shifted"] if shift else []  # (a label-only row adds no indicator)
    level1 = cells.get("level1")
    if (
        level1 is not None
        and labels.as_level1(split_points(level1).label) is None
        and labels.as_level2(level1)
    ):
        cells.setdefault("level2", level1)  # a level-2 label drifted into the level-1 column
        level1 = None
        flags.append("level2_in_level1_column")
    if level1 is not None:
        state.level1, state.level2 = level1, None
    if "level2" in cells:
        state.level2 = cells["level2"]
    name = cells.get("name")
    values = [r for r in ("weight", "target", "actual", "score", "method", "reason") if r in cells]
    if name is None:
        if values:
            reading.issue(
                line.number,
                "indicator_name_missing",
                f"指标行有 {'、'.join(cells[r] for r in values)} 但没有三级指标名称；此行未载入"
                "（期望三级指标列有指标名称）",
            )
        return  # a label-only row (经济效益指标 with no indicator under it)
    if state.level1 is None:
        flags.append("level1_missing")
    if _NAME_NUMBER.match(name):
        flags.append("name_numbered")
    flags += _number_flag(cells.get("weight"), "weight") + _number_flag(cells.get("score"), "score")
    reading.indicators.append(
        SelfEvalIndicatorRow(
            document_id=reading.project.document_id,
            source_file=reading.project.source_file,
            project_seq=reading.project.project_seq,
            indicator_seq=len(reading.indicators) + 1,
            source_line=line.number,
            level1_printed=state.level1,
            level1_points_printed=split_points(state.level1).points if state.level1 else None,
            level2_printed=state.level2,
            indicator_name=name,
            weight_printed=cells.get("weight"),
            target_text=cells.get("target", ""),
            actual_text=cells.get("actual", ""),
            score_printed=cells.get("score"),
            method_printed=cells.get("method"),
            reason_printed=cells.get("reason"),
            line_printed=line.raw,
            parse_flags=flags,
            source_page=line.page,
            source_sheet=line.sheet,
            source_cell=line.ref,
        )
    )


def _total_line(line: Line, roles: dict[int, str], reading: _Reading) -> None:
    p = reading.project
    p.total_line = line.number
    for cell in line.cells[1:]:
        role = roles.get(cell.col)
        if role == "weight":
            p.total_weight_printed = cell.text
        elif role == "score":
            p.total_score_printed = cell.text
        else:
            reading.issue(
                line.number,
                "cell_outside_columns",
                f"“总分”行的单元格「{_quote(cell.text)}」不在分值或得分列之下；未读取（期望总分的分值和得分）",
            )


def _grid(caption: Line, lines: list[Line], labels: LabelMap, reading: _Reading) -> None:
    skip = 1 if caption.keys[0] in GRID_TITLES else 0
    roles, unknown = _columns(caption, GRID_COLUMNS, skip)
    missing = [r for r in ("name", "target", "actual") if r not in roles.values()]
    if unknown or missing:
        reading.project.parse_flags.append("unknown_grid_column")
        what = "、".join(f"「{_quote(c.text)}」" for c in unknown) or "（无）"
        reading.issue(
            caption.number,
            "unknown_grid_column",
            f"自评表指标表的标题行有解析器不认识的列 {what}，或缺少三级指标/年度指标值/全年实际值列；"
            "整份文档暂不载入，以免把分值、得分读成目标值或实际值"
            "（期望 一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因）",
            "error",
        )
        return
    state = _GridState()
    for line in lines:
        if _TOTAL.match(line.keys[0]):
            _total_line(line, roles, reading)
        elif _is_grid_caption(line):
            continue  # the caption repeated after a page break
        else:
            _grid_line(line, roles, state, labels, reading)


def _sections(
    block: list[Line],
) -> tuple[list[Line], Line | None, list[Line], list[Line], Line | None, list[Line]]:
    """header lines, funding caption, funding lines, goal lines, grid caption, grid lines."""
    end = next(
        (i for i, ln in enumerate(block) if ln.cells[0].col == 0 and _END.match(ln.keys[0])), len(block)
    )
    block = block[:end]
    grid_at = next((i for i, ln in enumerate(block) if _is_grid_caption(ln)), len(block))
    goal_at = next((i for i, ln in enumerate(block[:grid_at]) if _GOAL_LABEL.match(ln.keys[0])), grid_at)
    fund_at = next((i for i, ln in enumerate(block[:goal_at]) if _is_funding_caption(ln)), goal_at)
    caption = block[grid_at] if grid_at < len(block) else None
    funding_caption = block[fund_at] if fund_at < goal_at else None
    return (
        block[:fund_at],
        funding_caption,
        block[fund_at + 1 : goal_at],
        block[goal_at:grid_at],
        caption,
        block[grid_at + 1 :],
    )


def _read_block(
    seq: int, block: list[Line], source_file: str, document_id: str, labels: LabelMap
) -> _Reading:
    header, funding_caption, funding, goals, caption, grid = _sections(block)
    project = SelfEvalProjectRow(
        document_id, source_file, seq, source_line=block[0].number, end_line=block[-1].number
    )
    reading = _Reading(project, [], [])
    for line in header:
        _header_line(line, reading)
    if funding_caption is not None:
        unit = _is_funding_caption(funding_caption)
        project.money_unit_printed = unit.group("unit") if unit else None
        roles, unknown = _columns(funding_caption, FUNDING_COLUMNS, 1)
        for cell in unknown:
            reading.issue(
                funding_caption.number,
                "funding_column_unknown",
                f"资金情况标题行的「{_quote(cell.text)}」不是已知的列；其下的单元格不读取"
                "（期望 年初预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分 得分计算方法）",
            )
        for line in funding:
            _funding_line(line, roles, reading)
    else:
        project.parse_flags.append("funding_missing")
    if goals:
        _goal_lines(goals, reading)
    if caption is None:
        project.parse_flags.append("grid_missing")
    else:
        _grid(caption, grid, labels, reading)
    return reading


def _document_view(project: SelfEvalProjectRow) -> ProjectRow:
    """The header facts the shared document reader (publisher, division) looks at."""
    name, code = split_department(project.department_printed) if project.department_printed else (None, None)
    return ProjectRow(
        project.document_id,
        project.source_file,
        project.project_seq,
        project.source_line,
        project.source_line,
        project.end_line,
        project_name=project.project_name,
        department_printed=project.department_printed,
        department_name=name,
        department_code=code,
        implementing_unit=project.implementing_unit,
    )


def read(
    lines: list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    """A self-evaluation document's rows: no target-table projects or indicators, only its own."""
    labels = labels or default_label_map()
    preamble, printed = split_projects([ln for ln in lines if ln.cells], OPENINGS)
    # a title, (2022年度) or 单位：万元 line repeated inside a table (a page break) is not a cell of it
    noise = [ln for block in printed for ln in block if _is_noise_line(ln)]
    blocks = [[ln for ln in block if not _is_noise_line(ln)] for block in printed]
    readings = [
        _read_block(seq, block, source_file, document_id, labels) for seq, block in enumerate(blocks, 1)
    ]
    projects = [r.project for r in readings]
    document = document_row(
        preamble, noise, [_document_view(p) for p in projects], lines, source_file, document_id
    )
    document.layout = LAYOUT
    issues = sorted((i for r in readings for i in r.issues), key=lambda i: i.line or 0)
    return ParsedDocument(
        document,
        [],
        [],
        issues,
        self_eval_projects=projects,
        self_eval_indicators=[i for r in readings for i in r.indicators],
    )
