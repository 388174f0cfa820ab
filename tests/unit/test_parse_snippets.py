"""Small hand-made tables exercising the layout quirks one at a time (pure text -> rows)."""

from __future__ import annotations

from ingest.parse import parse_document

COUNTY = """部门项目支出预算绩效目标表
（2025年度）
{name_before}项目名称\t{name}
主管部门及代码\t某县应急管理局--032001\t实施单位\t某县应急管理局本级
项目属性\t0101-一年期项目\t项目期\t1 年
项目资金 (万元)\t年度资金总额:\t12.5
\t其中: 财政拨款\t12.5
\t其他资金\t
年度总体目标\t目标文本
名称\t一级指标\t二级指标\t三级指标\t指标值
{grid}"""


def _parse(text: str):
    return parse_document(text, "t.txt", "t")


def _rows(parsed):
    return [(i.source_line, i.level1, i.level2, i.indicator_name, i.target_text) for i in parsed.indicators]


def county(grid: str, name: str = "项目甲", name_before: str = "") -> str:
    return COUNTY.format(grid=grid, name=name, name_before=name_before)


def test_merged_cells_inherit_labels():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次\n\t\t\t乙\t2次\n\t效益指标\t社会效益指标\t丙\t有效提升"))
    assert _rows(p) == [
        (11, "产出指标", "数量指标", "甲", "1次"),
        (12, "产出指标", "数量指标", "乙", "2次"),
        (13, "效益指标", "社会效益指标", "丙", "有效提升"),
    ]


def test_level2_label_drifted_into_level1_column():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次\n成本指标\t费用\t≤3万元"))
    assert _rows(p)[1] == (12, "产出指标", "成本指标", "费用", "≤3万元")
    assert p.indicators[1].level1_printed == "产出指标"


def test_level2_label_in_name_column():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次\n\t\t\t时效指标\t完成时限\t2025年底"))
    assert _rows(p)[1] == (12, "产出指标", "时效指标", "完成时限", "2025年底")


def test_level2_under_other_level1_is_inferred_and_flagged():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次\n\t\t可持续影响指标\t乙\t长期"))
    row = p.indicators[1]
    assert (row.level1, row.level2, row.level1_printed) == ("效益指标", "可持续影响指标", None)
    assert "level1_inferred" in row.parse_flags


def test_new_framing_cost_block():
    p = _parse(county("绩效指标\t成本指标\t经济成本指标\t设备购置\t≤5万元"))
    assert _rows(p) == [(11, "成本指标", "经济成本指标", "设备购置", "≤5万元")]


def test_name_printed_before_empty_name_cell():
    text = county("绩效指标\t产出指标\t数量指标\t甲\t1次", name="", name_before="2025 年某项目\n")
    p = _parse(text)
    assert [(x.project_name, x.source_line) for x in p.projects] == [("2025 年某项目", 3)]


def test_row_with_empty_target_is_kept():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次\n\t效益指标\t社会效益\t全区企业安全管理意识"))
    assert _rows(p)[1] == (12, "效益指标", "社会效益指标", "全区企业安全管理意识", "")


def test_wu_rows_are_rows():
    p = _parse(county("绩效指标\t效益指标\t经济效益\t无\t无"))
    assert _rows(p) == [(11, "效益指标", "经济效益指标", "无", "无")]


def test_tags_and_blank_lines_inside_grid():
    p = _parse(county("<b>绩效指标</b>\t<b>产出指标</b>\t<b>数量指标 (必填硬性指标)</b>\t甲\t12 次\n\n\t\t\t乙\t1 次"))
    assert _rows(p) == [(11, "产出指标", "数量指标", "甲", "12 次"), (13, "产出指标", "数量指标", "乙", "1 次")]
    assert p.indicators[0].level2_printed == "数量指标 (必填硬性指标)"


def test_title_repeated_inside_table_is_skipped():
    grid = "绩效指标\t产出指标\t数量指标\t甲\t1次\n部门项目支出预算绩效目标表\t\t\n（2025年度）\n\t\t\t乙\t2次"
    p = _parse(county(grid))
    assert [r[3] for r in _rows(p)] == ["甲", "乙"]


def test_county_funding_cells_as_printed():
    p = _parse(county("绩效指标\t产出指标\t数量指标\t甲\t1次"))
    assert p.projects[0].funding_printed == {"annual_total": "12.5", "fiscal_appropriation": "12.5", "other_funds": ""}
    assert p.projects[0].funding_lines["annual_total"] == 6
    assert p.projects[0].money_unit_printed == "万元"


PROVINCIAL = """单位：万元
项目名称\t\t{name}
主管部门\t\t某厅\t实施单位\t某中心
项目属性\t\t02-经常性项目\t项目期\t99年
项目总额\t\t{total}\t其中：年度资金总额\t{total}
其中： 本级资金\t资金总额\t{own}\t其中： 转移市县（区）资金\t资金总额\t{transfer}
\t其中：财政拨款\t{own}\t\t其中：中央资金\t0
\t其他资金\t0\t\t自治区资金\t{transfer}
\t结余结转资金\t0
年度总体绩效目标\t目标
一级指标\t二级指标\t三级指标\t\t绩效值
产出指标\t数量指标\t{row}\t\t1项
"""


def provincial(name: str, total: str, own: str, transfer: str, row: str = "甲") -> str:
    return PROVINCIAL.format(name=name, total=total, own=own, transfer=transfer, row=row)


def test_provincial_funding_sides():
    p = _parse(provincial("项目乙", "50", "0", "50"))
    assert p.projects[0].funding_printed == {
        "project_total": "50",
        "annual_total": "50",
        "own_level_total": "0",
        "transfer_total": "50",
        "fiscal_appropriation": "0",
        "transfer_central": "0",
        "other_funds": "0",
        "transfer_regional": "50",
        "carryover": "0",
    }
    assert p.document.layout == "provincial"


def test_continuation_page_merges_into_one_project():
    text = provincial("项目乙", "90", "90", "0", "甲") + "\n" + provincial("项目乙", "90", "90", "0", "乙")
    p = _parse(text)
    assert len(p.projects) == 1
    assert p.projects[0].page_count == 2
    assert [(i.indicator_seq, i.indicator_name) for i in p.indicators] == [(1, "甲"), (2, "乙")]


def test_same_name_different_money_stays_two_projects():
    text = provincial("项目乙", "50", "50", "0") + "\n" + provincial("项目乙", "360", "0", "360")
    p = _parse(text)
    assert len(p.projects) == 2
    assert all("name_shared_with_other_project" in x.parse_flags for x in p.projects)


def test_header_without_grid_is_reported():
    text = provincial("项目乙", "50", "50", "0").split("一级指标")[0]
    p = _parse(text)
    assert len(p.projects) == 1 and not p.indicators
    assert [i.code for i in p.issues] == ["grid_missing"]
    assert p.issues[0].line is not None
