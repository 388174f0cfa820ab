"""The one number reader: a printed number -> an exact Decimal, or the reason it is not one (pure).

Targets (``ingest.values``) and funding cells (``ingest.funding``) read their numbers here, so
a number means the same wherever it is printed. Accepted: half- and full-width digits
(``０-９``, ``．``), a leading sign (negative numbers are read: what a negative amount means
is the models' decision), thousands separators in groups of three (``1,234.5``, ``1，234``,
``1 234``), any number of printed decimals.

A number with a problem has ``value`` None and one of these codes (the rule catalogue keys
on them):

* ``exponent_notation``: ``1e3``, ``1E-2``, ``1.5e+3`` (a spreadsheet's float, never what a
  budget table prints; DuckDB's ``try_cast`` would read ``1e3`` as 1000);
* ``not_a_number``: ``NaN``, ``∞``, ``inf``, ``Infinity``, ``#N/A``, ``#DIV/0!`` and the other
  spreadsheet error values;
* ``number_out_of_range``: does not fit the raw tables' DECIMAL(24, 6) exactly: more than
  ``MAX_INTEGER_DIGITS`` integer digits, or more than ``MAX_DECIMALS`` significant decimals.

Text that is not number-shaped at all gives ``not_number`` (``blank`` when empty): callers
that first pick a number-shaped token out of a cell (the target lexer) never see those.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ingest.memo import text_cache

__all__ = [
    "BLANK",
    "EXPONENT_NOTATION",
    "MAX_DECIMALS",
    "MAX_INTEGER_DIGITS",
    "NOT_A_NUMBER",
    "NOT_NUMBER",
    "NUMBER_OUT_OF_RANGE",
    "NUMBER_TOKEN",
    "NumberRead",
    "fits_raw_decimal",
    "read_number",
]

MAX_INTEGER_DIGITS = 18  # DECIMAL(24, 6): 18 integer digits ...
MAX_DECIMALS = 6  # ... and 6 decimals

EXPONENT_NOTATION = "exponent_notation"
NOT_A_NUMBER = "not_a_number"
NUMBER_OUT_OF_RANGE = "number_out_of_range"
NOT_NUMBER = "not_number"
BLANK = "blank"

# Spreadsheet values that stand where a number should be (matched case-insensitively).
_NAN = r"nan|infinity|inf|∞|#n/a|#div/0!|#value!|#ref!|#num!|#name\?|#null!"
_DIGITS = r"\d+(?:\.\d*)?|\.\d+"
_GROUPED = r"\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d{1,3}(?: \d{3})+(?:\.\d*)?"
# A number-shaped token, for callers that find numbers inside a longer cell (the target
# lexer): sign, digits (grouped or not), an optional exponent, or a not-a-number value.
NUMBER_TOKEN = rf"[+-]?(?:(?:\d+(?:,\d{{3}})*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|(?i:{_NAN})(?![A-Za-z]))"

_SIGNED = re.compile(rf"^(?P<sign>[+-]?) ?(?P<body>{_GROUPED}|{_DIGITS})(?P<exp>[eE][+-]?\d+)?$")
_NAN_ONLY = re.compile(rf"^[+-]?(?:{_NAN})$", re.IGNORECASE)
_MINUS = str.maketrans({"−": "-", "－": "-", "﹣": "-", "‐": "-", "‑": "-"})
_RAW_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS
_RAW_SCALE = Decimal(1).scaleb(-MAX_DECIMALS)


@dataclass(frozen=True)
class NumberRead:
    """What a printed number says: its exact value, or why it has none."""

    value: Decimal | None
    problem: str | None = None
    # What was folded away to read it: full_width, thousands_separator, plus_sign.
    stripped: tuple[str, ...] = ()


def _fold(text: str) -> tuple[str, bool]:
    folded = unicodedata.normalize("NFKC", text).translate(_MINUS)
    folded = re.sub(r"\s+", " ", folded).strip()
    return folded, folded != re.sub(r"\s+", " ", text).strip()


def fits_raw_decimal(value: Decimal) -> bool:
    """Whether ``value`` is stored exactly by DECIMAL(24, 6)."""
    if not value.is_finite():
        return False
    return abs(value) < _RAW_LIMIT and value == value.quantize(_RAW_SCALE, rounding="ROUND_DOWN")


@text_cache()  # the same cells and tokens recur; a NumberRead is frozen
def read_number(text: str) -> NumberRead:
    """Read a whole cell (or token) as one number; never raises."""
    folded, widened = _fold(text or "")
    stripped = ("full_width",) if widened else ()
    if not folded:
        return NumberRead(None, BLANK)
    if _NAN_ONLY.match(folded):
        return NumberRead(None, NOT_A_NUMBER, stripped)
    m = _SIGNED.match(folded)
    if not m:
        return NumberRead(None, NOT_NUMBER, stripped)
    if m.group("exp"):
        return NumberRead(None, EXPONENT_NOTATION, stripped)
    body = m.group("body")
    if "," in body or " " in body:
        stripped += ("thousands_separator",)
        body = body.replace(",", "").replace(" ", "")
    if m.group("sign") == "+":
        stripped += ("plus_sign",)
    try:
        value = Decimal(m.group("sign") + body)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return NumberRead(None, NOT_NUMBER, stripped)
    if not fits_raw_decimal(value):
        return NumberRead(None, NUMBER_OUT_OF_RANGE, stripped)
    return NumberRead(value, None, stripped)
