"""Targets whose number does not fit: kept as printed, NULL bounds, the problem in the notes.

The lexer reads its numbers with ``ingest.numbers.read_number``. A number with a problem keeps
the lexical kind the rest of the printing says (``≥1e3次`` is still a count: kind ``number``,
comparator ``>=``, unit 次) with ``low``/``high`` None and the problem code in ``notes``; a bare
``NaN`` / ``#N/A`` says nothing about the kind of value, so it stays ``text`` (noted
``not_a_number``). Negative numbers are read: their meaning is the models' decision.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ingest.parse import parse_document
from ingest.records import to_records
from ingest.values import lex_target
from tests.conftest import SAMPLES, sample_text

EIGHTEEN = "123456789012345678"


@pytest.mark.parametrize(
    "text, expected",
    [
        # (kind, comparator, low, high, unit_printed, notes)
        ("≥1e3次", ("number", ">=", None, None, "次", ("exponent_notation",))),
        ("1e3", ("number", "=", None, None, None, ("exponent_notation",))),
        ("≤1.5E+2万元", ("number", "<=", None, None, "万元", ("exponent_notation",))),
        ("1E-2%", ("percent", "=", None, None, "%", ("exponent_notation",))),
        ("0-1e3户", ("number", "range", None, None, "户", ("exponent_notation",))),
        ("NaN", ("text", None, None, None, None, ("not_a_number",))),
        ("#N/A", ("text", None, None, None, None, ("not_a_number",))),
        ("∞", ("text", None, None, None, None, ("not_a_number",))),
        ("≥NaN%", ("percent", ">=", None, None, "%", ("not_a_number",))),
        (EIGHTEEN, ("number", "=", D(EIGHTEEN), D(EIGHTEEN), None, ())),  # 18 digits fit DECIMAL(24,6)
        (EIGHTEEN + "9元", ("number", "=", None, None, "元", ("number_out_of_range",))),
        ("1" * 25 + "次", ("number", "=", None, None, "次", ("number_out_of_range",))),
        ("≥1.1234567%", ("percent", ">=", None, None, "%", ("number_out_of_range",))),
        # a count multiplier that pushes 18 digits past what the raw table holds
        (f"≥{EIGHTEEN}万人次", ("number", ">=", None, None, "人次", ("number_out_of_range",))),
        ("－５０", ("number", "=", D(-50), D(-50), None, ())),
        ("-5万元", ("number", "=", D(-5), D(-5), "万元", ())),
        ("≥-2%", ("percent", ">=", D(-2), None, "%", ())),
        ("1,234.5元", ("number", "=", D("1234.5"), D("1234.5"), "元", ())),
        ("１，２３４元", ("number", "=", D(1234), D(1234), "元", ())),
    ],
)
def test_numbers_with_problems_in_targets(text, expected):
    lx = lex_target(text)
    assert (lx.kind, lx.comparator, lx.low, lx.high, lx.unit_printed, lx.notes) == expected
    assert not (lx.notes and lx.is_quantified)  # a flagged number never counts as quantified


def test_ocr_note_and_number_problem_are_both_kept():
    lx = lex_target("《1e3万元")
    assert lx.notes == ("ocr_sign:《->≤", "exponent_notation")
    assert (lx.kind, lx.comparator, lx.high) == ("number", "<=", None)


# --- one target cell of a sample replaced: pingluo line 19 prints 98856元 as its last cell ----


def _landed_row(replacement: str) -> tuple[dict, list[dict], list[dict]]:
    text = sample_text("pingluo")
    lines = text.split("\n")
    assert lines[18].endswith("\t98856元")
    lines[18] = lines[18][: -len("98856元")] + replacement
    base = to_records(parse_document(text, SAMPLES["pingluo"], "p"), sha256="", byte_size=0, encoding="utf-8")
    varied = to_records(
        parse_document("\n".join(lines), SAMPLES["pingluo"], "p"), sha256="", byte_size=0, encoding="utf-8"
    )
    row = next(r for r in varied["raw_indicators"] if r["source_line"] == 19)
    return row, base["raw_indicators"], varied["raw_indicators"]


@pytest.mark.parametrize(
    "printed, kind, low, unit, notes",
    [
        (EIGHTEEN + "元", "number", D(EIGHTEEN), "元", []),
        (EIGHTEEN + "0元", "number", None, "元", ["number_out_of_range"]),
        ("1e3", "number", None, None, ["exponent_notation"]),
        ("1e3元", "number", None, "元", ["exponent_notation"]),
        ("NaN", "text", None, None, ["not_a_number"]),
        ("－５０", "number", D(-50), None, []),
    ],
)
def test_a_sample_with_one_bad_target_cell(printed, kind, low, unit, notes):
    row, base, varied = _landed_row(printed)
    assert row["target_text"] == printed  # kept as printed
    assert (row["lex_kind"], row["lex_low"], row["lex_high"]) == (kind, low, low)
    assert (row["lex_unit_printed"], row["lex_notes"]) == (unit, notes)
    others = [r for r in varied if r["source_line"] != 19]
    assert others == [r for r in base if r["source_line"] != 19]  # nothing else moved
