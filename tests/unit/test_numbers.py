"""read_number: the one number reader for targets and funding cells (expected values by hand)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NumberRead, fits_raw_decimal, read_number

FULL = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")


@pytest.mark.parametrize(
    "text, value",
    [
        ("13.49", D("13.49")),
        ("0", D(0)),
        ("90", D(90)),
        (" 36 ", D(36)),
        (".5", D("0.5")),
        ("5.", D(5)),
        ("1,234.50", D("1234.50")),
        ("1,234", D(1234)),
        ("1，234", D(1234)),  # full-width comma
        ("1 234", D(1234)),
        ("12,345,678.9", D("12345678.9")),
        ("１２３．５", D("123.5")),  # full-width digits and point
        ("-5", D(-5)),  # negative numbers are read: the models decide what they mean
        ("－５０", D(-50)),
        ("−3.5", D("-3.5")),  # U+2212 minus
        ("+7", D(7)),
        ("1.123456", D("1.123456")),
        ("1.5000000", D("1.5")),  # trailing zeros past 6 decimals still fit exactly
        ("9" * 18, D("9" * 18)),
        ("0.000001", D("0.000001")),
    ],
)
def test_numbers_that_read(text, value):
    got = read_number(text)
    assert (got.value, got.problem) == (value, None)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("1e3", "exponent_notation"),
        ("1E-2", "exponent_notation"),
        ("1.5e+3", "exponent_notation"),
        ("１ｅ３", "exponent_notation"),
        ("-2e5", "exponent_notation"),
        ("NaN", "not_a_number"),
        ("nan", "not_a_number"),
        ("∞", "not_a_number"),
        ("-∞", "not_a_number"),
        ("inf", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("#N/A", "not_a_number"),
        ("#DIV/0!", "not_a_number"),
        ("#VALUE!", "not_a_number"),
        ("1" + "0" * 18, "number_out_of_range"),  # 19 integer digits
        ("1" * 25, "number_out_of_range"),
        ("1.1234567", "number_out_of_range"),  # 7 significant decimals
        ("详见附件", "not_number"),
        ("十三万", "not_number"),
        ("13,49", "not_number"),  # a comma that is not a thousands separator: ambiguous
        ("1,2345", "not_number"),
        ("90万元", "not_number"),  # a unit is the caller's business (ingest.funding)
        ("1 2", "not_number"),
        ("", "blank"),
        ("  \u3000", "blank"),
    ],
)
def test_numbers_with_a_problem_have_no_value(text, problem):
    assert read_number(text) == NumberRead(None, problem, read_number(text).stripped)
    assert read_number(text).problem == problem


def test_what_was_stripped_is_said():
    assert read_number("1,234").stripped == ("thousands_separator",)
    assert read_number("１２").stripped == ("full_width",)
    assert read_number("+1").stripped == ("plus_sign",)
    assert read_number("12").stripped == ()


def test_fits_raw_decimal():
    assert fits_raw_decimal(D("999999999999999999.999999"))
    assert not fits_raw_decimal(D("1000000000000000000"))
    assert not fits_raw_decimal(D("0.0000001"))
    assert not fits_raw_decimal(D("NaN"))


# --------------------------------------------------------------------------- properties

fitting = st.decimals(
    min_value=-(D(10) ** MAX_INTEGER_DIGITS) + 1,
    max_value=D(10) ** MAX_INTEGER_DIGITS - 1,
    places=MAX_DECIMALS,
    allow_nan=False,
    allow_infinity=False,
)


def grouped(d: D, sep: str) -> str:
    sign = "-" if d < 0 else ""
    whole, _, frac = format(abs(d), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + sep.join(groups) + (f".{frac}" if frac else "")


@given(fitting, st.sampled_from(["", ",", "，", " "]), st.booleans())
def test_any_fitting_decimal_round_trips(d, sep, full_width):
    text = grouped(d, sep) if sep else format(d, "f")
    if full_width:
        text = text.translate(FULL)
    got = read_number(text)
    assert got.problem is None, text
    assert got.value == d, text


@given(
    st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False),
    st.sampled_from(["e", "E", "ｅ"]),
    st.sampled_from(["", "+", "-"]),
    st.integers(0, 400),
)
def test_anything_with_an_exponent_is_exponent_notation(d, e, sign, exp):
    assert read_number(f"{format(d, 'f')}{e}{sign}{exp}").problem == "exponent_notation"


@given(st.integers(MAX_INTEGER_DIGITS + 1, 40), st.booleans())
def test_too_many_integer_digits_is_out_of_range(n, negative):
    text = ("-" if negative else "") + "7" * n
    assert read_number(text) == NumberRead(None, "number_out_of_range")


@given(st.text())
def test_never_raises_and_a_value_always_fits(text):
    got = read_number(text)
    assert (got.value is None) == (got.problem is not None)
    if got.value is not None:
        assert fits_raw_decimal(got.value)
