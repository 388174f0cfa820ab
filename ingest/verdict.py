"""Judge a parsed document: load it, load it with warnings, or quarantine it, and say why (pure).

The policy, in one place:

* A document that decodes and yields at least one *sound* project (a project with at least
  one indicator row) is loaded. Every problem the decoder or the parser met becomes a parse
  issue (file, line, what was printed, what was expected) that lands with the rows in
  ``raw_parse_issues``; if there is any, the status is ``loaded_with_warnings`` and the
  reason names the first one and the count. Within a loaded document, a project whose grid
  is missing is still loaded (its printed header and money are real) and flagged
  ``grid_missing``; lines the parser could not place are reported, never turned into rows.
* A document that yields no sound project is quarantined: nothing of it is written, and
  whatever an earlier version of the same file published stays published (the caller must
  not retract the old version because the new one is quarantined).
* A document whose rows cannot be trusted is quarantined with its own reason code:
  ``unknown_grid_column`` (the indicator grid has a column the parser does not know, such
  as 分值 / 权重 / 备注 / 指标方向: reading on would take the weight for the target), and the
  document-level rules below (``fiscal_year_missing``, ``fiscal_year_implausible``,
  ``annual_total_missing``, ``label_coverage_low``), small pure functions whose thresholds
  are ``DOCUMENT_RULE_THRESHOLDS``. A cell that is printed but cannot be read (a funding
  value ``1e3``, a target ``NaN``) is *not* a reason to hold the document: it is kept as
  printed, left NULL where typed, and flagged.
* A self-evaluation (自评表, ``ingest.families.self_evaluation``) is loaded into its own rows
  (never projects or targets) when it yields at least one evaluated indicator row; with none,
  or with a grid column the reader does not know, or failing the fiscal-year rules, it is
  quarantined like a target table.
* A document beyond what the warehouse can key (``MAX_PROJECTS`` projects, or
  ``MAX_INDICATORS`` rows in one project: ids are zero-padded to three digits) is
  quarantined rather than allowed to break the build for every other document.

Reasons are sentences in Chinese that quote the document as printed and end with what was
expected; ``reason_sentence`` prefixes the file name and the line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ingest import catalogue
from ingest.decode import Decoded

if TYPE_CHECKING:
    from ingest.containers import Contained
from ingest.rows import ParsedDocument, ParseIssue

# Thresholds of the document-level rules, from the rule catalogue (seeds/rules.csv): DOC-08's
# years back (the year may also be next year's budget), DOC-10's least share of labelled rows.
DOCUMENT_RULE_THRESHOLDS: dict[str, int | float] = {
    "fiscal_year_years_back": int(catalogue.threshold("DOC-08")),
    "fiscal_year_years_ahead": 1,
    "label_coverage_min_share": float(catalogue.threshold("DOC-10")),
}

# Issues ``ingest.parse`` gives a document it does not read at all: a look-alike type
# (ingest.doctypes) or a grid of a template family no reader knows.
HELD_BACK_WHOLE = (
    "template_family_unknown",
    "self_evaluation_table",
    "unit_overall_table",
    "transfer_region_table",
)

MAX_PROJECTS = 999
MAX_INDICATORS = 999

LOADED = "loaded"
LOADED_WITH_WARNINGS = "loaded_with_warnings"
QUARANTINED = "quarantined"


@dataclass
class Verdict:
    status: str
    reason_code: str | None = None
    reason: str | None = None
    line: int | None = None


def reason_sentence(source_file: str, line: int | None, message: str) -> str:
    """``a.txt 第 12 行：…`` / ``a.txt：…`` — the file, the line, then the sentence."""
    where = f"{source_file} 第 {line} 行" if line else source_file
    return f"{where}：{message}"


def add_decode_warnings(parsed: ParsedDocument, decoded: Decoded | Contained, source_file: str) -> None:
    """Decoder warnings become parse issues, so they land (and are listed) like any other."""
    extra = [ParseIssue(source_file, w.line, w.code, w.message) for w in decoded.warnings]
    if extra:
        parsed.issues[:0] = extra
        parsed.issues.sort(key=lambda i: i.line or 0)


def judge(
    parsed: ParsedDocument,
    text: str,
    source_file: str,
    today: date | None = None,
    thresholds: Mapping[str, int | float] | None = None,
) -> Verdict:
    """The document's status. ``today`` (default: the clock) dates the fiscal-year rule."""
    issues = parsed.issues
    by_code: dict[str, ParseIssue] = {}
    for issue in issues:
        by_code.setdefault(issue.code, issue)

    if parsed.self_eval_projects:
        return _judge_self_evaluation(parsed, source_file, today, thresholds, by_code)

    if not parsed.projects:
        for code in (*HELD_BACK_WHOLE, "grid_without_header", "project_empty", "line_too_long"):
            if code in by_code:
                return _quarantine(source_file, by_code[code], extra=_and_more(len(issues)))
        return _quarantine(source_file, _no_tables(text, source_file))

    if not parsed.indicators:
        names = "、".join(
            f"第 {p.source_line} 行「{_short(p.project_name or '（无名称）')}」" for p in parsed.projects[:3]
        )
        more = " 等" if len(parsed.projects) > 3 else ""
        return _quarantine(
            source_file,
            ParseIssue(
                source_file,
                parsed.projects[0].source_line,
                "no_indicators",
                f"找到 {len(parsed.projects)} 个项目表头（{names}{more}），但没有任何一行指标；"
                "期望每个表头块之后有“一级指标 二级指标 三级指标 指标值”标题行及指标行",
            ),
        )

    per_project = Counter(i.project_seq for i in parsed.indicators)
    seq, most = per_project.most_common(1)[0]
    if len(parsed.projects) > MAX_PROJECTS or most > MAX_INDICATORS:
        if len(parsed.projects) > MAX_PROJECTS:
            what, line = (
                f"有 {len(parsed.projects):,} 个项目，超过仓库每个文档 {MAX_PROJECTS} 个项目的编号上限",
                None,
            )
        else:
            project = next(p for p in parsed.projects if p.project_seq == seq)
            what = (
                f"项目「{_short(project.project_name or '（无名称）')}」有 {most:,} 行指标，"
                f"超过仓库每个项目 {MAX_INDICATORS} 行指标的编号上限"
            )
            line = project.source_line
        return _quarantine(
            source_file,
            ParseIssue(
                source_file,
                line,
                "too_many_rows",
                f"{what}；期望一个文档是一个单位的绩效目标表（通常几十个项目、每个项目几十行指标），"
                "请检查是否把多个文件拼在了一起或有大段重复",
            ),
        )

    if "unknown_grid_column" in by_code:
        return _quarantine(source_file, by_code["unknown_grid_column"], extra=_and_more(len(issues)))
    for rule in DOCUMENT_RULES:
        held = rule(parsed, today or date.today(), thresholds or DOCUMENT_RULE_THRESHOLDS)
        if held is not None:
            return _quarantine(source_file, held)

    return _loaded(issues, source_file)


def _loaded(issues: list[ParseIssue], source_file: str) -> Verdict:
    if not issues:
        return Verdict(LOADED)
    first = issues[0]
    return Verdict(
        LOADED_WITH_WARNINGS,
        first.code,
        reason_sentence(source_file, first.line, first.message) + _and_more(len(issues)),
        first.line,
    )


def _judge_self_evaluation(
    parsed: ParsedDocument,
    source_file: str,
    today: date | None,
    thresholds: Mapping[str, int | float] | None,
    by_code: dict[str, ParseIssue],
) -> Verdict:
    if "unknown_grid_column" in by_code:
        return _quarantine(source_file, by_code["unknown_grid_column"], extra=_and_more(len(parsed.issues)))
    if not parsed.self_eval_indicators:
        first = parsed.self_eval_projects[0]
        return _quarantine(
            source_file,
            ParseIssue(
                source_file,
                first.source_line,
                "no_indicators",
                f"找到 {len(parsed.self_eval_projects)} 个自评表（第 {first.source_line} 行"
                f"「{_short(first.project_name or '（无名称）')}」起），但没有任何一行评价指标；"
                "期望每个自评表有“一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分”标题行及指标行",
            ),
        )
    for rule in SELF_EVALUATION_RULES:
        held = rule(parsed, today or date.today(), thresholds or DOCUMENT_RULE_THRESHOLDS)
        if held is not None:
            return _quarantine(source_file, held)
    return _loaded(parsed.issues, source_file)


def _quarantine(source_file: str, issue: ParseIssue, extra: str = "") -> Verdict:
    return Verdict(
        QUARANTINED, issue.code, reason_sentence(source_file, issue.line, issue.message) + extra, issue.line
    )


def _and_more(count: int) -> str:
    return (
        f"（共 {count} 个问题，逐条见 raw_parse_issues 或 jixiao quarantine --warnings）" if count > 1 else ""
    )


def _short(text: str, limit: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A notice that writes its targets as running text: 数量指标: … ≥17600株 (a level, a colon, a target).
_PROSE_TARGETS = re.compile(r"指标[:：,，][^\n]{0,200}?(?:[≥≤]|>=|<=|\d%)")
_ATTACHMENT = re.compile(r"附件[:：]\s*([^\n]{1,80}?\.(?:xlsx|xls|docx|doc|pdf|wps|et))", re.IGNORECASE)


def _no_tables(text: str, source_file: str) -> ParseIssue:
    """No 项目名称 table: a prose notice is named as one (with its attachment), anything else
    is described by its first line."""
    lines = text.count("\n") + 1
    prose = _PROSE_TARGETS.search(text)
    if prose is not None:
        attachment = _ATTACHMENT.search(text)
        where = f"；目标表应是它的附件「{attachment.group(1)}」，请载入该附件" if attachment else ""
        line = text.count("\n", 0, prose.start()) + 1
        return ParseIssue(
            source_file,
            line,
            "no_tables",
            f"这是一份文字公告：绩效指标和目标值写在正文里（第 {line} 行起），全文 {lines} 行没有“项目名称”表格{where}；"
            "正文中的指标不载入，以免把句子拆错（期望以“项目名称”开头的目标表）",
        )
    first, first_line = _first_text(text)
    return ParseIssue(
        source_file,
        None,
        "no_tables",
        f"全文 {lines} 行都没有找到“项目名称”表头（第一行文字是「{first}」，在第 {first_line} 行）；"
        "期望每个项目以“项目名称”开头的表格，其后是表头块和“一级指标 二级指标 三级指标 指标值”指标表",
    )


def _first_text(text: str) -> tuple[str, int]:
    """The first line with visible text (shortened), and its number."""
    start, number = 0, 1
    while start <= len(text):
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        shown = " ".join(text[start : min(stop, start + 200)].split())
        if shown:
            return _short(shown), number
        start, number = stop + 1, number + 1
    return "", 1


# --------------------------------------------------------------------------- document rules
# Each rule looks at the whole parsed document and returns the issue that holds it back, or
# None. They run after the structural checks, on a document that has projects and rows.

_HELD = "整份文档暂不载入"


def fiscal_year_missing(parsed: ParsedDocument, today: date, thresholds: Mapping) -> ParseIssue | None:
    """The fiscal year could not be read from the title or the ``（2025年度）`` lines."""
    if parsed.document.fiscal_year is not None:
        return None
    return ParseIssue(
        parsed.document.source_file,
        None,
        "fiscal_year_missing",
        "标题和“（2025 年度）”这类年度行里都读不出预算年度；"
        f"期望标题或其下一行印有“20xx年”或“（20xx年度）”；{_HELD}，以免项目和日期没有年度",
    )


def fiscal_year_implausible(parsed: ParsedDocument, today: date, thresholds: Mapping) -> ParseIssue | None:
    """A fiscal year outside [today - years_back, today + years_ahead]."""
    year = parsed.document.fiscal_year
    low = today.year - int(thresholds["fiscal_year_years_back"])
    high = today.year + int(thresholds["fiscal_year_years_ahead"])
    if year is None or low <= year <= high:
        return None
    return ParseIssue(
        parsed.document.source_file,
        parsed.document.fiscal_year_line,
        "fiscal_year_implausible",
        f"预算年度读作 {year} 年，不在 {low}–{high} 年之间；期望最近 {thresholds['fiscal_year_years_back']} 年"
        f"到明年的预算年度（如“（{today.year} 年度）”）；{_HELD}，请检查年度是否印错或识别错",
    )


def annual_total_missing(parsed: ParsedDocument, today: date, thresholds: Mapping) -> ParseIssue | None:
    """A project with no 年度资金总额 label at all (a printed but unreadable value is only flagged)."""
    missing = [p for p in parsed.projects if "annual_total" not in p.funding_printed]
    if not missing:
        return None
    first = missing[0]
    more = f"等 {len(missing)} 个项目" if len(missing) > 1 else ""
    return ParseIssue(
        first.source_file,
        first.header_line,
        "annual_total_missing",
        f"项目「{_short(first.project_name or '（无名称）')}」{more}的表头没有“年度资金总额”一栏；"
        f"期望每个项目的表头印有“年度资金总额”（或“其中：年度资金总额”）及其金额；{_HELD}，以免金额合计缺项",
    )


def label_coverage_low(parsed: ParsedDocument, today: date, thresholds: Mapping) -> ParseIssue | None:
    """Fewer than ``label_coverage_min_share`` of the indicator rows have a recognised level-2 label."""
    rows = parsed.indicators
    if not rows:
        return None
    labelled = sum(1 for i in rows if i.level2_printed)
    share = float(thresholds["label_coverage_min_share"])
    if labelled >= share * len(rows):
        return None
    first = next(i for i in rows if not i.level2_printed)
    return ParseIssue(
        first.source_file,
        first.source_line,
        "label_coverage_low",
        f"{len(rows)} 行指标中只有 {labelled} 行认得出二级指标（如此行「{_short(first.indicator_name)}」没有），"
        f"低于 {share:.0%}；期望多数指标行在“数量指标”“质量指标”“社会效益指标”等二级指标之下；"
        f"{_HELD}，以免按错误的类别统计（可能是另一种表格样式）",
    )


DocumentRule = Callable[[ParsedDocument, date, Mapping], "ParseIssue | None"]
DOCUMENT_RULES: tuple[DocumentRule, ...] = (
    fiscal_year_missing,
    fiscal_year_implausible,
    annual_total_missing,
    label_coverage_low,
)
# The document rules a self-evaluation must pass: the fiscal-year ones (it has no annual_total or
# level-2 coverage rule: its money and labels go to tables of its own, not counted as targets).
SELF_EVALUATION_RULES: tuple[DocumentRule, ...] = (fiscal_year_missing, fiscal_year_implausible)
