"""Funding cells: read with the targets' number reader, kept as printed, flagged, never cast-failing."""

from __future__ import annotations

from decimal import Decimal as D

import pyarrow as pa
import pytest

from ingest.funding import FundingCell, read_funding_cell
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.schema import RAW_FUNDING_CELLS
from tests.conftest import SAMPLES, sample_text

FIFTEEN = "123456789012345"
TWENTY_FIVE = "1234567890123456789012345"


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("13.49", FundingCell(D("13.49"))),
        ("0", FundingCell(D(0))),
        ("1e3", FundingCell(None, None, "exponent_notation")),  # not 1000, and never 10,000,000 yuan
        (FIFTEEN, FundingCell(D(FIFTEEN))),  # 15 digits fit DECIMAL(24,6): read, not lost
        (TWENTY_FIVE, FundingCell(None, None, "number_out_of_range")),
        ("-5", FundingCell(D(-5))),  # negative money is read; the models flag it
        ("1,234.50", FundingCell(D("1234.50"))),
        ("１，２３４", FundingCell(D(1234))),
        ("90万元", FundingCell(D(90), "万元")),
        ("900000元", FundingCell(D(900000), "元")),
        ("30 万", FundingCell(D(30), "万")),
        ("1e3万元", FundingCell(None, "万元", "exponent_notation")),
        ("NaN", FundingCell(None, None, "not_a_number")),
        ("#DIV/0!", FundingCell(None, None, "not_a_number")),
        ("详见附件", FundingCell(None, None, "not_number")),
        ("十三万", FundingCell(None, None, "not_number")),  # a Chinese numeral: no unit split off
        ("13,49", FundingCell(None, None, "not_number")),
        ("万元", FundingCell(None, None, "not_number")),
        ("", FundingCell(None, None, "blank")),
    ],
)
def test_read_funding_cell(printed, expected):
    assert read_funding_cell(printed) == expected


def _funding_rows(printed: str) -> list[dict]:
    """pingluo with its first 年度资金总额 (line 10, 13.49) printed as ``printed``."""
    text = sample_text("pingluo").replace("年度资金总额:\t13.49", f"年度资金总额:\t{printed}", 1)
    parsed = parse_document(text, SAMPLES["pingluo"], "p")
    records = to_records(parsed, sha256="", byte_size=0, encoding="utf-8")
    pa.Table.from_pylist(records["raw_funding_cells"], schema=RAW_FUNDING_CELLS)  # the cast never fails
    return records["raw_funding_cells"]


@pytest.mark.parametrize(
    "printed, amount, problem",
    [
        ("1e3", None, "exponent_notation"),
        (FIFTEEN, D(FIFTEEN), None),
        (TWENTY_FIVE, None, "number_out_of_range"),
        ("-5", D(-5), None),
        ("1,234.50", D("1234.5"), None),
    ],
)
def test_a_sample_with_one_bad_funding_cell(printed, amount, problem):
    rows = _funding_rows(printed)
    cell = next(r for r in rows if r["project_seq"] == 1 and r["field"] == "annual_total")
    assert (cell["printed"], cell["amount"], cell["problem"], cell["source_line"]) == (
        printed,
        amount,
        problem,
        10,
    )
    assert cell["label_printed"] == "年度资金总额"  # printed 年度资金总额: (colon kept off)
    base = _funding_rows("13.49")
    assert [r for r in rows if r is not cell] == [
        r for r in base if (r["project_seq"], r["field"]) != (1, "annual_total")
    ]


def test_funding_problems_do_not_change_the_projects():
    """The same 8 projects and 77 rows, whatever the cell says."""
    for printed in ("1e3", TWENTY_FIVE, "-5", "详见附件"):
        text = sample_text("pingluo").replace("年度资金总额:\t13.49", f"年度资金总额:\t{printed}", 1)
        parsed = parse_document(text, SAMPLES["pingluo"], "p")
        assert (len(parsed.projects), len(parsed.indicators)) == (8, 77)
        assert parsed.projects[0].funding_printed["annual_total"] == printed  # raw_projects as printed


@pytest.mark.parametrize(
    "printed, why",
    [("1e3", "是科学计数法"), (TWENTY_FIVE, "位数过多（超过 18 位整数或 6 位小数）")],
)
def test_exponent_and_overlong_funding_cells_are_reported(printed, why):
    text = sample_text("pingluo").replace("年度资金总额:\t13.49", f"年度资金总额:\t{printed}", 1)
    issues = [
        i for i in parse_document(text, SAMPLES["pingluo"], "p").issues if i.code == "funding_not_number"
    ]
    assert [(i.line, i.message[: len(f"“年度资金总额”的值「{printed}」{why}")]) for i in issues] == [
        (10, f"“年度资金总额”的值「{printed}」{why}")
    ]
