"""Pure helpers: cells, label keys, header vocabulary, noise lines."""

from __future__ import annotations

import pytest

from ingest.cells import clean_cell, label_key, split_cells
from ingest.header import split_attribute, split_department
from ingest.vocabulary import default_label_map, header_label, is_noise, split_label_value


def test_split_cells_keeps_columns_and_drops_empties():
    cells = split_cells("\t\t<b>质量指标（必填）</b>\t对企业人员实行岗前安全培训\t≥95%\t")
    assert [(c.col, c.text) for c in cells] == [(2, "质量指标（必填）"), (3, "对企业人员实行岗前安全培训"), (4, "≥95%")]


def test_clean_cell_keeps_inner_spaces():
    assert clean_cell("  <b>12 次</b> ") == "12 次"


@pytest.mark.parametrize(
    "printed, key",
    [
        ("数量指标（必填硬性指标）", "数量指标"),
        ("<b>数量指标 (必填硬性指标)</b>", "数量指标"),
        ("经济效益（必填）", "经济效益"),
        ("年度总体 绩效目标", "年度总体绩效目标"),
        ("其中： 本级资金", "本级资金"),
        ("其中:财政拨款", "财政拨款"),
        ("年度资金总额:", "年度资金总额"),
        ("项目资金 (万元)", "项目资金(万元)"),
        ("转移市县（区）资金", "转移市县(区)资金"),
    ],
)
def test_label_key(printed, key):
    assert label_key(printed) == key


@pytest.mark.parametrize(
    "printed, level, level1, level2",
    [
        ("产出指标", 1, "产出指标", None),
        ("满意度指标", 1, "满意度指标", None),
        ("数量指标 (必填硬性指标)", 2, "产出指标", "数量指标"),
        ("成本指标（必填硬性指标）", 2, "产出指标", "成本指标"),
        ("经济效益（必填）", 2, "效益指标", "经济效益指标"),
        ("可持续影响", 2, "效益指标", "可持续影响指标"),
        ("服务对象满意度", 2, "满意度指标", "服务对象满意度指标"),
        ("社会成本指标", 2, "成本指标", "社会成本指标"),
    ],
)
def test_indicator_labels_from_seed(printed, level, level1, level2):
    labels = default_label_map()
    found = labels.as_level1(printed) if level == 1 else labels.as_level2(printed)
    assert found is not None
    assert (found.level1, found.level2) == (level1, level2)


def test_names_are_not_labels():
    labels = default_label_map()
    for name in ("投诉率", "群众满意度", "项目费用", "无", "成本控制率"):
        assert not labels.is_label(name)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("项目名称", ("field", "project_name")),
        ("主管部门及代码", ("field", "department")),
        ("主管部门", ("field", "department")),
        ("<b>实施单位</b>", ("field", "implementing_unit")),
        ("其中：年度资金总额", ("field", "annual_total")),
        ("年度资金总额:", ("field", "annual_total")),
        ("资金总额", ("field", "side_total")),
        ("其中: 本级资金", ("side", "own")),
        ("其中： 转移市县（区）资金", ("side", "transfer")),
        ("转移县（区）资金", ("side", "transfer")),
        ("项目资金 (万元)", ("group", "万元")),
        ("年度总体 绩效目标", ("field", "annual_goal")),
        ("平罗县应急管理局 本级", None),
        ("13.49", None),
    ],
)
def test_header_label(cell, expected):
    assert header_label(cell) == expected


def test_label_and_value_in_one_cell():
    assert split_label_value("年度资金总额：13.49") == ("年度资金总额", "13.49")
    assert split_label_value("全区化工园区风险等级C级以下≥90%") is None


@pytest.mark.parametrize(
    "printed, name, code",
    [
        ("平罗县应急管理局--032001", "平罗县应急管理局", "032001"),
        ("平罗县应急管理局-032001", "平罗县应急管理局", "032001"),
        ("平罗县应急管理局—032001", "平罗县应急管理局", "032001"),
        ("平罗县应急管理局（032001）", "平罗县应急管理局", "032001"),
        ("宁夏回族自治区应急管理厅", "宁夏回族自治区应急管理厅", None),
    ],
)
def test_split_department(printed, name, code):
    assert split_department(printed) == (name, code)


@pytest.mark.parametrize(
    "printed, code, label",
    [
        ("0101--一年期项目", "0101", "一年期项目"),
        ("0101-一年期项目", "0101", "一年期项目"),
        ("0101—一年期项目", "0101", "一年期项目"),
        ("02-经常性项目", "02", "经常性项目"),
        ("0102-多年期错茬性项目", "0102", "多年期错茬性项目"),
        ("经常性项目", None, "经常性项目"),
    ],
)
def test_split_attribute(printed, code, label):
    assert split_attribute(printed) == (code, label)


@pytest.mark.parametrize(
    "line, noise",
    [
        ("## 部门项目支出预算绩效目标表", True),
        ("# 2025年自治区本级部门项目支出预算绩效目标表", True),
        ("( 2025 年度)", True),
        ("（2025年）", True),
        ("单位：万元", True),
        ("单位:万元", True),
        ("2025 年企业分级分类监管", False),
        ("2025 年 2 月 21 日", False),
    ],
)
def test_noise_lines(line, noise):
    assert is_noise(line) is noise
