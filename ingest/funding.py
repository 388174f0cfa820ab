"""A printed funding cell -> amount, the unit printed in the cell, or the problem (pure).

The amount is read by ``ingest.numbers.read_number`` (the same reader as the targets). A unit
printed in the cell itself (``90万元``, ``900000元``, ``30 万``) is split off and kept in
``unit_printed``; which unit applies (the cell's, the table's ``单位：万元`` line, the
``项目资金（万元）`` label) is the models' decision. Problems:

* ``blank``: the label is printed, the value cell is empty;
* ``not_number``: text that is not a number (``详见附件``, ``十三万``, ``13,49``);
* ``exponent_notation`` / ``not_a_number`` / ``number_out_of_range``: see ``ingest.numbers``.

A unit is only split off after something number-shaped: ``十三万`` is ``not_number`` with no unit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ingest.numbers import BLANK, NOT_NUMBER, read_number

__all__ = ["FundingCell", "read_funding_cell"]

_UNIT = re.compile(r"^(?P<num>.*?)\s*[(（]?\s*(?P<unit>万元|亿元|千元|元|万)\s*[)）]?$")


@dataclass(frozen=True)
class FundingCell:
    amount: Decimal | None
    unit_printed: str | None = None
    problem: str | None = None


def read_funding_cell(printed: str) -> FundingCell:
    """Read one funding cell as printed (tags already stripped); never raises."""
    number = read_number(printed)
    if number.problem != NOT_NUMBER:
        return FundingCell(number.value, None, number.problem)
    m = _UNIT.match(unicodedata.normalize("NFKC", printed).strip())
    if m is None:
        return FundingCell(None, None, NOT_NUMBER)
    rest = read_number(m.group("num"))
    if rest.problem in (NOT_NUMBER, BLANK):
        return FundingCell(None, None, NOT_NUMBER)
    return FundingCell(rest.value, m.group("unit"), rest.problem)
