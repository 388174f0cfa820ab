"""The pure parts of ``jixiao export``: headers, sheet names, list cells, which columns a sheet shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.export import (
    EXCEL_SHEET_NAME_MAX,
    Column,
    ExportError,
    as_text,
    choose_tables,
    excel_value,
    sheet_name,
    spreadsheet_columns,
    zh_label,
)


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("源文件名。The document's file name.", "源文件名"),
        ("发布单位（如 平罗县应急管理局）。Publishing unit.", "发布单位"),
        ("文档标识：文件内容 SHA-256 的前 16 位。Document id", "文档标识"),
        ("年度资金总额（元）。Annual total in yuan.", "年度资金总额（元）"),
        ("结余结转资金（元，印出为空时为空）。Carry-over.", "结余结转资金"),
        ("二级指标原文（印出，如 时效）。Level 2 as printed.", "二级指标原文"),
        ("Rows per table.", "row_count"),
        ("", "row_count"),
        (None, "row_count"),
    ],
)
def test_zh_label(comment, expected):
    assert zh_label(comment, "row_count") == expected


@given(st.text(max_size=80))
def test_zh_label_is_a_prefix_without_unclosed_brackets(comment):
    label = zh_label(comment, "fallback")
    assert label == "fallback" or label.count("（") + label.count("(") == label.count("）") + label.count(")")


def test_sheet_names_fit_excel():
    assert sheet_name("dim_project") == "dim_project"
    assert sheet_name("mart_funding_by_implementing_unit") == "funding_by_implementing_unit"
    assert len(sheet_name("mart_" + "x" * 60)) == EXCEL_SHEET_NAME_MAX


def test_lists_become_text_joined_like_the_text_twins():
    assert as_text(["时效", "质量"]) == "时效、质量"
    assert as_text([]) == ""
    assert as_text(None) is None
    assert as_text(Decimal("900000.00")) == Decimal("900000.00")  # money stays a number


def test_excel_values():
    aware = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert excel_value(aware) == "2025-01-02T03:04:00+00:00"
    assert excel_value(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)
    assert excel_value(["PLB-04"]) == "PLB-04"


def test_text_twin_is_dropped_only_beside_its_list():
    cols = [
        Column("parse_flags", "VARCHAR[]", None),
        Column("parse_flags_text", "VARCHAR", None),
        Column("target_text", "VARCHAR", None),
    ]
    assert [c.name for c in spreadsheet_columns(cols)] == ["parse_flags", "target_text"]


def test_money_columns():
    assert Column("annual_total_yuan", "DECIMAL(20,2)", None).is_money
    assert Column("own_level_wan", "DECIMAL(20,4)", None).is_money
    assert not Column("indicator_count", "BIGINT", None).is_money


def test_choose_tables():
    available = ["dim_document", "dim_project", "fct_anomaly"]
    assert choose_tables(available, None) == available
    assert choose_tables(available, ["fct_anomaly,dim_project", "fct_anomaly"]) == [
        "fct_anomaly",
        "dim_project",
    ]
    with pytest.raises(ExportError, match="no such table in schema marts: nope"):
        choose_tables(available, ["nope"])
