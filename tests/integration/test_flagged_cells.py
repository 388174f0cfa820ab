"""Through land_document: a bad cell is a flagged cell, an unknown column holds the document back."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from ingest.writer import document_rows
from jixiao.landing import DocumentOutcome, land_document
from jixiao.registry import document_id_for
from tests.conftest import sample_text

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"


def land(lake: Path, name: str, data: bytes) -> DocumentOutcome:
    return land_document(Path(name), data, document_id_for(data), lake)


def landed(lake: Path, table: str, data: bytes) -> list[dict]:
    return document_rows(lake, table, document_id_for(data)).to_pylist()


def test_a_weight_column_lands_as_the_weight_never_as_the_target(tmp_path):
    data = (WILD / "wuhai_2021_weight_column.txt").read_bytes()
    outcome = land(tmp_path / "lake", "wuhai.txt", data)
    assert (outcome.status, outcome.reason_code) == ("loaded_with_warnings", "column_header_mismatch")
    rows = {r["source_line"]: r for r in landed(tmp_path / "lake", "raw_indicators", data)}
    # line 14: 出差人数 正向 = 8 (no unit) 4 — the 4 is the 分值
    assert (rows[14]["target_text"], rows[14]["weight_printed"], rows[14]["direction_printed"]) == (
        "=8",
        "4",
        "正向",
    )


def test_bad_funding_and_target_cells_land_flagged(tmp_path):
    lake = tmp_path / "lake"
    lines = sample_text("pingluo").split("\n")
    lines[9] = lines[9].replace("13.49", "1e3")  # 年度资金总额 (line 10)
    lines[10] = lines[10].replace("13.49", "1" * 25)  # 其中: 财政拨款 (line 11)
    lines[18] = lines[18].replace("98856元", "1" * 19 + "元")  # a target (line 19)
    data = "\n".join(lines).encode()
    outcome = land(lake, "bad.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "funding_not_number"
    cells = {(r["project_seq"], r["field"]): r for r in landed(lake, "raw_funding_cells", data)}
    assert (cells[1, "annual_total"]["amount"], cells[1, "annual_total"]["problem"]) == (
        None,
        "exponent_notation",
    )
    assert (cells[1, "fiscal_appropriation"]["amount"], cells[1, "fiscal_appropriation"]["problem"]) == (
        None,
        "number_out_of_range",
    )
    assert (cells[2, "annual_total"]["amount"], cells[2, "annual_total"]["printed"]) == (D(36), "36")
    assert outcome.rows["raw_funding_cells"] == 24
    target = next(r for r in landed(lake, "raw_indicators", data) if r["source_line"] == 19)
    assert (target["lex_low"], target["lex_notes"]) == (None, ["number_out_of_range"])
    project = landed(lake, "raw_projects", data)[0]
    assert (project["annual_total_printed"], project["fiscal_appropriation_printed"]) == ("1e3", "1" * 25)
