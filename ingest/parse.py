"""Document text -> document, project and indicator rows, exactly as printed (pure).

``parse_document`` splits the text into lines, recognises what kind of document it is
(``ingest.doctypes``) and which template family printed it (``ingest.families.registry``),
and lets that family's reader turn the lines into rows. A look-alike type with a reader of its
own (``LOOK_ALIKE_READERS``: the self-evaluation) is read into its own rows, never into
projects or targets. Any other look-alike, or a grid of a family no reader knows, yields no
rows and one issue that names what was not understood; the verdict holds the document back
with it.
"""

from __future__ import annotations

import re

from ingest.doctypes import TypeSeen, document_type
from ingest.families import self_evaluation, transfer_region
from ingest.families.base import Family, Reader, Recognition, Sheet
from ingest.families.registry import Choice, recognise
from ingest.personal import redact_lines
from ingest.rows import DocumentRow, ParsedDocument, ParseIssue
from ingest.tables import Line, to_lines
from ingest.vocabulary import LabelMap, default_label_map

_QUOTE_MAX = 40

# Look-alike types (ingest.doctypes code) that are read into tables of their own.
LOOK_ALIKE_READERS: dict[str, tuple[str, Reader]] = {
    "self_evaluation_table": (self_evaluation.FAMILY_NAME, self_evaluation.read),
}
# Look-alike types (ingest.doctypes code) that a family of the registry reads into projects and
# targets when it recognises the document; unrecognised, the document is held back naming its type
# and what the family did not find.
LOOK_ALIKE_FAMILIES: dict[str, Family] = {
    "transfer_region_table": transfer_region.FAMILY,
}


def parse_document(
    text: str | list[Line], source_file: str, document_id: str, labels: LabelMap | None = None
) -> ParsedDocument:
    """Rows of a TAB text, or of the lines a container reader made (``ingest.containers``)."""
    labels = labels or default_label_map()
    if isinstance(text, str):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = redact_lines(
        to_lines(text) if isinstance(text, str) else text
    )  # no name or phone number goes further
    seen = document_type(lines)
    if seen is not None and seen.kind.code in LOOK_ALIKE_FAMILIES:
        return _look_alike_family(seen, lines, text, source_file, document_id, labels)
    if seen is not None:
        return _look_alike(seen, lines, text, source_file, document_id, labels)
    choice = recognise(lines, labels)
    if choice.family is None:
        return _held_back(text, source_file, document_id, _unknown_family_issue(choice, source_file, lines))
    return _read(choice.family, lines, source_file, document_id, labels)


def _read(
    family: Family, lines: list[Line], source_file: str, document_id: str, labels: LabelMap
) -> ParsedDocument:
    parsed = family.read(lines, source_file, document_id, labels)
    parsed.document.template_family = family.name
    return parsed


def _look_alike_family(
    seen: TypeSeen,
    lines: list[Line],
    text: str | list[Line],
    source_file: str,
    document_id: str,
    labels: LabelMap,
) -> ParsedDocument:
    """A look-alike type a family reads: read by it when it recognises the document, else held back."""
    family = LOOK_ALIKE_FAMILIES[seen.kind.code]
    recognition = family.recognise(Sheet(lines))
    if not recognition.recognised:
        return _held_back(text, source_file, document_id, _type_issue(seen, source_file, family=recognition))
    return _read(family, lines, source_file, document_id, labels)


def _look_alike(
    seen: TypeSeen,
    lines: list[Line],
    text: str | list[Line],
    source_file: str,
    document_id: str,
    labels: LabelMap,
) -> ParsedDocument:
    """A look-alike's own rows when it has a reader and the reader finds a table; else held back."""
    name, reader = LOOK_ALIKE_READERS.get(seen.kind.code, (None, None))
    if reader is not None:
        parsed = reader(lines, source_file, document_id, labels)
        if parsed.self_eval_projects:
            parsed.document.template_family = name
            return parsed
    return _held_back(text, source_file, document_id, _type_issue(seen, source_file, reader is not None))


def _held_back(
    text: str | list[Line], source_file: str, document_id: str, issue: ParseIssue
) -> ParsedDocument:
    count = text.count("\n") + 1 if isinstance(text, str) else max((ln.number for ln in text), default=1)
    document = DocumentRow(document_id, source_file, line_count=count)
    return ParsedDocument(document, [], [], [issue])


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


def _type_issue(
    seen: TypeSeen, source_file: str, readable: bool = False, family: Recognition | None = None
) -> ParseIssue:
    if family is not None:  # a family reads this type, but not this document
        return ParseIssue(
            source_file,
            seen.line,
            seen.kind.code,
            f"「{_quote(seen.printed)}」表明这是{seen.kind.name}，但读不出它的表："
            f"{_seen_and_missing(family)}。整份文档暂不载入，以免把不认识的单元格读成别的内容"
            f"（期望{family.family.title}）",
        )
    openings = "或".join(f"“{o}”" for o in self_evaluation.OPENINGS)
    expected = (
        f"期望自评表每个项目以{openings}开头，其后是资金情况和“一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分”指标表"
        if readable
        else "期望每个项目的资金与绩效指标目标值"
    )
    found = f"，但找不到以{openings}开头的自评表" if readable else "，不是项目支出绩效目标表"
    return ParseIssue(
        source_file,
        seen.line,
        seen.kind.code,
        f"「{_quote(seen.printed)}」表明这是{seen.kind.name}{found}；整份文档暂不载入（{expected}）",
    )


def _seen_and_missing(recognition: Recognition) -> str:
    missing = "、".join(recognition.missing_required or recognition.missing) or "（无）"
    seen = "、".join(f"{name}（第 {line} 行）" for name, line in recognition.seen) or "（无）"
    return f"已见 {seen}；缺少 {missing}"


def _closest(recognition: Recognition) -> str:
    return f"最接近的是{recognition.family.title}（符合 {recognition.score:.0%}）：{_seen_and_missing(recognition)}"


# A character followed by its pinyin in parentheses (區(qū)): a mirror's rewrite of the page.
_PINYIN = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")
PINYIN_MIN = 3  # annotations that make a text a rewrite, not a stray parenthesis


def _damage(lines: list[Line]) -> str | None:
    """Why no family can be told, when the text itself says: flattened, or rewritten with pinyin."""
    if not any(len(line.cells) > 1 for line in lines):
        return (
            "此行起有指标表的文字，但全文没有一行分成两个以上的单元格（文字被压平，或单元格之间只有空格，"
            "而单元格文字本身也含空格）：无法判断每段文字属于哪一列；整份文档暂不载入"
            "（期望单元格之间以 TAB 或“|”分隔的表格文本，或 HTML、PDF、Excel 原件）"
        )
    hits = [m.group(0) for line in lines for c in line.cells for m in _PINYIN.finditer(c.text)]
    if len(hits) >= PINYIN_MIN:
        return (
            f"此行起有指标表，但表中文字夹着拼音注音（如「{hits[0]}」，共 {len(hits)} 处），"
            "像是转载网站改写了原文（转成繁体并注音）：表式、表头和类型的字词都认不出；整份文档暂不载入"
            "（期望发布机关网站上的原文）"
        )
    return None


def _unknown_family_issue(choice: Choice, source_file: str, lines: list[Line]) -> ParseIssue:
    damage = _damage(lines)
    if damage is not None:  # no family can be told from this text
        return ParseIssue(source_file, choice.grid_line, "template_family_unknown", damage)
    return ParseIssue(
        source_file,
        choice.grid_line,
        "template_family_unknown",
        "此行起有指标表，但它的表式不是解析器认识的任何一种；"
        f"{_closest(choice.recognitions[0])}。整份文档暂不载入，以免把不认识的单元格读成别的内容"
        "（期望已支持的表式之一，见 ingest/families/registry.py）",
    )
