"""Document-level facts: publisher, fiscal year, date (pure); its division: ``ingest.divisions``."""

from __future__ import annotations

import re
from collections import Counter

from ingest.cells import fold
from ingest.tables import Line

_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]\s*")
_HEADING = re.compile(r"^[#\s]+")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年度?")
# Where the publisher's name ends in a title: the year, or the words of the table's title
_TITLE_WORDS = re.compile(r"(?:19|20)\d{2}\s*年|部门项目|项目支出|预算绩效|绩效目标|部门预算|本级")
# The last unit word of the name (greedy: 人力资源和社会保障局 runs to its 局, not to 社会's 会)
_PUBLISHER = re.compile(r"^(?P<pub>.+(?:局|厅|委员会|委|办公室|办|院|中心|署|处|所|站|队|会|府|部|社))")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def publisher_name(title: str) -> str | None:
    """The publisher a title line starts with: 平罗县人力资源和社会保障局2025年项目支出… -> 平罗县人力资源和社会保障局."""
    body = _LEADING_YEAR.sub("", _ATTACHMENT.sub("", _HEADING.sub("", title)).strip()).strip()
    head = _TITLE_WORDS.split(body, maxsplit=1)[0]
    m = _PUBLISHER.match(re.sub(r"\s+", "", head))
    if not m or m.group("pub")[:1].isdigit():
        return None
    return m.group("pub")


def publisher_from_title(lines: list[Line]) -> tuple[str | None, str | None]:
    """(publisher, title) from the first title-like line of the preamble."""
    for line in lines:
        text = " ".join(c.text for c in line.cells)
        if "绩效目标" not in text and "项目支出" not in text:
            continue
        return publisher_name(text), text
    return None, None


def publication_date(lines: list[Line]) -> tuple[str | None, str | None, int | None]:
    """(printed, ISO, line) of a standalone ``2025 年 2 月 21 日`` line in the cover text."""
    for line in lines:
        if len(line.cells) != 1:
            continue
        text = line.cells[0].text
        m = _DATE.match(text.strip())
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                import datetime as _dt

                iso = _dt.date(y, mo, d).isoformat()
            except ValueError:
                iso = None
            return text, iso, line.number
    return None, None, None


def fiscal_year_of(texts: list[str]) -> int | None:
    """The most common ``20xx年`` in titles and ``(2025年度)`` lines."""
    years = Counter(int(m) for t in texts for m in _YEAR.findall(fold(t)))
    return years.most_common(1)[0][0] if years else None


def fiscal_year_line(lines: list[Line], year: int | None) -> int | None:
    """The first line that prints ``year年`` (where the fiscal year was read), if any."""
    if year is None:
        return None
    for line in lines:
        if str(year) in _YEAR.findall(fold(" ".join(c.text for c in line.cells))):
            return line.number
    return None
