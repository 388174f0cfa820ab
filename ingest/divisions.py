"""Who published a document: the GB/T 2260 division a publisher's name starts with, and the unit after it.

The divisions come from the dbt seed ``seeds/divisions.csv`` (one source of truth for the
parser and the models). A publisher is read as the longest chain of division names it starts
with, each a descendant of the one before (宁夏回族自治区 + 石嘴山市 + 平罗县), and the unit
after it (人力资源和社会保障局). Full names are always used; short names (宁夏, 石嘴山) of
provinces and cities only where they name one division and only in their place: a province's at
the start, a city's after its province or at the start before a development-zone word
(银川经济技术开发区); a county's short name never (北京市大兴国际机场… is not 大兴区). When
several divisions fit equally well (朝阳区 alone: Beijing's or Changchun's), the document's
evidence decides: the fiscal year (validity), a department code that starts with a division
code, the level a 本级 / 转移市县 cue names, or an ancestor's name printed elsewhere in the
document. What no evidence decides stays undecided (no code), never
guessed. Pure functions; the seed is read once.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.cells import fold

SEED = Path(__file__).resolve().parent.parent / "seeds" / "divisions.csv"

LEVELS = ("province", "city", "county")
# A city's short name opens a development zone's name: 银川经济技术开发区, 苏州工业园区
_ZONE = re.compile(
    r"^(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|开发区|新区|工业园区|综合保税区|保税区)"
)
_DEPARTMENT_CODE = re.compile(r"^(\d{6})")
_LEADING_CODE = re.compile(r"^[(（]\d+[)）]")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    valid_from: int | None = None
    valid_to: int | None = None

    def valid_in(self, year: int | None) -> bool:
        """In use in ``year`` (valid_to = the first year it is no longer used)."""
        if year is None:
            return True
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year < self.valid_to
        )


@dataclass(frozen=True)
class DivisionIndex:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # full names
    by_short: dict[str, tuple[Division, ...]]  # short names

    def ancestors(self, division: Division) -> list[Division]:
        """Parent, grandparent … of a division (nearest first)."""
        out: list[Division] = []
        code = division.parent_code
        while code and code in self.by_code:
            out.append(self.by_code[code])
            code = self.by_code[code].parent_code
        return out

    def chain(self, division: Division) -> list[Division]:
        """Province … division, top first."""
        return [*reversed(self.ancestors(division)), division]


@dataclass(frozen=True)
class PublisherReading:
    """A publisher read against the divisions: ``division`` is None when undecided or unknown."""

    division: Division | None
    unit: str | None  # what follows the division names (人力资源和社会保障局)
    matched: str | None  # the division names as printed (宁夏回族自治区石嘴山市平罗县)
    evidence: str | None  # prefix:平罗县 | department_code | cue:本级 | cue:北京市 | ambiguous:… | None
    candidates: tuple[str, ...] = ()  # codes that fit equally well (more than one: undecided)


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _division(row: dict[str, str]) -> Division:
    return Division(
        code=row["code"],
        name=row["name"],
        short_name=row["short_name"],
        level=row["level"],
        parent_code=row["parent_code"] or None,
        valid_from=_int(row["valid_from"]),
        valid_to=_int(row["valid_to"]),
    )


def _group(pairs: Iterable[tuple[str, Division]]) -> dict[str, tuple[Division, ...]]:
    out: dict[str, tuple[Division, ...]] = {}
    for key, division in pairs:
        out[key] = (*out.get(key, ()), division)
    return out


def load_divisions(path: Path | None = None) -> DivisionIndex:
    """Read the division seed (code, name, short_name, level, parent_code, valid_from, valid_to)."""
    with (path or SEED).open(encoding="utf-8", newline="") as fh:
        divisions = [_division(row) for row in csv.DictReader(fh)]
    return DivisionIndex(
        by_code={d.code: d for d in divisions},
        by_name=_group((d.name, d) for d in divisions),
        by_short=_group((d.short_name, d) for d in divisions if d.short_name),
    )


@lru_cache(maxsize=1)
def default_divisions() -> DivisionIndex:
    return load_divisions()


def _is_under(index: DivisionIndex, division: Division, parent: Division | None) -> bool:
    return parent is None or parent in index.ancestors(division)


def _short_fits(index: DivisionIndex, division: Division, parent: Division | None, rest: str) -> bool:
    """A short name names ``division`` here: unique among full and short names in its place."""
    if division.level == "county":  # 大兴 in 北京市大兴国际机场… is not 大兴区
        return False
    if parent is None and division.level == "city" and not _ZONE.match(rest):
        return False
    shorts = tuple(d for d in index.by_short.get(division.short_name, ()) if d.level != "county")
    rivals = {
        d for d in (*shorts, *index.by_name.get(division.short_name, ())) if _is_under(index, d, parent)
    }
    return len(rivals) == 1


def _next_steps(
    index: DivisionIndex, text: str, at: int, parent: Division | None
) -> list[tuple[Division, int]]:
    """(division, end) of every division name at ``text[at:]`` that fits under ``parent``."""
    steps: list[tuple[Division, int]] = []
    for size in range(min(len(text) - at, 20), 1, -1):
        word = text[at : at + size]
        steps += [
            (d, at + size) for d in index.by_name.get(word, ()) if d != parent and _is_under(index, d, parent)
        ]
        steps += [
            (d, at + size)
            for d in index.by_short.get(word, ())
            if d != parent
            and _is_under(index, d, parent)
            and _short_fits(index, d, parent, text[at + size :])
        ]
    return steps


def _chains(
    index: DivisionIndex, text: str, at: int = 0, parent: Division | None = None
) -> list[tuple[Division, int]]:
    """(last division, end) of every maximal chain of division names from ``text[at:]``."""
    out: list[tuple[Division, int]] = []
    for division, end in _next_steps(index, text, at, parent):
        longer = _chains(index, text, end, division)
        out += longer or [(division, end)]
    return out


def level_cue(cues: str, transfer_label: str | None = None) -> str | None:
    """The level a document's cues name: 自治区本级/省本级, 市本级/州本级, 县本级/区本级, 转移市县."""
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
    return None


def _by_department_code(index: DivisionIndex, found: list[Division], code: str | None) -> list[Division]:
    m = _DEPARTMENT_CODE.match(code or "")
    named = index.by_code.get(m.group(1)) if m else None
    if named is None:
        return []
    family = {named, *index.ancestors(named)}
    return [d for d in found if d in family or named in index.ancestors(d)]


def _by_printed_ancestor(
    index: DivisionIndex, found: list[Division], text: str
) -> tuple[list[Division], str | None]:
    """Candidates one of whose ancestors is named in the document's other text."""
    folded = fold(text).replace(" ", "")
    named: dict[str, list[Division]] = {}
    for d in found:
        for a in index.ancestors(d):
            for word in (a.name, a.short_name if a.level == "province" else ""):
                if word and word in folded:
                    named.setdefault(word, []).append(d)
    hits = {d for ds in named.values() for d in ds}
    if len(hits) != 1:
        return [], None
    return list(hits), max((w for w in named), key=len)


def _decide(
    index: DivisionIndex,
    found: list[Division],
    *,
    fiscal_year: int | None,
    department_code: str | None,
    level: str | None,
    context: str,
) -> tuple[list[Division], str | None]:
    """Narrow equally good candidates with the document's evidence, in order."""
    valid = [d for d in found if d.valid_in(fiscal_year)]
    if len(valid) == 1:
        return valid, f"valid_in:{fiscal_year}"
    found = valid or found
    by_code = _by_department_code(index, found, department_code)
    if len(by_code) == 1:
        return by_code, "department_code"
    at_level = [d for d in found if d.level == level]
    if len(at_level) == 1:
        return at_level, "cue:本级"
    by_ancestor, word = _by_printed_ancestor(index, at_level or found, context)
    if len(by_ancestor) == 1:
        return by_ancestor, f"cue:{word}"
    return found, None


def read_publisher(
    publisher: str | None,
    *,
    index: DivisionIndex | None = None,
    fiscal_year: int | None = None,
    department_code: str | None = None,
    level: str | None = None,
    context: str = "",
) -> PublisherReading:
    """The division a publisher starts with, its unit, and the evidence that decided it."""
    if not publisher:
        return PublisherReading(None, None, None, None)
    index = index or default_divisions()
    printed = _LEADING_CODE.sub("", re.sub(r"\s+", "", publisher))  # (433)乌海市… -> 乌海市…
    text = fold(printed)
    chains = _chains(index, text)
    if not chains:
        return PublisherReading(None, publisher, None, None)
    end = max(e for _, e in chains)
    found = sorted({d for d, e in chains if e == end}, key=lambda d: d.code)
    # the unit as printed (width kept) where folding kept every character in place
    unit = (printed if len(printed) == len(text) else text)[end:] or None
    matched = text[:end]
    if len(found) == 1:
        return PublisherReading(found[0], unit, matched, f"prefix:{matched}", (found[0].code,))
    decided, evidence = _decide(
        index, found, fiscal_year=fiscal_year, department_code=department_code, level=level, context=context
    )
    codes = tuple(d.code for d in found)
    if len(decided) == 1 and evidence:
        return PublisherReading(decided[0], unit, matched, evidence, codes)
    return PublisherReading(None, unit, matched, "ambiguous:" + "|".join(codes), codes)
