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
  as 分值 / 权重 / 备注 / 指标方向: reading on would take the weight for the target). A cell that is printed but cannot be read (a funding
  value ``1e3``, a target ``NaN``) is *not* a reason to hold the document: it is kept as
  printed, left NULL where typed, and flagged.
* A document beyond what the warehouse can key (``MAX_PROJECTS`` projects, or
  ``MAX_INDICATORS`` rows in one project: ids are zero-padded to three digits) is
  quarantined rather than allowed to break the build for every other document.

Reasons are sentences in Chinese that quote the document as printed and end with what was
expected; ``reason_sentence`` prefixes the file name and the line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ingest.decode import Decoded
from ingest.rows import ParsedDocument, ParseIssue

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


def add_decode_warnings(parsed: ParsedDocument, decoded: Decoded, source_file: str) -> None:
    """Decoder warnings become parse issues, so they land (and are listed) like any other."""
    extra = [ParseIssue(source_file, w.line, w.code, w.message) for w in decoded.warnings]
    if extra:
        parsed.issues[:0] = extra
        parsed.issues.sort(key=lambda i: i.line or 0)


def judge(parsed: ParsedDocument, text: str, source_file: str) -> Verdict:
    issues = parsed.issues
    by_code: dict[str, ParseIssue] = {}
    for issue in issues:
        by_code.setdefault(issue.code, issue)

    if not parsed.projects:
        for code in ("grid_without_header", "project_empty", "line_too_long"):
            if code in by_code:
                return _quarantine(source_file, by_code[code], extra=_and_more(len(issues)))
        lines = text.count("\n") + 1
        first, first_line = _first_text(text)
        return _quarantine(
            source_file,
            ParseIssue(
                source_file,
                None,
                "no_tables",
                f"全文 {lines} 行都没有找到“项目名称”表头（第一行文字是「{first}」，在第 {first_line} 行）；"
                "期望每个项目以“项目名称”开头的表格，其后是表头块和“一级指标 二级指标 三级指标 指标值”指标表",
            ),
        )

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
            what, line = f"有 {len(parsed.projects):,} 个项目，超过仓库每个文档 {MAX_PROJECTS} 个项目的编号上限", None
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

    if not issues:
        return Verdict(LOADED)
    first = issues[0]
    return Verdict(
        LOADED_WITH_WARNINGS,
        first.code,
        reason_sentence(source_file, first.line, first.message) + _and_more(len(issues)),
        first.line,
    )


def _quarantine(source_file: str, issue: ParseIssue, extra: str = "") -> Verdict:
    return Verdict(QUARANTINED, issue.code, reason_sentence(source_file, issue.line, issue.message) + extra, issue.line)


def _and_more(count: int) -> str:
    return f"（共 {count} 个问题，逐条见 raw_parse_issues 或 jixiao quarantine --warnings）" if count > 1 else ""


def _short(text: str, limit: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

