"""Document facts: region, administrative level, publication date, fiscal year (pure)."""

from __future__ import annotations

import pytest

from ingest.divisions import level_cue, read_publisher
from ingest.document import fiscal_year_of, publication_date, publisher_name
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
def test_region_is_the_division(publisher, region):
    division = read_publisher(publisher).division
    assert (division.name if division else None) == region


@pytest.mark.parametrize(
    "cues, transfer, level",
    [
        ("2025年自治区本级部门项目支出预算绩效目标表", "转移市县（区）资金", "province"),
        ("2025年省本级部门项目支出预算绩效目标表", None, "province"),
        ("2025年市本级部门项目支出预算绩效目标表", None, "city"),
        ("", "转移县（区）资金", "city"),
        ("2025年县本级部门项目支出预算绩效目标表", None, "county"),
        ("部门项目支出预算绩效目标表", None, None),
    ],
)
def test_level_cue(cues, transfer, level):
    assert level_cue(cues, transfer) == level


@pytest.mark.parametrize(
    "title, publisher",
    [
        ("附件 2：平罗县应急管理局项目支出预算绩效目标表", "平罗县应急管理局"),
        ("# 宁夏回族自治区应急管理厅 2025 年 自治区本级部门项目支出预算绩效目标", "宁夏回族自治区应急管理厅"),
        ("平罗县人力资源和社会保障局2025年项目支出预算绩效目标表", "平罗县人力资源和社会保障局"),
        ("平罗县城市管理综合执法局项目支出绩效目标表", "平罗县城市管理综合执法局"),
        ("2025年石嘴山市市场监督管理局部门预算项目支出绩效目标表", "石嘴山市市场监督管理局"),
        ("平罗县城关镇人民政府2025年项目支出绩效目标表", "平罗县城关镇人民政府"),
        ("2025年自治区本级部门项目支出预算绩效目标表", None),
    ],
)
def test_publisher_name_from_title(title, publisher):
    assert publisher_name(title) == publisher


def test_publication_date_from_cover():
    lines = to_lines("# 标题\n\n自治区应急管理厅\n\n2025 年 2 月 21 日\n")
    assert publication_date(lines) == ("2025 年 2 月 21 日", "2025-02-21", 5)


def test_no_publication_date():
    assert publication_date(to_lines("附件 2：平罗县应急管理局项目支出预算绩效目标表\n")) == (
        None,
        None,
        None,
    )


def test_fiscal_year_most_common():
    assert fiscal_year_of(["( 2025 年度)", "（2025年度）", "对2024年确认的企业"]) == 2025
    assert fiscal_year_of(["no year"]) is None
