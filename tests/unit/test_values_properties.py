"""Property tests: a known value, printed in any supported spelling, lexes back to its meaning.

The meaning of a quantity is (comparator, low, high, canonical unit) with money in yuan, so the
unit conversion comes from the same seed dbt uses (seeds/units.csv): ``2.5万元``, ``25000元``
and ``2.5万`` are one amount. Spellings vary the comparator (signs, full-width signs, the OCR'd
《, words before or after the number), the digits (half/full width), the multiplier (``9千`` for
9000 of a count) and put spaces anywhere.
"""

from __future__ import annotations

import calendar
import csv
from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from ingest.values import lex_target
from tests.conftest import ROOT, SAMPLES, golden_indicators

UNITS = {r["unit_printed"]: r for r in csv.DictReader((ROOT / "seeds" / "units.csv").open(encoding="utf-8"))}

PREFIX = {
    ">=": ["≥", "≧", ">=", "＞＝", "大于等于", "不低于", "不少于", "大于或等于", "》"],
    "<=": ["≤", "≦", "<=", "＜＝", "《", "小于等于", "不超过", "不高于", "不多于"],
    ">": [">", "＞", "大于", "高于", "超过"],
    "<": ["<", "＜", "小于", "低于", "少于"],
    "=": ["", "=", "＝"],
}
SUFFIX = {">=": ["以上", "及以上"], "<=": ["以下", "以内", "及以下"]}
COUNT_UNITS = ["次", "家", "人", "人次", "个", "项", "台", "场", "支", "辆", "期", "处", "条", "户"]
FULL = str.maketrans("0123456789.%-~", "０１２３４５６７８９．％－～")


def meaning(lx):
    """(comparator, low, high, canonical unit) with the unit seed's factor applied."""
    row = UNITS.get(lx.unit_base) if lx.unit_base else None
    factor = Decimal(row["factor"]) if row else Decimal(1)
    unit = row["unit"] if row else lx.unit_base
    if lx.unit_per:
        unit = f"{unit}/{lx.unit_per}"

    def conv(v):
        return None if v is None else (v * factor).normalize()

    return (lx.comparator, conv(lx.low), conv(lx.high), unit)


def expected(comparator, value, unit):
    v = value.normalize()
    low = v if comparator in (">=", ">", "=") else None
    high = v if comparator in ("<=", "<", "=") else None
    return (comparator, low, high, unit)


def plain(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


@st.composite
def decorate(draw, text: str) -> str:
    """Full-width characters and spaces (ASCII or ideographic) anywhere."""
    if draw(st.booleans()):
        text = text.translate(FULL)
    chars = list(text)
    out = []
    for ch in chars:
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from([" ", "  ", "\u3000", "\t"])))
        out.append(ch)
    if draw(st.booleans()):
        out.append(" ")
    return "".join(out)


@st.composite
def comparator_spelling(draw, number_and_unit: str, comparator: str) -> str:
    options = [p + number_and_unit for p in PREFIX[comparator]]
    options += [number_and_unit + s for s in SUFFIX.get(comparator, [])]
    return draw(st.sampled_from(options))


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2, allow_nan=False)
comparators = st.sampled_from([">=", "<=", ">", "<", "="])


@given(st.data(), amounts, comparators)
def test_money_in_any_spelling(data, wan, comparator):
    """An amount in yuan printed as 万元, a bare 万 or 元 means the same yuan."""
    yuan = wan * 10000
    spellings = [f"{plain(wan)}万元", f"{plain(wan)}万", f"{plain(yuan)}元"]
    body = data.draw(st.sampled_from(spellings))
    text = data.draw(decorate(data.draw(comparator_spelling(body, comparator))))
    assert meaning(lex_target(text)) == expected(comparator, yuan, "元"), text


@given(st.data(), amounts, comparators, st.sampled_from(["家", "个", "人", "项", "条"]))
def test_per_unit_money_keeps_its_denominator(data, wan, comparator, per):
    yuan = wan * 10000
    body = data.draw(st.sampled_from([f"{plain(wan)}万元/{per}", f"{plain(yuan)}元/{per}"]))
    text = data.draw(comparator_spelling(body, comparator))
    if data.draw(st.booleans()) and comparator != "=" and not text.endswith(("以上", "以下", "以内")):
        # 每家≤2.5万元: the denominator in front
        text = f"每{per}" + text[: -len(per) - 1]
    text = data.draw(decorate(text))
    assert meaning(lex_target(text)) == expected(comparator, yuan, f"元/{per}"), text


@given(st.data(), st.integers(1, 99999), comparators, st.sampled_from(COUNT_UNITS))
def test_counts_with_multipliers(data, n, comparator, unit):
    """9000 条 is 9000条, 9千条 or 0.9万条."""
    spellings = [f"{n}{unit}"]
    value = Decimal(n)
    if n % 10 == 0:
        spellings.append(f"{plain(value / 1000)}千{unit}")
        spellings.append(f"{plain(value / 10000)}万{unit}")
    body = data.draw(st.sampled_from(spellings))
    text = data.draw(decorate(data.draw(comparator_spelling(body, comparator))))
    assert meaning(lex_target(text)) == expected(comparator, value, UNITS[unit]["unit"]), text


@given(st.data(), st.decimals(min_value=0, max_value=100, places=1), comparators)
def test_percent_in_any_spelling(data, pct, comparator):
    text = data.draw(decorate(data.draw(comparator_spelling(f"{plain(pct)}%", comparator))))
    lx = lex_target(text)
    assert lx.kind == "percent"
    assert meaning(lx) == expected(comparator, pct, "%"), text


@given(st.data(), st.integers(1, 600), comparators, st.sampled_from(["个月", "天", "分钟", "小时"]))
def test_durations(data, n, comparator, unit):
    text = data.draw(decorate(data.draw(comparator_spelling(f"{n}{unit}", comparator))))
    assert meaning(lex_target(text)) == expected(comparator, Decimal(n), UNITS[unit]["unit"]), text


@given(st.data(), st.integers(0, 5000), st.integers(1, 50000), st.sampled_from(["户", "人", "元", "人次"]))
def test_ranges(data, lo, span, unit):
    hi = lo + span
    sep = data.draw(st.sampled_from(["-", "－", "~", "～", "至", "到", "—"]))
    unit_on_left = data.draw(st.booleans())
    text = f"{lo}{unit if unit_on_left else ''}{sep}{hi}{unit}"
    lx = lex_target(data.draw(decorate(text)))
    assert meaning(lx) == ("range", Decimal(lo), Decimal(hi), UNITS[unit]["unit"]), text


@given(st.data(), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_in_any_spelling(data, d):
    y, m, day = d.year, d.month, d.day
    exact = [f"{y}/{m}/{day}", f"{y}-{m:02d}-{day:02d}", f"{y}.{m}.{day}", f"{y}年{m}月{day}日",
             f"{y}年{m}月{day}"]
    deadline = [f"{y}年{m}月{day}日前", f"{y}年{m}月{day}日之前", f"{y}/{m}/{day}前"]
    options = [(t, "=") for t in exact] + [(t, "<=") for t in deadline]
    last_day = calendar.monthrange(y, m)[1]
    if day == last_day:
        options += [(f"{y}年{m}月底", "<="), (f"{y}年{m}月前", "<="), (f"{y}年{m}月", "<="),
                    (f"{y}年{m}月末", "<=")]
        if m == 12:
            options += [(f"{y}年底", "<="), (f"{y}年", "<="), (f"{y}年年底", "<=")]
    text, comparator = data.draw(st.sampled_from(options))
    lx = lex_target(data.draw(decorate(text)))
    assert (lx.kind, lx.comparator, lx.date) == ("date", comparator, d.isoformat()), text


@given(st.data(), st.sampled_from(sorted({r["target_text"] for n in SAMPLES for r in golden_indicators(n)})))
def test_samples_survive_width_and_spaces(data, text):
    """Every target of both samples means the same when re-printed full-width with spaces."""
    assume(text.strip())
    a, b = lex_target(text), lex_target(data.draw(decorate(text)))
    assert (a.kind, meaning(a), a.date, a.date_rule) == (b.kind, meaning(b), b.date, b.date_rule)
