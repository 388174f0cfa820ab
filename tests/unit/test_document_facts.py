"""Document facts: region, administrative level, publication date, fiscal year (pure)."""

from __future__ import annotations

import pytest

from ingest.document import admin_level_of, fiscal_year_of, publication_date, region_of
from ingest.tables import to_lines


@pytest.mark.parametrize(
    "publisher, region",
    [
        ("平罗县应急管理局", "平罗县"),
        ("宁夏回族自治区应急管理厅", "宁夏回族自治区"),
        ("石嘴山市应急管理局", "石嘴山市"),
        ("甘肃省财政厅", "甘肃省"),
        (None, None),
    ],
)
def test_region_of(publisher, region):
    assert region_of(publisher) == region


@pytest.mark.parametrize(
    "region, cues, transfer, level",
    [
        ("宁夏回族自治区", "2025年自治区本级部门项目支出预算绩效目标表", "转移市县（区）资金", "province"),
        ("甘肃省", "", None, "province"),
        ("北京市", "", None, "province"),
        ("石嘴山市", "2025年市本级部门项目支出预算绩效目标表", None, "city"),
        ("银川市", "", "转移县（区）资金", "city"),
        ("平罗县", "部门项目支出预算绩效目标表", None, "county"),
        ("阿拉善左旗", "", None, "county"),
        ("大武口区", "", None, "county"),
    ],
)
def test_admin_level(region, cues, transfer, level):
    assert admin_level_of(region, cues, transfer) == level


def test_publication_date_from_cover():
    lines = to_lines("# 标题\n\n自治区应急管理厅\n\n2025 年 2 月 21 日\n")
    assert publication_date(lines) == ("2025 年 2 月 21 日", "2025-02-21", 5)


def test_no_publication_date():
    assert publication_date(to_lines("附件 2：平罗县应急管理局项目支出预算绩效目标表\n")) == (None, None, None)


def test_fiscal_year_most_common():
    assert fiscal_year_of(["( 2025 年度)", "（2025年度）", "对2024年确认的企业"]) == 2025
    assert fiscal_year_of(["no year"]) is None
