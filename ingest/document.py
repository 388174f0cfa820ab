"""Document-level facts: publisher, region, administrative level, fiscal year, date (pure)."""

from __future__ import annotations

import re
from collections import Counter

from ingest.cells import fold
from ingest.tables import Line

_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]\s*")
_PUBLISHER = re.compile(
    r"^(?P<pub>.+?(?:管理局|管理厅|局|厅|委员会|委|办公室|办|院|中心|署|处|所|站|队|会))"
)
_REGION = re.compile(r"^(?P<region>.*(?:特别行政区|自治区|自治州|自治县|省|市|县|区|旗|州|盟))")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def publisher_from_title(lines: list[Line]) -> tuple[str | None, str | None]:
    """(publisher, title) from the first title-like line of the preamble."""
    for line in lines:
        text = " ".join(c.text for c in line.cells)
        if "绩效目标" not in text and "项目支出" not in text:
            continue
        body = _ATTACHMENT.sub("", text).strip()
        m = _PUBLISHER.match(body.replace(" ", ""))
        if m and not m.group("pub")[:1].isdigit():
            return m.group("pub"), text
        return None, text
    return None, None


def region_of(publisher: str | None) -> str | None:
    if not publisher:
        return None
    m = _REGION.match(publisher)
    return m.group("region") if m else None


def admin_level_of(region: str | None, cues: str, transfer_label: str | None) -> str | None:
    """province / city / county from explicit cues first, then the region's suffix."""
    text = fold(cues)
    if re.search(r"(自治区|省)本级", text):
        return "province"
    if "市本级" in text or "州本级" in text:
        return "city"
    if "县本级" in text or "区本级" in text:
        return "county"
    if transfer_label:
        t = fold(transfer_label)
        if "市县" in t:
            return "province"
        if "县" in t:
            return "city"
    if not region:
        return None
    if region.endswith(("省", "自治区", "特别行政区")) or region in _MUNICIPALITIES:
        return "province"
    if region.endswith(("县", "旗", "自治县")) or (region.endswith("区") and len(region) <= 6):
        return "county"
    if region.endswith(("市", "州", "盟", "地区")):
        return "city"
    return None


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
