"""Lexing a printed target (指标值 / 绩效值): text in, lexical facts out (pure, no I/O).

``lex_target("≤2.5万元/家")`` says *how the target is written*: comparator ``<=``, upper
bound ``2.5``, printed unit ``万元/家`` (base ``万元``, per ``家``). It does not decide what
the unit means: the conversion to yuan, and whether ``个`` is a count or ``个月`` a duration,
come from the dbt seed ``seeds/units.csv`` (an analyst can change them without touching
code). Two things are lexical and done here:

* count multipliers: ``≥9千条`` is 9000 条, ``0-25万人次`` is 0..250000 人次 (``multiplier``
  records what was applied). A multiplier in front of 元 stays in the money unit (``13.5万元``
  is 13.5 with unit ``万元``), and a bare ``万`` after a number stays the unit ``万`` (the seed
  reads it as 万元), so money always converts through the seed;
* dates: ``2025年11月底`` -> 2025-11-30, ``2025年12月前`` -> 2025-12-31 (end of the month named),
  ``2025 年底`` / ``2025年`` -> 2025-12-31; ``date_rule`` says which reading was used.

Comparators: signs (``≥ ≤ > < =``, full-width ``＞ ＜ ＝``, ``≧ ≦``, ASCII ``>= <=``, the OCR'd
``《``/``》`` for ``≤``/``≥``) and words (``大于等于``, ``不低于``, ``不少于``, ``以上`` … ``>=``;
``小于等于``, ``不超过``, ``不高于``, ``以下``, ``以内`` … ``<=``; ``小于``, ``低于`` ``<``; ``大于``,
``高于``, ``超过`` ``>``). A value without one is exact (``=``); ``a-b`` is a ``range``.
Deadlines (``前``, ``之前``, ``底``) are ``<=``; a date printed to the day without a marker is
``=``; a year or month without a marker (``2025年``, ``2025年12月``) means "within that
period", so it is ``<=`` its last day.

Lexical kinds: ``number`` (a quantity with or without unit; its meaning comes from the unit
seed), ``percent``, ``date``, ``placeholder`` (``***户``, ``**%``), ``not_applicable`` (``无``),
``empty`` and ``text`` (anything else, e.g. ``持续提升``). A range is a comparator, not a
kind, so a range of percents stays a percent.

Numbers are read by ``ingest.numbers.read_number`` (the funding cells use the same reader):
full-width digits, thousands commas, a leading sign (``－５０`` is -50: what a negative value
means is the models' decision). A number that cannot be trusted is never read as another
number: ``exponent_notation`` (``≥1e3次``), ``not_a_number`` (``NaN%``) and
``number_out_of_range`` (more than 18 integer or 6 decimal digits, also after a count
multiplier) leave ``low``/``high`` None and add the code to ``notes``; the kind stays what the
rest of the printing says (``≥1e3次`` is a ``number``, ``NaN%`` a ``percent``). A bare ``NaN`` /
``∞`` / ``#N/A`` says nothing about the kind, so it is ``text`` noted ``not_a_number``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ingest.memo import text_cache
from ingest.numbers import NOT_A_NUMBER, NUMBER_OUT_OF_RANGE, NUMBER_TOKEN, fits_raw_decimal, read_number

__all__ = ["TargetLexeme", "lex_target", "normalise"]


@dataclass(frozen=True)
class TargetLexeme:
    kind: str  # number | percent | date | placeholder | not_applicable | empty | text
    comparator: str | None = None  # >= | <= | = | > | < | range
    low: Decimal | None = None  # lower bound / exact value, count multipliers applied
    high: Decimal | None = None  # upper bound / exact value
    multiplier: int | None = None  # 千/万/亿 applied to low/high (counts only)
    unit_printed: str | None = None  # whole unit as printed (folded), e.g. 万元/家, 个月, %
    unit_base: str | None = None  # the unit before the denominator: 万元
    unit_per: str | None = None  # the denominator of a per-unit amount: 家 (also 每期… -> 期)
    date: str | None = None  # ISO date for date targets
    date_rule: str | None = None  # how the date was read (day, day_deadline, month_end …)
    comparator_printed: str | None = None  # the sign or word as printed: ≥, 《, 以上, 不超过 …
    qualifier: str | None = None  # leading words kept apart: 完成率, 全区…C级以下
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_quantified(self) -> bool:
        if self.kind == "date":
            return self.date is not None
        return self.kind in ("number", "percent") and (self.low is not None or self.high is not None)


# --------------------------------------------------------------------------- normalising

_TAG = re.compile(r"</?\s*[a-zA-Z][a-zA-Z0-9]*\s*/?>")
_SIGN_MAP = {
    "≧": "≥",
    "⩾": "≥",
    "≦": "≤",
    "⩽": "≤",
    "《": "≤",
    "》": "≥",  # OCR of ≤ / ≥ in the PDFs (《24万元 is printed ≤24万元)
    "〈": "<",
    "〉": ">",
    "～": "~",
    "〜": "~",
    "—": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "－": "-",
    "。": "",
    "；": "",
    ";": "",
}
_OCR_SIGNS = {"《": "≤", "》": "≥"}
# Unit signs NFKC would turn into a letter and a digit (㎡ -> m2, ㎥ -> m3), which no unit can be:
# kept as printed, they are units (seeds/units.csv maps them).
_KEPT_UNIT_SIGNS = "㎡㎥"
_KEPT_SPLIT = re.compile(f"([{_KEPT_UNIT_SIGNS}])")


def normalise(text: str) -> str:
    """Fold width (NFKC, except the unit signs ``_KEPT_UNIT_SIGNS``), drop tags and all whitespace,
    unify sign variants."""
    s = _TAG.sub("", text or "")
    s = "".join(
        part if part and part in _KEPT_UNIT_SIGNS else unicodedata.normalize("NFKC", part)
        for part in _KEPT_SPLIT.split(s)
    )
    s = re.sub(r"\s+", "", s)
    s = s.replace(">=", "≥").replace("=>", "≥").replace("<=", "≤").replace("=<", "≤")
    s = "".join(_SIGN_MAP.get(ch, ch) for ch in s)
    return s.rstrip(".,，、")


# --------------------------------------------------------------------------- vocabulary

_NOT_APPLICABLE = {"无", "不适用", "不涉及", "/", "-", "--", "---", "N/A", "n/a", "NA"}
_PLACEHOLDER = re.compile(r"[*＊]+|[Xx×]{2,}|△{2,}|□{2,}")

# Prefix words -> comparator (longest first); suffix words after the number.
_PREFIX_WORDS = [
    ("大于或等于", ">="),
    ("大于等于", ">="),
    ("不小于", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("高于或等于", ">="),
    ("至少", ">="),
    ("小于或等于", "<="),
    ("小于等于", "<="),
    ("不大于", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("低于或等于", "<="),
    ("最多", "<="),
    ("控制在", "<="),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("少于", "<"),
    ("等于", "="),
]
_SUFFIX_WORDS = [
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
]
_SIGNS = {"≥": ">=", "≤": "<=", ">": ">", "<": "<", "=": "="}

# A number-shaped token (ingest.numbers): sign, digits, thousands commas, and the forms read
# only to be flagged (an exponent, NaN / ∞ / #N/A).
_NUM = NUMBER_TOKEN
_MULT = {"千": 1000, "万": 10000, "亿": 100000000}
# A unit: % / ‰, or a short run of CJK / Latin letters / parentheses / slashes.
_UNIT = rf"(?:%|‰|[\u4e00-\u9fffA-Za-z()/·{_KEPT_UNIT_SIGNS}]{{1,12}})"
_QTY = re.compile(rf"^(?P<num>{_NUM})(?P<mult>[千万亿])?(?P<unit>{_UNIT})?$")
_RANGE_SEP = re.compile(r"^(?P<a>.+?)(?:-|~|至|到)(?P<b>.+)$")
_RATE_QUALIFIER = re.compile(r"^(?P<q>[\u4e00-\u9fff]{1,8}率)(?P<rest>[≥≤<>=]?\d.*)$")
_PER_PREFIX = re.compile(
    r"^每(?P<per>[\u4e00-\u9fff]{1,3}?)(?=[≥≤<>=]|\d|"
    + "|".join(re.escape(w) for w, _ in _PREFIX_WORDS)
    + ")"
)
_TRAILING_COMPARISON = re.compile(rf"^(?P<q>.+?)(?P<rest>[≥≤<>]=?(?:{_NUM}).*)$")


def _clean_decimal(d: Decimal) -> Decimal:
    """Strip trailing zeros without going to exponent notation (250000, not 2.5E+5)."""
    n = d.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


# --------------------------------------------------------------------------- dates

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DEADLINE = r"(?P<dl>前|之前|以前|止|为止)?"
_DATE_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_YEAR}[/.-](?P<m>\d{{1,2}})[/.-](?P<d>\d{{1,2}})日?{_DEADLINE}$"), "day"),
    (re.compile(rf"^{_YEAR}年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]?{_DEADLINE}$"), "day"),
    (re.compile(rf"^{_YEAR}年(?P<m>\d{{1,2}})月(?P<xun>上旬|中旬|下旬){_DEADLINE}$"), "xun"),
    (re.compile(rf"^{_YEAR}年(?P<m>\d{{1,2}})月(?P<end>底|末|份)?{_DEADLINE}$"), "month"),
    (re.compile(rf"^{_YEAR}年(?:第)?(?P<q>[一二三四1-4])季度(?P<end>末|底)?{_DEADLINE}$"), "quarter"),
    (re.compile(rf"^{_YEAR}[/-](?P<m>\d{{1,2}}){_DEADLINE}$"), "month"),
    (re.compile(rf"^{_YEAR}年(?P<end>年底|年末|底|末|度|内|全年)?{_DEADLINE}$"), "year"),
    # No year printed: the fiscal year is the default (``11月底前完成建设``).
    (re.compile(rf"^(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]{_DEADLINE}(?P<rest>.*)$"), "day"),
    (re.compile(r"^(?P<m>\d{1,2})月(?P<end>底|末)?(?P<dl>前|之前|以前)?(?P<rest>.*)$"), "month"),
    (re.compile(r"^(?P<end>年底|年末|年内)(?P<dl>前|之前|以前)?(?P<rest>.*)$"), "year"),
]
_DATE_PREFIX = re.compile(r"^(?:于|在|截至|截止|截止到|截止于|预计|计划)")
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _lex_date(s: str, default_year: int | None) -> TargetLexeme | None:
    s = _DATE_PREFIX.sub("", s)
    for pattern, form in _DATE_FORMS:
        m = pattern.match(s)
        if not m:
            continue
        g = m.groupdict()
        rest = g.get("rest") or ""
        # Trailing words are allowed only after a deadline marker (``11月底前完成建设``).
        if rest and not (g.get("dl") or g.get("end") in ("底", "末", "年底", "年末")):
            return None
        year = int(g["y"]) if g.get("y") else default_year
        notes: list[str] = []
        if not g.get("y"):
            notes.append("year_from_fiscal_year" if year is not None else "year_missing")
        if rest:
            notes.append(f"trailing_text:{rest}")
        deadline = bool(g.get("dl"))
        end = g.get("end")
        try:
            if form == "day":
                y = year if year is not None else 2000
                d = date(y, int(g["m"]), int(g["d"]))
                rule = "day_deadline" if deadline else "day"
                comparator = "<=" if deadline else "="
            elif form == "xun":
                y = year if year is not None else 2000
                month = int(g["m"])
                day = {"上旬": 10, "中旬": 20}.get(g["xun"]) or calendar.monthrange(y, month)[1]
                d = date(y, month, day)
                rule, comparator = "xun_end", "<="
            elif form == "month":
                y = year if year is not None else 2000
                month = int(g["m"])
                d = date(y, month, calendar.monthrange(y, month)[1])
                if end in ("底", "末"):
                    rule = "month_end"
                elif deadline:
                    rule = "month_before"  # 2025年12月前 -> 12-31, as printed tables mean it
                else:
                    rule = "month"
                comparator = "<="
            elif form == "quarter":
                y = year if year is not None else 2000
                month = 3 * _QUARTER[g["q"]]
                d = date(y, month, calendar.monthrange(y, month)[1])
                rule, comparator = "quarter_end", "<="
            else:  # year
                y = year if year is not None else 2000
                d = date(y, 12, 31)
                rule = "year_end" if end in ("底", "末", "年底", "年末") or deadline else "year"
                comparator = "<="
        except ValueError:
            return TargetLexeme("text", notes=("invalid_date",))
        marker = g.get("dl") or (end if end in ("底", "末", "年底", "年末") else None)
        return TargetLexeme(
            "date",
            comparator=comparator,
            date=d.isoformat() if year is not None else None,
            date_rule=rule,
            comparator_printed=marker,
            notes=tuple(notes),
        )
    return None


# --------------------------------------------------------------------------- quantities


@dataclass
class _Qty:
    value: Decimal | None  # None when the number has a problem
    mult: str | None
    unit: str | None
    problem: str | None = None  # an ingest.numbers code: exponent_notation, not_a_number …


def _split_qty(s: str) -> _Qty | None:
    m = _QTY.match(s)
    if not m:
        return None
    number = read_number(m.group("num"))
    if number.value is None and number.problem is None:  # pragma: no cover - _QTY lets only numbers through
        return None
    return _Qty(number.value, m.group("mult"), m.group("unit"), number.problem)


def _resolve(q: _Qty) -> tuple[Decimal | None, str | None, int | None, str | None]:
    """Apply a count multiplier; keep money multipliers in the unit (万元, bare 万).

    Returns (value, unit, factor, problem): a value the multiplier pushes past what the raw
    tables hold is ``number_out_of_range``, never a rounded or wrapped number.
    """
    if q.mult is None:
        return q.value, q.unit, None, q.problem
    unit = q.unit or ""
    if unit == "" or unit.startswith("元") or unit.startswith("/"):
        return q.value, q.mult + unit, None, q.problem  # 万元, 千元, 亿元, bare 万, 万/家
    factor = _MULT[q.mult]
    if q.value is None:
        return None, unit, factor, q.problem
    value = q.value * factor
    if not fits_raw_decimal(value):
        return None, unit, factor, NUMBER_OUT_OF_RANGE
    return value, unit, factor, None


def _split_unit(unit: str | None, per: str | None) -> tuple[str | None, str | None, str | None]:
    """(unit_printed, unit_base, unit_per): 万元/家 -> (万元/家, 万元, 家)."""
    if unit is None:
        return (None, None, per) if per is None else (f"/{per}", None, per)
    if per is not None:
        return f"{unit}/{per}", unit, per
    if "/" in unit:
        base, _, denom = unit.partition("/")
        return unit, base or None, denom or None
    return unit, unit, None


def _strip_comparator(s: str) -> tuple[str | None, str | None, str]:
    """Leading sign or word -> (comparator, printed, rest)."""
    if s and s[0] in _SIGNS:
        sign = s[0]
        rest = s[1:]
        if rest.startswith("="):  # ≥= / >= written loosely
            rest = rest[1:]
            sign = {"<": "≤", ">": "≥"}.get(sign, sign)
        return _SIGNS[sign], sign, rest
    for word, comp in _PREFIX_WORDS:
        if s.startswith(word):
            return comp, word, s[len(word) :]
    return None, None, s


def _strip_suffix(s: str) -> tuple[str | None, str | None, str]:
    for word, comp in _SUFFIX_WORDS:
        if s.endswith(word) and len(s) > len(word):
            return comp, word, s[: -len(word)]
    return None, None, s


def _lex_quantity(s: str, per: str | None) -> TargetLexeme | None:
    comp, printed, body = _strip_comparator(s)
    suffix_comp, suffix_printed, body = _strip_suffix(body)
    if comp and suffix_comp and comp != suffix_comp:
        return None
    comp = comp or suffix_comp
    printed = printed or suffix_printed
    if not body:
        return None

    single = _split_qty(body)
    if single is not None:
        if single.problem == NOT_A_NUMBER and comp is None and single.unit is None and single.mult is None:
            return None  # a bare NaN / #N/A says nothing about the kind of value: text
        value, unit, factor, problem = _resolve(single)
        unit_printed, base, per_unit = _split_unit(unit, per)
        comparator = comp or "="
        low = value if comparator in (">=", ">", "=") else None
        high = value if comparator in ("<=", "<", "=") else None
        lexeme = _quantity_lexeme(comparator, low, high, factor, unit_printed, base, per_unit, printed)
        return _flagged(lexeme, problem)

    if comp is not None:
        return None  # a comparator in front of a range is not a form we know
    rm = _RANGE_SEP.match(body)
    if not rm:
        return None
    a, b = _split_qty(rm.group("a")), _split_qty(rm.group("b"))
    if a is None or b is None:
        return None
    if a.unit is None and a.mult is None:
        a.mult, a.unit = b.mult, b.unit
    elif a.unit is None:
        a.unit = b.unit
    lo, unit_a, fa, problem_a = _resolve(a)
    hi, unit_b, fb, problem_b = _resolve(b)
    problem = problem_a or problem_b
    if problem is not None:
        lo = hi = None  # one bad bound: neither bound is trusted
    if unit_a != unit_b or (lo is not None and hi is not None and lo > hi):
        return None
    unit_printed, base, per_unit = _split_unit(unit_b, per)
    return _flagged(_quantity_lexeme("range", lo, hi, fb or fa, unit_printed, base, per_unit, None), problem)


def _flagged(lexeme: TargetLexeme, problem: str | None) -> TargetLexeme:
    """A quantity whose number has a problem: the kind stays, the bounds are NULL, the code is noted."""
    if problem is None:
        return lexeme
    return replace(lexeme, low=None, high=None, notes=(*lexeme.notes, problem))


def _quantity_lexeme(comparator, low, high, factor, unit_printed, base, per, printed) -> TargetLexeme:
    kind = "percent" if base in ("%", "‰") else "number"
    return TargetLexeme(
        kind,
        comparator=comparator,
        low=None if low is None else _clean_decimal(low),
        high=None if high is None else _clean_decimal(high),
        multiplier=factor,
        unit_printed=unit_printed,
        unit_base=base,
        unit_per=per,
        comparator_printed=printed,
    )


# --------------------------------------------------------------------------- entry point


@text_cache()  # targets recur (100%, ≥95%, 12月底前 …); a TargetLexeme is frozen
def lex_target(text: str | None, default_year: int | None = None) -> TargetLexeme:
    """Read a printed target. ``default_year`` (the fiscal year) dates ``11月底前`` forms."""
    raw = text or ""
    s = normalise(raw)
    if not s:
        return TargetLexeme("empty")
    if s in _NOT_APPLICABLE:
        return TargetLexeme("not_applicable")
    if _PLACEHOLDER.search(s):
        return TargetLexeme("placeholder")

    notes: list[str] = []
    ocr_printed: str | None = None
    folded_raw = unicodedata.normalize("NFKC", _TAG.sub("", raw))
    for ocr, sign in _OCR_SIGNS.items():
        if ocr in folded_raw:
            notes.append(f"ocr_sign:{ocr}->{sign}")
            ocr_printed = ocr

    dated = _lex_date(s, default_year)
    if dated is not None:
        return _with(dated, notes=tuple(notes) + dated.notes)

    lexeme = _lex_quantity(s, None)
    if lexeme is not None:
        return _with(lexeme, ocr_printed, notes=(*notes, *lexeme.notes))

    # 每期≤1万元: a per-unit amount with the denominator in front.
    pm = _PER_PREFIX.match(s)
    if pm:
        lexeme = _lex_quantity(s[len("每") + len(pm.group("per")) :], pm.group("per"))
        if lexeme is not None:
            return _with(lexeme, ocr_printed, notes=(*notes, *lexeme.notes))

    # 完成率100% / 合格率≥95%: a rate name in front of the number.
    rq = _RATE_QUALIFIER.match(s)
    if rq:
        lexeme = _lex_quantity(rq.group("rest"), None)
        if lexeme is not None:
            return _with(lexeme, ocr_printed, qualifier=rq.group("q"), notes=(*notes, *lexeme.notes))

    # 全区化工园区风险等级C级以下≥90%: words, then a signed comparison to the end.
    tq = _TRAILING_COMPARISON.match(s)
    if tq and not re.search(r"\d", tq.group("q")[-1:]):
        lexeme = _lex_quantity(tq.group("rest"), None)
        if lexeme is not None:
            return _with(lexeme, ocr_printed, qualifier=tq.group("q"), notes=(*notes, *lexeme.notes))

    if read_number(s).problem == NOT_A_NUMBER:
        notes.append(NOT_A_NUMBER)  # NaN, ∞, #N/A where a value should be: text, flagged
    return TargetLexeme("text", notes=tuple(notes))


def _with(lexeme: TargetLexeme, ocr_printed: str | None = None, **changes) -> TargetLexeme:
    if ocr_printed and lexeme.comparator_printed == _OCR_SIGNS[ocr_printed]:
        changes["comparator_printed"] = ocr_printed
    return replace(lexeme, **changes)


# Excel's day 0 for date serials (44,561 = 2021-12-31); a serial is only read as one when the
# reader says the cell is one (a timeliness row whose number and unit cells both print it).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20_000, 80_000)  # 1954-10 .. 2119-01


def as_excel_serial(lexeme: TargetLexeme) -> TargetLexeme:
    """A bare number read as an Excel date serial: the date derived beside the printed text."""
    low = lexeme.low
    if lexeme.kind != "number" or low is None or low != lexeme.high or low != low.to_integral_value():
        return lexeme
    if not _SERIAL_RANGE[0] <= low <= _SERIAL_RANGE[1]:
        return lexeme
    day = _EXCEL_EPOCH.toordinal() + int(low)
    return replace(
        lexeme,
        kind="date",
        low=None,
        high=None,
        date=date.fromordinal(day).isoformat(),
        date_rule="excel_serial",
        notes=(*lexeme.notes, "excel_date_serial"),
    )
