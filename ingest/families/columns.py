"""Grid columns by what their cells hold, not by their header word (pure).

Families print the parts of a target in cells of their own (``≥ | 95 | %``), with a weight
(分值 / 权重), a direction (正向 / 反向) and a type (定量 / 定性) beside them, under header
words that do not always say what the column holds (Inner Mongolia prints the direction
under 指标性质 and the comparator under 指标方向). Every cell after the level-3 name is
classified by its content; a column's role is the kind most of its cells have. A column
whose role cannot be decided is ``unknown``: the caller holds the document back rather than
read it as something else.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ingest.cells import fold
from ingest.vocabulary import is_unit

COMPARATOR = "comparator"
NUMBER = "number"
UNIT = "unit"
WEIGHT = "weight"
DIRECTION = "direction"
VALUE_TYPE = "value_type"
TEXT = "text"
TARGET = "target"  # a whole target in one cell (≥85%, 10辆, 优良): a text column under a value caption
UNKNOWN = "unknown"

_COMPARATOR = re.compile(
    r"^(?:[≥≤=<>≧≦＝≈]|>=|<=|==|大于等于|小于等于|大于|小于|等于|不低于|不高于|不超过|不少于)$"
)
_DIRECTION = re.compile(r"^(?:正向|反向)(?:指标)?$")
_VALUE_TYPE = re.compile(r"^(?:定量|定性)(?:指标)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_ENDS_IN_DIGIT = re.compile(r"\d$")
# A column of bare numbers is a weight only if every one is a plausible share of 100 points.
_WEIGHT_MAX = 100
# A role needs this share of the column's printed cells to be of its kind.
ROLE_MIN_SHARE = 0.6


def cell_kind(text: str) -> str:
    """The kind of one printed cell."""
    t = fold(unicodedata.normalize("NFKC", text))
    if _COMPARATOR.match(t):
        return COMPARATOR
    if _DIRECTION.match(t):
        return DIRECTION
    if _VALUE_TYPE.match(t):
        return VALUE_TYPE
    if _NUMBER.match(t):
        return NUMBER
    if is_unit(t):
        return UNIT
    return TEXT


def _number(text: str) -> float | None:
    t = fold(text).replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class ColumnRoles:
    """Role per column offset (0 = the first cell after the level-3 name)."""

    roles: dict[int, str]
    kinds: dict[int, Counter] = field(default_factory=dict)

    def offset_of(self, role: str) -> int | None:
        return next((o for o, r in sorted(self.roles.items()) if r == role), None)

    @property
    def unknown(self) -> list[int]:
        return [o for o, r in sorted(self.roles.items()) if r == UNKNOWN]


def column_roles(rows: list[dict[int, str]]) -> ColumnRoles:
    """Decide each column's role from the cells of every row (offset -> printed text)."""
    kinds: dict[int, Counter] = {}
    values: dict[int, list[str]] = {}
    for row in rows:
        for offset, text in row.items():
            kinds.setdefault(offset, Counter())[cell_kind(text)] += 1
            values.setdefault(offset, []).append(text)
    roles: dict[int, str] = {}
    for offset, counter in kinds.items():
        kind, n = counter.most_common(1)[0]
        roles[offset] = kind if n >= ROLE_MIN_SHARE * sum(counter.values()) else UNKNOWN
    _numbers_to_target_and_weight(roles, values)
    return ColumnRoles(roles, kinds)


def _numbers_to_target_and_weight(roles: dict[int, str], values: dict[int, list[str]]) -> None:
    """Of the number columns, the target is the first one (next to a comparator or before a
    unit); a later one is a weight when every value is a share of 100 points; any other
    number column is unknown."""
    numbers = [o for o in sorted(roles) if roles[o] == NUMBER]
    if len(numbers) <= 1:
        return
    target = next(
        (o for o in numbers if roles.get(o - 1) == COMPARATOR or roles.get(o + 1) == UNIT),
        numbers[0],
    )
    for offset in numbers:
        if offset <= target:
            if offset < target:
                roles[offset] = UNKNOWN
            continue
        read = [_number(v) for v in values[offset] if cell_kind(v) == NUMBER]
        is_weight = read and all(v is not None and 0 <= v <= _WEIGHT_MAX for v in read)
        roles[offset] = WEIGHT if is_weight and WEIGHT not in roles.values() else UNKNOWN


def choose_text_target(roles: ColumnRoles, words: dict[int, str], value_words: frozenset[str]) -> None:
    """With no number column, the target is the text column under a value caption word
    (指标值及单位, 当年预期实现值 …), or the only text column; otherwise none is chosen."""
    if roles.offset_of(NUMBER) is not None:
        return
    texts = [o for o, r in sorted(roles.roles.items()) if r == TEXT]
    captioned = [o for o in texts if words.get(o) in value_words]
    chosen = captioned[0] if captioned else (texts[0] if len(texts) == 1 else None)
    if chosen is not None:
        roles.roles[chosen] = TARGET


@dataclass
class Target:
    """A target combined from its printed parts; the parts kept as printed."""

    text: str
    parts: list[str]
    comparator: str | None = None
    number: str | None = None
    unit: str | None = None
    weight: str | None = None
    direction: str | None = None
    value_type: str | None = None
    flags: list[str] = field(default_factory=list)


def combine(row: dict[int, str], roles: ColumnRoles) -> Target:
    """One target from a row's role cells: comparator + number + unit, the unit counted once.

    The parts are kept in the order they are printed. A unit beside a whole target (a text
    column: ``% | ≥95%``, ``年 | 2022年12月31日前``) is appended only to a target that ends in a
    number (``万元 | 397``); a unit cell with no value beside it is never the target."""
    get = {
        role: row.get(roles.offset_of(role))
        for role in (COMPARATOR, NUMBER, UNIT, WEIGHT, DIRECTION, VALUE_TYPE)
    }
    comparator, number, unit = get[COMPARATOR], get[NUMBER], get[UNIT]
    flags: list[str] = []
    whole = number is None and roles.offset_of(TARGET) is not None
    if whole:
        number = row.get(roles.offset_of(TARGET))  # the whole target in one cell, as printed
    offsets = {COMPARATOR: roles.offset_of(COMPARATOR), UNIT: roles.offset_of(UNIT)}
    offsets[NUMBER] = roles.offset_of(TARGET) if whole else roles.offset_of(NUMBER)
    printed = {COMPARATOR: comparator, NUMBER: number, UNIT: unit}
    order = sorted(
        (r for r in printed if printed[r]), key=lambda r: offsets[r] if offsets[r] is not None else -1
    )
    parts = [printed[r] for r in order]
    shown_unit = unit
    if unit and not number:
        shown_unit = None  # a unit alone is not a target
        flags.append("target_not_printed")
    elif unit and (fold(number).endswith(fold(unit)) or fold(unit) == fold(number)):
        shown_unit = None  # printed in the number's cell already: never count a unit twice
        flags.append("unit_printed_twice")
    elif unit and cell_kind(unit) != UNIT:
        # the unit column holds something else in this row (empty cells collapsed: ``8 4`` is
        # 目标值 8, 分值 4): never append it to the target
        shown_unit = None
        flags.append("unit_cell_not_a_unit")
    elif unit and whole and not _ENDS_IN_DIGIT.search(fold(number)):
        shown_unit = None  # a date or a word beside a unit (年 | 2022年12月31日前): as printed
        flags.append("unit_not_in_value")
    text = "".join(p for p in (comparator, number, shown_unit) if p)
    return Target(text, parts, comparator, number, unit, get[WEIGHT], get[DIRECTION], get[VALUE_TYPE], flags)
