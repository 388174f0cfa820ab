"""Printed targets (指标值) with the meaning the generator gives them.

Every spelling of the domain guide's value grammar is here. The meaning is what
``int_indicator_values`` / ``fct_indicator_target`` must derive: value_kind, comparator,
value_low / value_high (yuan for money, count multipliers applied), unit, value_yuan,
target_date, is_quantified. It is written from the template, never read back from the parser.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from jixiao.synth.vocab import COUNT_UNITS, QUALITATIVE

Target = tuple[str, dict]

_WAN = Decimal(10000)


def num(value: Decimal | int) -> str:
    """A decimal as printed: no exponent, no trailing zeros (``2.50`` -> ``2.5``)."""
    d = Decimal(value).normalize()
    text = format(d, "f")
    return text


MEANING_KEYS = (
    "value_kind",
    "is_quantified",
    "comparator",
    "value_low",
    "value_high",
    "unit",
    "value_yuan",
    "target_date",
)


def meaning(
    kind: str,
    comparator: str | None = None,
    low=None,
    high=None,
    unit: str | None = None,
    yuan=None,
    target_date: str | None = None,
) -> dict:
    numeric = kind in ("money", "percent", "count", "duration")
    quantified = (
        (target_date is not None) if kind == "date" else numeric and (low is not None or high is not None)
    )
    out = {
        "value_kind": kind,
        "is_quantified": quantified,
        "comparator": comparator if (numeric or kind == "date") else None,
        "value_low": None if low is None else num(low),
        "value_high": None if high is None else num(high),
        "unit": unit,
        "value_yuan": None if yuan is None else num(yuan),
        "target_date": target_date,
    }
    return {k: v for k, v in out.items() if v is not None}  # an absent key is NULL in the marts


def _bounds(comparator: str, value: Decimal) -> tuple[Decimal | None, Decimal | None]:
    low = value if comparator in (">=", ">", "=") else None
    high = value if comparator in ("<=", "<", "=") else None
    return low, high


# ------------------------------------------------------------------ percents


def percent(rng: random.Random) -> Target:
    p = Decimal(rng.choice((80, 85, 90, 95, 98, 100)))
    form = rng.randrange(8)
    if form == 0:
        return f"≥{num(p)}%", meaning("percent", ">=", p, None, "%")
    if form == 1:
        return f"≥ {num(p)}%", meaning("percent", ">=", p, None, "%")
    if form == 2:
        return f"大于等于 {num(p)}%", meaning("percent", ">=", p, None, "%")
    if form == 3:
        return f"{num(p)}%以上", meaning("percent", ">=", p, None, "%")
    if form == 4:
        return "100%", meaning("percent", "=", 100, 100, "%")
    if form == 5:
        return "完成率100%", meaning("percent", "=", 100, 100, "%")
    if form == 6:
        return "**%", meaning("placeholder")
    return f"≥{num(p)}%", meaning("percent", ">=", p, None, "%")


def small_percent(rng: random.Random) -> Target:
    p = Decimal(rng.choice((2, 3, 5, 10)))
    form = rng.randrange(3)
    if form == 0:
        return f"≤{num(p)}%", meaning("percent", "<=", None, p, "%")
    if form == 1:
        return f"<{num(p)}%", meaning("percent", "<", None, p, "%")
    return f"小于{num(p)}%", meaning("percent", "<", None, p, "%")


# ------------------------------------------------------------------ counts


def count(rng: random.Random) -> Target:
    n = Decimal(rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40, 50, 70, 100, 120)))
    unit = rng.choice(COUNT_UNITS)
    form = rng.randrange(10)
    if form == 0:
        return f"{num(n)} {unit}", meaning("count", "=", n, n, unit)
    if form == 1:
        return f"≥{num(n)}{unit}", meaning("count", ">=", n, None, unit)
    if form == 2:
        return f"≤{num(n)}{unit}", meaning("count", "<=", None, n, unit)
    if form == 3:
        k = Decimal(rng.choice((2, 5, 9)))
        return f"≥{num(k)}千条", meaning("count", ">=", k * 1000, None, "条")
    if form == 4:
        hi = Decimal(rng.choice((500, 2000, 6000)))
        return f"0-{num(hi)}户", meaning("count", "range", 0, hi, "户")
    if form == 5:
        hi = Decimal(rng.choice((5, 25, 30)))
        return f"0-{num(hi)}万人次", meaning("count", "range", 0, hi * _WAN, "人次")
    if form == 6:
        return rng.choice(("***户", "***户、***间")), meaning("placeholder")
    if form == 7:
        return num(n), meaning("count", "=", n, n, None)
    if form == 8:
        return f"{num(n)}个月", meaning("duration", "=", n, n, "月")
    return f"{num(n)}{unit}", meaning("count", "=", n, n, unit)


# ------------------------------------------------------------------ money


def _wan(rng: random.Random) -> Decimal:
    whole = rng.choice((0, 1, 2, 3, 5, 8, 12, 24, 45, 50, 145))
    frac = Decimal(rng.choice((0, 0, 1, 5, 25, 375, 89))) / Decimal(100 if rng.random() < 0.6 else 1000)
    value = Decimal(whole) + frac
    return value if value > 0 else Decimal("0.2")


def money(rng: random.Random) -> Target:
    w = _wan(rng)
    y = w * _WAN
    form = rng.randrange(13)
    if form == 0:
        return f"≤{num(w)}万元/家", meaning("money", "<=", None, y, "元/家", y)
    if form == 1:
        return f"≤{num(w)}万元", meaning("money", "<=", None, y, "元", y)
    if form == 2:
        return f"≤ {num(w)}万元", meaning("money", "<=", None, y, "元", y)
    if form == 3:
        return f"《{num(w)}万元", meaning("money", "<=", None, y, "元", y)
    if form == 4:
        return f"{num(w)} 万元", meaning("money", "=", y, y, "元", y)
    if form == 5:
        return f"{num(w)}万元/家", meaning("money", "=", y, y, "元/家", y)
    if form == 6:
        n = Decimal(rng.choice((36000, 98856, 360000, 90000)))
        return f"{num(n)}元", meaning("money", "=", n, n, "元", n)
    if form == 7:
        n = Decimal(rng.choice((36000, 98856, 360000, 90000)))
        return f"{num(n)} 元", meaning("money", "=", n, n, "元", n)
    if form == 8:
        n = Decimal(rng.choice((2746, 3000, 1200, 800)))
        return f"{num(n)}元/人", meaning("money", "=", n, n, "元/人", n)
    if form == 9:
        n = Decimal(rng.choice((20, 15, 5)))
        return f"≤{num(n)}元/条", meaning("money", "<=", None, n, "元/条", n)
    if form == 10:
        return f"每期≤{num(w)}万元", meaning("money", "<=", None, y, "元/期", y)
    if form == 11:
        lo, hi = rng.choice(((2000, 6000), (150, 4500)))
        return f"{lo}-{hi}元", meaning("money", "range", lo, hi, "元", hi)
    return f"≤{num(w)}万", meaning("money", "<=", None, y, "元", y)


# ------------------------------------------------------------------ dates


def deadline(rng: random.Random, year: int) -> Target:
    form = rng.randrange(11)
    if form == 0:
        return f"{year}/12/31", meaning("date", "=", target_date=f"{year}-12-31")
    if form == 1:
        return f"{year}年12月31日前", meaning("date", "<=", target_date=f"{year}-12-31")
    if form == 2:
        return f"{year}年12月31", meaning("date", "=", target_date=f"{year}-12-31")
    if form == 3:
        return f"{year}年11月底", meaning("date", "<=", target_date=f"{year}-11-30")
    if form == 4:
        return f"{year}年12月前", meaning("date", "<=", target_date=f"{year}-12-31")
    if form == 5:
        return f"{year} 年底", meaning("date", "<=", target_date=f"{year}-12-31")
    if form == 6:
        return f"{year}年", meaning("date", "<=", target_date=f"{year}-12-31")
    if form == 7:
        return "11月底前完成建设", meaning("date", "<=", target_date=f"{year}-11-30")
    if form == 8:
        return f"{year}年12月底前", meaning("date", "<=", target_date=f"{year}-12-31")
    if form == 9:
        return f"{year}年9月前", meaning("date", "<=", target_date=f"{year}-09-30")
    return "12 个月", meaning("duration", "=", 12, 12, "月")


# ------------------------------------------------------------------ words


def qualitative(rng: random.Random) -> Target:
    return rng.choice(QUALITATIVE), meaning("text")


def grade(rng: random.Random) -> Target:
    return rng.choice(("好", "较好")), meaning("text")


def not_applicable(_rng: random.Random) -> Target:
    return "无", meaning("not_applicable")


# ------------------------------------------------------------------ per level 2

Maker = Callable[[random.Random, int], Target]


def _w(fn: Callable[[random.Random], Target]) -> Maker:
    return lambda rng, _year: fn(rng)


def _mix(*choices: tuple[int, Maker]) -> Maker:
    weights = [w for w, _ in choices]
    makers = [m for _, m in choices]

    def make(rng: random.Random, year: int) -> Target:
        return rng.choices(makers, weights)[0](rng, year)

    return make


BY_LEVEL2: dict[str, Maker] = {
    "数量指标": _mix((8, _w(count)), (1, _w(percent))),
    "质量指标": _mix((8, _w(percent)), (1, _w(qualitative)), (1, _w(grade))),
    "时效指标": _mix((1, deadline)),
    "成本指标": _mix((1, _w(money))),
    "经济成本指标": _mix((1, _w(money))),
    "社会成本指标": _mix((1, _w(not_applicable)), (1, _w(qualitative))),
    "生态环境成本指标": _mix((1, _w(not_applicable)), (1, _w(qualitative))),
    "经济效益指标": _mix((3, _w(not_applicable)), (1, _w(qualitative))),
    "社会效益指标": _mix((4, _w(qualitative)), (1, _w(percent))),
    "生态效益指标": _mix((3, _w(not_applicable)), (1, _w(qualitative))),
    "可持续影响指标": _mix((1, _w(qualitative))),
    "服务对象满意度指标": _mix((6, _w(percent)), (2, _w(small_percent)), (1, _w(grade))),
}


def make_target(level2: str, rng: random.Random, year: int) -> Target:
    return BY_LEVEL2[level2](rng, year)
