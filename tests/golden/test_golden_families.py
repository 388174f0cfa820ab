"""Golden rows of the other provinces' template families, written by reading the fixtures.

Each fixture in tests/fixtures/wild/ is a complete document written from a real excerpt's
layout and quirks (see that folder's README). The expected rows below were typed from the
fixture's lines, cell by cell; they go through ``to_records`` (the raw tables' shape).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"


def _records(name: str) -> tuple[dict[str, list[dict]], object]:
    text = (WILD / name).read_text(encoding="utf-8")
    parsed = parse_document(text, name, "doc")
    return to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8"), judge(parsed, text, name)


def _indicators(records) -> list[tuple]:
    return [
        (
            r["project_seq"],
            r["source_line"],
            r["level1_printed"],
            r["level2_printed"],
            r["indicator_name"],
            r["target_text"],
            tuple(r["target_parts"]),
            r["weight_printed"],
            r["direction_printed"],
            r["horizon"],
        )
        for r in records["raw_indicators"]
    ]


# ------------------------------------------------------------------ Inner Mongolia

IM = "inner_mongolia_2021_city.txt"
IM_ROWS = [
    (1, 14, "产出指标", "数量指标", "出差人数", "=8", ("=", "8"), "4", "正向", "annual"),
    (1, 15, "产出指标", "数量指标", "出差人次", "=24人/次", ("=", "24", "人/次"), "4", "正向", "annual"),
    (1, 16, "产出指标", "质量指标", "工作任务完成率", "=100%", ("=", "100", "%"), "4", "正向", "annual"),
    (
        1,
        17,
        "产出指标",
        "时效指标",
        "项目财政资金到位时间",
        "=44,561",
        ("=", "44,561", "44,561"),
        "10",
        "正向",
        "annual",
    ),
    (
        1,
        18,
        "产出指标",
        "时效指标",
        "财政资金到位及时支付率",
        "=100%",
        ("=", "100", "%"),
        "4",
        "正向",
        "annual",
    ),
    (
        1,
        19,
        "产出指标",
        "时效指标",
        "工作计划按时完成时间",
        "=44,561",
        ("=", "44,561", "44,561"),
        "4",
        "正向",
        "annual",
    ),
    (
        1,
        20,
        "产出指标",
        "成本指标",
        "出差单位成本",
        "=0万元/人",
        ("=", "0", "万元/人"),
        "4",
        "反向",
        "annual",
    ),
    (1, 21, "产出指标", "成本指标", "出差总成本", "=1万元", ("=", "1", "万元"), "4", "反向", "annual"),
    (1, 22, "产出指标", "成本指标", "劳务人员总成本", "=2万元", ("=", "2", "万元"), "4", "反向", "annual"),
    (1, 23, "产出指标", "成本指标", "办公费总成本", "=0万元", ("=", "0", "万元"), "4", "反向", "annual"),
    (1, 24, "产出指标", "成本指标", "年度预算总成本", "=3万元", ("=", "3", "万元"), "4", "反向", "annual"),
    (
        1,
        25,
        "效益指标",
        "社会效益指标",
        "规范再生资源回收市场秩序",
        "=100%",
        ("=", "100", "%"),
        "15",
        "正向",
        "annual",
    ),
    (
        1,
        26,
        "效益指标",
        "生态效益指标",
        "改善城乡生态环境",
        "=有所改善",
        ("=", "有所改善"),
        "15",
        "正向",
        "annual",
    ),
    (
        1,
        27,
        "满意度指标",
        "服务对象满意度指标",
        "服务对象满意度",
        "≥90%",
        ("≥", "90", "%"),
        "10",
        "正向",
        "annual",
    ),
    (2, 41, "产出指标", "数量指标", "培训期数", "=2期", ("=", "2", "期"), "10", "正向", "annual"),
    (2, 42, "产出指标", "数量指标", "培训人次", "≥150人次", ("≥", "150", "人次"), "10", "正向", "annual"),
    (2, 43, "产出指标", "质量指标", "培训合格率", "≥95%", ("≥", "95", "%"), "10", "正向", "annual"),
    (
        2,
        44,
        "产出指标",
        "时效指标",
        "培训完成时间",
        "=44,530",
        ("=", "44,530", "44,530"),
        "10",
        "正向",
        "annual",
    ),
    (2, 45, "产出指标", "成本指标", "培训总成本", "≤5.5万元", ("≤", "5.5", "万元"), "10", "反向", "annual"),
    (
        2,
        46,
        "效益指标",
        "社会效益指标",
        "基层社服务能力",
        "=明显提升",
        ("=", "明显提升"),
        "30",
        "正向",
        "annual",
    ),
    (
        2,
        47,
        "满意度指标",
        "服务对象满意度指标",
        "参训人员满意度",
        "≥90%",
        ("≥", "90", "%"),
        "10",
        "正向",
        "annual",
    ),
]


def test_inner_mongolia_indicators():
    records, verdict = _records(IM)
    assert verdict.status == "loaded_with_warnings" and verdict.reason_code == "column_header_mismatch"
    assert _indicators(records) == IM_ROWS


def test_inner_mongolia_weights_add_up_to_the_printed_90_points():
    records, _ = _records(IM)
    for seq in (1, 2):
        weights = [Decimal(r["weight_printed"]) for r in records["raw_indicators"] if r["project_seq"] == seq]
        assert sum(weights) == 90  # 绩效指标(权重分值90分…)


def test_inner_mongolia_projects_and_document():
    records, _ = _records(IM)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"], doc["division_code"]) == (
        "inner_mongolia",
        2021,
        "150300",
    )
    got = [
        (
            p["project_seq"],
            p["source_line"],
            p["project_name"],
            p["department_code"],
            p["department_name"],
            p["implementing_unit"],
            p["attribute_code"],
            p["attribute_label"],
            p["money_unit_printed"],
        )
        for p in records["raw_projects"]
    ]
    unit = "(433001)乌海市供销合作社联合社"
    assert got == [
        (
            1,
            3,
            "再生资源回收市场管理经费",
            "433",
            "乌海市供销合作社联合社(部门)",
            unit,
            "31",
            "部门预算项目",
            "万元",
        ),
        (
            2,
            30,
            "供销系统综合业务培训经费",
            "433",
            "乌海市供销合作社联合社(部门)",
            unit,
            "31",
            "部门预算项目",
            "万元",
        ),
    ]
    cells = [
        (c["project_seq"], c["field"], c["label_printed"], c["printed"], c["amount"], c["source_line"])
        for c in records["raw_funding_cells"]
    ]
    assert cells == [
        (1, "annual_total", "资金总额", "3", Decimal("3"), 9),
        (1, "fiscal_appropriation", "其中: 财政拨款数", "3", Decimal("3"), 10),
        (1, "other_funds", "其他资金", "0", Decimal("0"), 11),
        (2, "annual_total", "资金总额", "5.5", Decimal("5.5"), 36),
        (2, "fiscal_appropriation", "其中: 财政拨款数", "5", Decimal("5"), 37),
        (2, "other_funds", "其他资金", "0.5", Decimal("0.5"), 38),
    ]


def test_inner_mongolia_excel_serials_are_flagged_and_the_unit_is_not_counted_twice():
    records, _ = _records(IM)
    serial = {
        r["source_line"]: r["parse_flags"] for r in records["raw_indicators"] if "44," in r["target_text"]
    }
    assert set(serial) == {17, 19, 44}
    assert all({"excel_date_serial", "unit_printed_twice"} <= set(f) for f in serial.values())


# ------------------------------------------------------------------ Sichuan flat table

SC = "sichuan_flat_2023_town.txt"
SC_ROWS = [
    (1, 5, "效益指标", "社会效益指标", "维护社会稳定", "≥95%", ("≥", "95", "%"), "10", "正向指标", "annual"),
    (1, 6, "产出指标", "时效指标", "维持时效", "≥1年", ("≥", "1", "年"), "20", "正向指标", "annual"),
    (1, 7, "产出指标", "质量指标", "按时发放", "≥1人/年", ("≥", "1", "人/年"), "10", "正向指标", "annual"),
    (
        1,
        8,
        "效益指标",
        "经济效益指标",
        "促进村集体经济发展",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (1, 9, "产出指标", "数量指标", "村组干部230人", "≥230个", ("≥", "230", "个"), "10", "正向指标", "annual"),
    (
        1,
        10,
        "效益指标",
        "生态效益指标",
        "保护生态环境卫生",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        1,
        11,
        "效益指标",
        "可持续影响指标",
        "项目维持时效",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        1,
        12,
        "满意度指标",
        "服务对象满意度指标",
        "人民群众满意度",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        2,
        13,
        "满意度指标",
        "服务对象满意度指标",
        "辖区内群众满意度",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        2,
        14,
        "效益指标",
        "经济效益指标",
        "促进农村集体经济发展",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        2,
        15,
        "效益指标",
        "可持续影响指标",
        "经济、环境等方面可持续发展",
        "≥95%",
        ("≥", "95", "%"),
        "10",
        "正向指标",
        "annual",
    ),
    (
        2,
        16,
        "产出指标",
        "质量指标",
        "保障村社区正常运转",
        "≥95%",
        ("≥", "95", "%"),
        "20",
        "正向指标",
        "annual",
    ),
    (2, 17, "产出指标", "数量指标", "行政村数量", "=11个", ("=", "11", "个"), "10", "正向指标", "annual"),
    # line 18 repeats the caption (a page break inside project 2)
    (2, 19, "产出指标", "时效指标", "经费拨付及时率", "≥95%", ("≥", "95", "%"), "10", "正向指标", "annual"),
    (
        2,
        20,
        "产出指标",
        "成本指标",
        "办公经费控制",
        "≤660,000元",
        ("≤", "660,000", "元"),
        "10",
        "反向指标",
        "annual",
    ),
    (3, 21, "产出指标", "数量指标", "技术培训场次", "≥12次", ("≥", "12", "次"), "20", "正向指标", "annual"),
    (3, 22, "产出指标", "质量指标", "培训合格率", "≥90%", ("≥", "90", "%"), "20", "正向指标", "annual"),
    (
        3,
        23,
        "产出指标",
        "成本指标",
        "人均培训成本",
        "≤150元/人",
        ("≤", "150", "元/人"),
        "10",
        "反向指标",
        "annual",
    ),
    (
        3,
        24,
        "效益指标",
        "社会效益指标",
        "农户技术水平提升",
        "≥85%",
        ("≥", "85", "%"),
        "20",
        "正向指标",
        "annual",
    ),
    (
        3,
        25,
        "满意度指标",
        "服务对象满意度指标",
        "参训农户满意度",
        "≥90%",
        ("≥", "90", "%"),
        "20",
        "正向指标",
        "annual",
    ),
]


def test_sichuan_flat_indicators():
    records, verdict = _records(SC)
    assert verdict.status == "loaded_with_warnings" and verdict.reason_code == "column_header_mismatch"
    assert _indicators(records) == SC_ROWS


def test_sichuan_flat_projects_split_by_the_project_cells_and_the_subtotal_is_not_a_project():
    records, _ = _records(SC)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"]) == ("sichuan_flat", 2023)
    got = [
        (
            p["project_seq"],
            p["source_line"],
            p["end_line"],
            p["project_name"],
            p["implementing_unit"],
            p["department_code"],
            p["department_name"],
            p["money_unit_printed"],
        )
        for p in records["raw_projects"]
    ]
    town = "820001-井研县马踏镇人民政府"
    assert got == [
        (1, 5, 12, "村组干部报酬", town, "820", "马踏镇部门", "元"),
        (2, 13, 20, "基层组织活动经费", town, "820", "马踏镇部门", "元"),  # the unit cell is not repeated
        (
            3,
            21,
            25,
            "农业技术推广及农村公益服务经费",
            "820002-井研县马踏镇农业综合服务中心",
            "820",
            "马踏镇部门",
            "元",
        ),
    ]
    cells = [(c["project_seq"], c["field"], c["printed"], c["amount"]) for c in records["raw_funding_cells"]]
    assert cells == [
        (1, "annual_total", "3,309,840.00", Decimal("3309840.00")),
        (2, "annual_total", "660,000.00", Decimal("660000.00")),
        (3, "annual_total", "4,857,780.53", Decimal("4857780.53")),
    ]
    # the three budgets add up to the department's printed subtotal (line 4: 8,827,620.53)
    assert sum(c[3] for c in cells) == Decimal("8827620.53")


@pytest.mark.parametrize("name", [IM, SC])
def test_no_weight_is_ever_read_as_a_target(name):
    records, _ = _records(name)
    for r in records["raw_indicators"]:
        assert r["weight_printed"] is not None
        assert r["target_text"] != r["weight_printed"]


# ------------------------------------------------------------------ Hunan 项目支出绩效目标申报表

HN = "hunan_2023_city.txt"
HN_ROWS = [
    (1, 9, "产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆", (), None, None, "annual"),
    (1, 10, "产出指标", "数量指标", "雾炮车风炮射程", "≥80M", (), None, None, "annual"),
    (1, 11, "产出指标", "质量指标", "服务周期内空气质量", "优良", (), None, None, "annual"),
    (1, 12, "产出指标", "时效指标", "服务周期", "2023.07-2024.01", (), None, None, "annual"),
    (1, 13, "产出指标", "成本指标", "控制在预算成本内", "250万", (), None, None, "annual"),
    # lines 14, 16, 17: 经济效益 / 生态效益 / 可持续影响 printed with empty cells: labels only, no rows
    (
        1,
        15,
        "效益指标",
        "社会效益指标",
        "服务周期内,市民对空气质量改善的满意程度",
        "≥85%",
        (),
        None,
        None,
        "annual",
    ),
    # no 满意度指标 printed: the satisfaction row sits in the 效益指标 block (满意度 under 效益)
    (1, 18, "效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%", (), None, None, "annual"),
    (2, 27, "产出指标", "数量指标", "主次干道机械化清扫面积", "≥320万平方米", (), None, None, "annual"),
    (2, 28, "产出指标", "质量指标", "道路清扫保洁达标率", "≥95%", (), None, None, "annual"),
    (2, 29, "产出指标", "时效指标", "清扫作业完成时限", "2023年12月31日前", (), None, None, "annual"),
    (2, 30, "产出指标", "成本指标", "清扫保洁服务单价", "≤4.5元/平方米", (), None, None, "annual"),
    (2, 31, "效益指标", "社会效益指标", "城市道路整洁度", "明显提升", (), None, None, "annual"),
    (2, 32, "效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%", (), None, None, "annual"),
]


def test_hunan_indicators_and_the_standard_column_is_never_the_target():
    records, verdict = _records(HN)
    assert verdict.status == "loaded"
    assert _indicators(records) == HN_ROWS
    assert all(r["target_text"] != "计划标准" for r in records["raw_indicators"])
    satisfied = [r["level2_key"] for r in records["raw_indicators"] if r["source_line"] in (18, 32)]
    assert satisfied == ["社会公众或服务对象满意度指标"] * 2  # mapped to 服务对象满意度指标 by the seed


def test_hunan_projects_and_money_per_cell():
    records, _ = _records(HN)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"], doc["division_code"]) == ("hunan", 2023, "430300")
    got = [
        (
            p["project_seq"],
            p["source_line"],
            p["project_name"],
            p["department_name"],
            p["period_printed"],
            p["money_unit_printed"],
        )
        for p in records["raw_projects"]
    ]
    assert got == [
        (1, 3, "雾炮车降尘抑尘服务", "湘潭市环境卫生管理处", "2023.07-2024.01", "万元"),
        (2, 21, "城区主次干道机械化清扫保洁", "湘潭市环境卫生管理处", "2023.01-2023.12", "万元"),
    ]
    cells = [
        (c["project_seq"], c["field"], c["printed"], c["amount"], c["unit_printed"], c["source_line"])
        for c in records["raw_funding_cells"]
    ]
    assert cells == [
        (1, "annual_total", "250万", Decimal("250"), "万", 4),  # the cell's own bare 万
        (1, "upper_level_funds", "0", Decimal("0"), None, 4),  # a family's own field: a new row value
        (2, "annual_total", "1,440.5", Decimal("1440.5"), None, 22),  # the table's 单位:万元 applies
        (2, "upper_level_funds", "60", Decimal("60"), None, 22),
    ]


# ------------------------------------------------------------------ rural-revitalisation form

RU = "rural_2022_county.txt"
RU_ROWS = [
    (1, 10, "产出指标", "数量指标", "★脱贫村村内道路硬化里程", ">=100公里", (), None, None, "annual"),
    (1, 11, "产出指标", "数量指标", "脱贫户供水设施数量", "≥20座", (), None, None, "annual"),
    (1, 12, "产出指标", "质量指标", "项目(工程)验收合格率(≥**%)", "100%", (), None, None, "annual"),
    (1, 13, "产出指标", "时效指标", "项目(工程)完成及时率", "≥100%", (), None, None, "annual"),
    (1, 14, "产出指标", "成本指标", "财政资金补助", "<=1600元/亩", (), None, None, "annual"),
    # 经济效益 | 指标: one label wrapped over two cells
    (1, 15, "效益指标", "经济效益指标", "年增粮食", "3500公斤", (), None, None, "annual"),
    (1, 16, "效益指标", "社会效益指标", "受益脱贫(监测)人口数", "≥500人", (), None, None, "annual"),
    (1, 17, "效益指标", "生态效益指标", "新增和改善灌溉达标面积", "≥500亩", (), None, None, "annual"),
    (1, 18, "效益指标", "可持续影响指标", "工程设计使用年限", "≥20年", (), None, None, "annual"),
    (1, 19, "满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%", (), None, None, "annual"),
    # line 20 (注:…) closes the table: not a row
    (2, 31, "产出指标", "数量指标", "新建产业路里程", "4km", (), None, None, "annual"),
    (2, 32, "产出指标", "质量指标", "项目(工程)验收合格率", "100%", (), None, None, "annual"),
    (2, 33, "产出指标", "时效指标", "项目(工程)完成及时率", "100%", (), None, None, "annual"),
    (2, 34, "产出指标", "成本指标", "硬化水泥砼公路补助标准", "≤120万元", (), None, None, "annual"),
    (2, 35, "效益指标", "社会效益指标", "受益人口数", "≥800人", (), None, None, "annual"),
    (2, 36, "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", (), None, None, "annual"),
]


def test_rural_indicators_with_their_quirks_flagged():
    records, verdict = _records(RU)
    assert verdict.status == "loaded_with_warnings" and verdict.reason_code == "funding_not_number"
    assert _indicators(records) == RU_ROWS
    flags = {r["source_line"]: r["parse_flags"] for r in records["raw_indicators"]}
    assert "marked_name" in flags[10] and "template_residue" in flags[12]
    assert all("label_split_over_cells" in flags[n] for n in (15, 16, 17, 18))


def test_rural_projects_funding_prose_is_kept_and_no_unit_is_never_guessed():
    records, _ = _records(RU)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"], doc["division_code"]) == ("rural", 2022, "430621")
    got = [
        (
            p["project_seq"],
            p["project_name"],
            p["department_name"],
            p["implementing_unit"],
            p["annual_goal"],
            p["money_unit_printed"],
            "money_unit_not_printed" in p["parse_flags"],
        )
        for p in records["raw_projects"]
    ]
    assert got == [
        (
            1,
            "岳阳县2022年高标准农田建设项目",
            "岳阳县农业农村局",
            "农田建设服务中心",
            "完成项目主体工程70%",
            "万元",
            False,
        ),
        (
            2,
            "2022年新墙镇产业路硬化工程",
            "岳阳县农业农村局",
            "岳阳县农村公路建设服务中心",
            "1、新建产业路4公里 2、解决生产道路硬化问题",
            None,
            True,
        ),  # 资金情况 without (万元), goal on line 29
    ]
    prose = "854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)"
    cells = [
        (c["project_seq"], c["field"], c["printed"], c["amount"], c["problem"], c["source_line"])
        for c in records["raw_funding_cells"]
    ]
    assert cells == [
        (1, "annual_total", prose, None, "not_number", 5),
        (1, "fiscal_appropriation", prose, None, "not_number", 6),
        (1, "other_funds", "", None, "blank", 7),
        (2, "annual_total", "500", Decimal("500"), None, 25),
        (2, "fiscal_appropriation", "500", Decimal("500"), None, 26),
        (2, "other_funds", "", None, "blank", 27),
    ]


def test_rural_project_leads_are_not_stored():
    records, _ = _records(RU)
    dumped = repr(records)
    assert not any(p in dumped for p in ("王某某", "13807301234", "李某", "0730-5321234"))


# ------------------------------------------------------------------ side by side (mid-term | annual)

SB = "side_by_side_2019_city.txt"
_QTY, _TIME_MID, _TIME_YEAR = (
    "数量指标(或建筑规模指标)",
    "时效指标(工期指标)",
    "时效指标(工期指标、形象进度指标)",
)
_BUDGET, _MERGED = "预算(或投资规模)控制指标", "社会、经济、生态效益 指标"
SB_ROWS = [  # (line, horizon, level1_printed, level2_printed, level2 canonical, name, target)
    (14, "mid_term", "预期产出指标", _QTY, "数量指标", "镇街补助款完成结算项目数", "3"),
    (14, "annual", "预期产出指标", _QTY, "数量指标", "镇街补助款完成结算项目数", "3"),
    (15, "mid_term", "预期产出指标", "质量指标", "质量指标", "补助款结算误差率", "±3%以内"),
    (15, "annual", "预期产出指标", "质量指标", "质量指标", "补助款结算误差率", "±3%以内"),
    (16, "mid_term", "预期产出指标", _TIME_MID, "时效指标", "结算款支付及时性", "及时"),
    (16, "annual", "预期产出指标", _TIME_YEAR, "时效指标", "结算款支付及时性", "及时"),
    (17, "mid_term", "预期产出指标", _BUDGET, "成本指标", "年度预算执行率", "≥90%"),
    (17, "annual", "预期产出指标", _BUDGET, "成本指标", "年度预算执行率", "≥90%"),
    (18, "mid_term", "效果指标", _MERGED, None, "补助款结算争议率", "0%"),  # merged label: no one level 2
    (18, "annual", "效果指标", _MERGED, None, "补助款结算争议率", "0%"),
    (19, "mid_term", "效果指标", "可持续影响指标", "可持续影响指标", "实现建设总目标控制程度", "≥95%"),
    (19, "annual", "效果指标", "可持续影响指标", "可持续影响指标", "实现年度建设目标控制程度", "≥90%"),
    (20, "mid_term", "效果指标", "服务对象满意度指标", "服务对象满意度指标", "镇街群众满意度", "≥85%"),
    (20, "annual", "效果指标", "服务对象满意度指标", "服务对象满意度指标", "镇街群众满意度", "≥85%"),
]


def test_side_by_side_rows_become_a_mid_term_and_an_annual_row():
    records, verdict = _records(SB)
    assert verdict.status == "loaded"
    parsed = parse_document((WILD / SB).read_text(encoding="utf-8"), SB, "doc")
    got = [
        (
            i.source_line,
            i.horizon,
            i.level1_printed,
            i.level2_printed,
            i.level2,
            i.indicator_name,
            i.target_text,
        )
        for i in parsed.indicators
    ]
    assert got == SB_ROWS
    assert [r["horizon"] for r in records["raw_indicators"]] == [h for _, h, *_ in SB_ROWS]


def test_side_by_side_project_and_money():
    records, _ = _records(SB)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"], doc["division_code"]) == (
        "side_by_side",
        2019,
        "441900",
    )
    (p,) = records["raw_projects"]
    assert (p["project_name"], p["source_line"], p["department_name"], p["money_unit_printed"]) == (
        "镇际联网路升级改造工程一期",
        5,
        "东莞市交通运输局",
        "万元",
    )
    assert p["annual_goal"].startswith("督促勘察设计单位")  # the year's goal, right of the mid-term goal
    cells = [
        (c["field"], c["label_printed"], c["printed"], c["amount"]) for c in records["raw_funding_cells"]
    ]
    assert cells == [
        ("project_total", "中期市财政预算(万元)", "284500.00", Decimal("284500.00")),
        ("annual_total", "本年度申请市财政预算资金(万元)", "919.00", Decimal("919.00")),
    ]


# ------------------------------------------------------------------ Fujian 投入 / 产出 / 效益

FJ = "fujian_2023_city.txt"
FJ_ROWS = [  # (line, level1_printed, level2_printed, level2 canonical, name, target, reframed)
    (15, "投入", "时效目标", "时效指标", "人才驿站补助资金到位时间", "2023年12月前", True),
    (16, "投入", "成本目标", "成本指标", "项目资金投入", "10万元", True),
    (17, "产出", "数量目标", "数量指标", "当年获得宁德市级以上确认的人才驿站数量", ">=2个", False),
    (18, "产出", "数量目标", "数量指标", "当年人才驿站组织活动数量", ">=28次", False),
    (19, "产出", "数量目标", "数量指标", "每年人才驿站服务人次", ">=500人", False),
    (20, "产出", "质量目标", "质量指标", "各类人才对我市人才政策的知晓率", ">=95%", False),
    (21, "产出", "质量目标", "质量指标", "人才驿站补助资金到位率", ">=100%", False),
    (22, "效益", "社会效益目标", "社会效益指标", "人才驿站服务覆盖面", "逐步扩大", False),
    (23, "效益", "可持续影响目标", "可持续影响指标", "人才驿站长效运营", "持续运营", False),
    (
        24,
        "效益",
        "服务对象满意度目标",
        "服务对象满意度指标",
        "服务人才满意度",
        ">=90%",
        True,
    ),  # 满意度 under 效益
]


def test_fujian_rows_keep_the_printed_block_and_take_the_canonical_level_from_the_seed():
    parsed = parse_document((WILD / FJ).read_text(encoding="utf-8"), FJ, "doc")
    got = [
        (
            i.source_line,
            i.level1_printed,
            i.level2_printed,
            i.level2,
            i.indicator_name,
            i.target_text,
            "level1_reframed" in i.parse_flags,
        )
        for i in parsed.indicators
    ]
    assert got == FJ_ROWS
    assert all(
        i.target_text not in ("计划标准", "历史标准", "行业标准") for i in parsed.indicators
    )  # 参考标准


def test_fujian_project_and_its_own_funding_fields():
    records, verdict = _records(FJ)
    assert verdict.status == "loaded"
    (p,) = records["raw_projects"]
    assert (
        p["project_name"],
        p["department_code"],
        p["department_name"],
        p["implementing_unit"],
        p["period_printed"],
        p["money_unit_printed"],
    ) == (
        "人才驿站补助",
        "345001",
        "宁德市人力资源和社会保障局",
        "宁德市人才发展服务中心",
        "2023年1月-2023年12月",
        "万元",
    )
    cells = {c["field"]: (c["printed"], c["source_line"]) for c in records["raw_funding_cells"]}
    assert cells == {
        "annual_total": ("10", 10),
        "fiscal_appropriation": ("10", 10),
        "other_funds": ("0", 11),
        "prior_year_budget": ("10", 6),
        "own_funds": ("0", 10),
        "business_income": ("0", 11),
        "operating_income": ("0", 11),
    }
    assert "陈某" not in repr(records) and "0593-2871234" not in repr(records)


def test_sichuan_flat_subtotal_that_does_not_add_up_is_reported_not_fixed():
    text = (WILD / SC).read_text(encoding="utf-8").replace("8,827,620.53", "8,827,620.00", 1)
    parsed = parse_document(text, SC, "doc")
    (issue,) = [i for i in parsed.issues if i.code == "department_subtotal_differs"]
    assert issue.line == 4 and "8,827,620.00" in issue.message and "8,827,620.53" in issue.message
    assert [p.funding_printed["annual_total"] for p in parsed.projects] == [
        "3,309,840.00",
        "660,000.00",
        "4,857,780.53",
    ]


def test_inner_mongolia_excel_serials_get_their_date_beside_the_printed_text():
    records, _ = _records(IM)
    dates = {
        r["source_line"]: (r["target_text"], r["lex_kind"], r["lex_date"], r["lex_date_rule"], r["lex_low"])
        for r in records["raw_indicators"]
        if "excel_date_serial" in r["parse_flags"]
    }
    # 44,561 is 2021-12-31 (the excerpt's note); 44,530 is 31 days earlier, 2021-11-30
    assert dates == {
        17: ("=44,561", "date", "2021-12-31", "excel_serial", None),
        19: ("=44,561", "date", "2021-12-31", "excel_serial", None),
        44: ("=44,530", "date", "2021-11-30", "excel_serial", None),
    }


# ------------------------------------------------------------------ Hubei (鄂州)

HB = "hubei_2022_city.txt"
HB_ROWS = [  # (line, level1 canonical, level2_printed, name, target) — no level 1 printed
    (12, "产出指标", "数量指标", "办公大楼日常维修维护次数", "2280次"),
    (13, "产出指标", "数量指标", "大楼安检巡察次数", "200次"),
    (14, "产出指标", "质量指标", "办公大楼日常维修维护验收合格率", ">92%"),
    (15, "产出指标", "质量指标", "经常性大型设备更新验收合格率", "292%"),
    (16, "产出指标", "质量指标", "重.要设备维修维保验收合格率", "95%"),
    (17, "产出指标", "成本指标", "成本控制率", "不超预算"),
    (18, "产出指标", "成本指标", "水电气消耗下降率", ">2%"),
    (19, "效益指标", "社会效益指标", "机关办公秩序", "安全有序"),
    (20, "满意度指标", "服务对象满意度指标", "大楼服务对象满意度", "≥90%"),
]


def test_hubei_rows_take_the_expected_value_column_never_the_standard():
    parsed = parse_document((WILD / HB).read_text(encoding="utf-8"), HB, "doc")
    got = [
        (i.source_line, i.level1, i.level2_printed, i.indicator_name, i.target_text)
        for i in parsed.indicators
    ]
    assert got == HB_ROWS
    assert all(i.level1_printed is None and "level1_inferred" in i.parse_flags for i in parsed.indicators)
    assert all(i.horizon == "annual" and i.weight_printed is None for i in parsed.indicators)
    assert not any(i.target_text.startswith("反映") for i in parsed.indicators)  # 绩效标准


def test_hubei_ocr_damaged_rate_is_kept_as_printed_and_flagged():
    parsed = parse_document((WILD / HB).read_text(encoding="utf-8"), HB, "doc")
    flagged = [
        (i.source_line, i.target_text) for i in parsed.indicators if "rate_over_100_percent" in i.parse_flags
    ]
    assert flagged == [(15, "292%")]


def test_hubei_project_budget_is_the_cost_total_and_no_unit_is_guessed():
    records, verdict = _records(HB)
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "loaded_with_warnings",
        "money_unit_not_printed",
        2,
    )
    (p,) = records["raw_projects"]
    assert (p["project_name"], p["attribute_printed"], p["annual_goal"], p["money_unit_printed"]) == (
        "滨湖大胆办公大楼运行保障",
        "持续性项目",
        "以办公大楼服务对象满意为目标,着力打造文明型机关、卫生Z口机关。",
        None,
    )
    assert "money_unit_not_printed" in p["parse_flags"]
    cells = {c["field"]: (c["printed"], c["source_line"]) for c in records["raw_funding_cells"]}
    assert cells == {"annual_total": ("814", 9)}  # 合计 of 项目预算成本构成, not 191 / 662.98


# ------------------------------------------------------------------ two grids (宁乡 / 佳县)

TG = "two_grid_2021_town.txt"
TG_FUNDING = (
    "总额10606.7522万元财政拨款:6923.3552万元(其中:上级财政资金:6923.3552万元;本级财政:0万元)"
    "二、自有资金:0万元三、其他:3683.3970万元"
)
_L, _A = "long_term", "annual"
TG_ROWS = [  # line 22 (经济效益指标 | (no 指标内容) | 88 | 100) is not a row: reported, not read
    (1, 18, "产出指标", "数量指标", "基础设施建设项目个数", "≥30个", (), None, None, _L),
    (1, 19, "产出指标", "质量指标", "工程验收合格率", "100%", (), None, None, _L),
    (1, 20, "产出指标", "时效指标", "项目完成时间", "2025年12月前", (), None, None, _L),
    (1, 21, "产出指标", "成本指标", "项目总投资", "≤10606.7522万元", (), None, None, _L),
    (1, 23, "效益指标", "社会效益指标", "镇域基础设施条件", "明显改善", (), None, None, _L),
    (1, 24, "效益指标", "环境效益指标", "集镇环境面貌", "持续改善", (), None, None, _L),
    (1, 25, "效益指标", "可持续影响指标", "设施长效管护机制", "建立健全", (), None, None, _L),
    (1, 26, "效益指标", "社会公众或服务对象满意度指标", "群众满意度", "≥90%", (), None, None, _L),
    (1, 28, "产出指标", "数量指标", "年度完成集镇立面改造户数", "≥200户", (), None, None, _A),
    (1, 29, "产出指标", "数量指标", "年度完成机关、学校提质改造项目数", "≥5个", (), None, None, _A),
    (1, 30, "产出指标", "质量指标", "工程验收合格率", "100%", (), None, None, _A),
    (1, 31, "产出指标", "时效指标", "年度项目完工时间", "2021年12月31日前", (), None, None, _A),
    (1, 32, "产出指标", "成本指标", "年度项目支出", "≤10606.7522万元", (), None, None, _A),
    (1, 33, "效益指标", "社会效益指标", "集镇面貌", "明显改善", (), None, None, _A),
    (1, 34, "效益指标", "环境效益指标", "镇域生活垃圾集中处理率", "≥95%", (), None, None, _A),
    (1, 35, "效益指标", "服务对象满意度指标", "群众满意度", "≥90%", (), None, None, _A),
]


def test_two_grid_rows_carry_the_horizon_of_their_grid():
    records, _ = _records(TG)
    assert _indicators(records) == TG_ROWS
    seqs = [r["indicator_seq"] for r in records["raw_indicators"]]
    assert seqs == list(range(1, 17))


def test_two_grid_labels_map_to_the_framework_and_the_printed_block_is_kept():
    parsed = parse_document((WILD / TG).read_text(encoding="utf-8"), TG, "doc")
    by_line = {i.source_line: i for i in parsed.indicators}
    assert (by_line[24].level1, by_line[24].level2) == ("效益指标", "生态效益指标")  # 环境效益指标
    assert (by_line[26].level1, by_line[26].level2) == ("满意度指标", "服务对象满意度指标")
    assert "level1_reframed" in by_line[26].parse_flags and "level1_reframed" in by_line[35].parse_flags
    assert not any("level1_reframed" in by_line[n].parse_flags for n in (18, 23, 24, 25, 33))


def test_two_grid_bare_numbers_without_a_name_are_reported_never_read_as_a_target():
    parsed = parse_document((WILD / TG).read_text(encoding="utf-8"), TG, "doc")
    (issue,) = [i for i in parsed.issues if i.code == "line_unplaced"]
    assert issue.line == 22 and "指标内容" in issue.message
    assert not any(i.target_text in ("88", "100") or i.indicator_name == "88" for i in parsed.indicators)


def test_two_grid_project_prose_funding_kept_and_no_person_stored():
    records, verdict = _records(TG)
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "loaded_with_warnings",
        "funding_not_number",
        7,
    )
    (p,) = records["raw_projects"]
    assert (
        p["project_name"],
        p["attribute_printed"],
        p["department_name"],
        p["department_code"],
        p["implementing_unit"],
        p["period_printed"],
        p["annual_goal"],
        p["money_unit_printed"],
    ) == (
        "镇域内基础设施建设",
        "新增项目□延续项目√",
        "坝塘镇",
        None,
        "坝塘镇",
        "2021年度",
        "全面完成集镇立面改造、机关、学校、乡村振兴等项目,搞好提质改造",
        None,
    )
    assert "funding_not_number" in p["parse_flags"]
    cells = {c["field"]: (c["printed"], c["source_line"]) for c in records["raw_funding_cells"]}
    assert cells == {"annual_total": (TG_FUNDING, 7)}
    assert "刘某某" not in repr(records) and "0731-87001234" not in repr(records)


def test_two_grid_funding_as_label_cells_in_the_jiaxian_form():
    lines = (WILD / TG).read_text(encoding="utf-8").split("\n")
    lines[6] = "\t".join(
        ["项目资金申请(万元)", "资金总额:", "10606.7522", "财政拨款:", "6923.3552", "自有资金:", "0"]
    )
    lines.insert(7, "\t".join(["", "事业收入:", "0", "经营性收入:", "0", "其他:", "3683.397"]))
    parsed = parse_document("\n".join(lines), TG, "doc")
    records = to_records(parsed, sha256="x", byte_size=1, encoding="utf-8")
    (p,) = records["raw_projects"]
    assert p["money_unit_printed"] == "万元" and "funding_not_number" not in p["parse_flags"]
    cells = {c["field"]: (c["printed"], c["source_line"]) for c in records["raw_funding_cells"]}
    assert cells == {
        "annual_total": ("10606.7522", 7),
        "fiscal_appropriation": ("6923.3552", 7),
        "own_funds": ("0", 7),
        "business_income": ("0", 8),
        "operating_income": ("0", 8),
        "other_funds": ("3683.397", 8),
    }
    assert len(parsed.indicators) == 16  # the grids are one line further down, read as before


# ------------------------------------------------------------------ standards kept beside the target

# (line, 绩效标准 / 参考标准 as printed), typed from the fixtures' standard columns.
STANDARDS = {
    HN: [(n, "计划标准") for n in (9, 10, 11, 12, 13, 15, 18, 27, 28, 29, 30, 31, 32)],
    FJ: [
        (15, "计划标准"),
        (16, "计划标准"),
        (17, "计划标准"),
        (18, "历史标准"),
        (19, "历史标准"),
        (20, "行业标准"),
        (21, "计划标准"),
        (22, "计划标准"),
        (23, "计划标准"),
        (24, "行业标准"),
    ],
    HB: [
        (12, "反映办公大楼全年维修维护情况"),
        (13, "反映大楼保卫巡检情况"),
        (14, "反映办公大楼全年维修维护质量情况"),
        (15, "反映办公大楼大型设备更新验收情况"),
        (16, "反映设备设施维保质量情况"),
        (17, None),  # the 成本控制率 row prints no standard
        (18, "反映水电气消耗比上年下降情况"),
        (19, "反映大楼安全保卫和办公秩序情况"),
        (20, "反映服务对象对大楼运行保障的满意程度"),
    ],
}


@pytest.mark.parametrize("name", sorted(STANDARDS))
def test_the_standard_column_is_kept_as_printed_beside_the_target(name):
    records, _ = _records(name)
    got = [(r["source_line"], r["standard_printed"]) for r in records["raw_indicators"]]
    assert got == STANDARDS[name]
    assert all(r["remark_printed"] is None for r in records["raw_indicators"])


# ------------------------------------------------------------------ transfer-payment regional table

TR = "transfer_region_2022_county.txt"
# Typed from the fixture's lines 14-27: the 绩效指标 cell of line 14 is the grid's caption, the
# 单位 cell comes first in target_parts (printed order), the value cell is the target as printed.
TR_ROWS = [
    (1, 14, "产出指标", "数量指标", "猪肉产量稳定率", "≥95%", ("%", "≥95%"), None, None, "annual"),
    (1, 15, "产出指标", "数量指标", "能繁母猪稳定率", "90%", ("%", "90%"), None, None, "annual"),
    (1, 16, "产出指标", "数量指标", "规模养殖场保有数量", "≥120个", ("个", "≥120个"), None, None, "annual"),
    (1, 17, "产出指标", "质量指标", "生猪产地检疫率", "100%", ("%", "100%"), None, None, "annual"),
    (1, 18, "产出指标", "质量指标", "病死猪无害化处理率", "≥98%", ("%", "≥98%"), None, None, "annual"),
    (1, 19, "产出指标", "时效指标", "奖励资金拨付及时率", "≥95%", ("%", "≥95%"), None, None, "annual"),
    (
        1,
        20,
        "产出指标",
        "时效指标",
        "项目完成时间",
        "2022年12月31日前",
        ("年", "2022年12月31日前"),
        None,
        None,
        "annual",
    ),
    # a bare number beside its unit cell: the one split target, combined
    (1, 21, "产出指标", "成本指标", "生猪调出大县奖励资金", "397万元", ("万元", "397"), None, None, "annual"),
    (
        1,
        22,
        "效益指标",
        "经济效益指标",
        "带动养殖户增收",
        "≥500元/户",
        ("元/户", "≥500元/户"),
        None,
        None,
        "annual",
    ),
    (
        1,
        23,
        "效益指标",
        "社会效益指标",
        "保障生猪市场供应",
        "有效保障",
        ("—", "有效保障"),
        None,
        None,
        "annual",
    ),
    # line 24: the mirror's spam line, reported, never a row
    (1, 25, "效益指标", "生态效益指标", "畜禽粪污综合利用率", "≥80%", ("%", "≥80%"), None, None, "annual"),
    (1, 26, "效益指标", "可持续影响指标", "规模养殖比重", "70%", ("%", "70%"), None, None, "annual"),
    (1, 27, "满意度指标", "服务对象满意度指标", "养殖户满意度", "≥90%", ("%", "≥90%"), None, None, "annual"),
]
TR_FLAGS = {
    14: ["unit_printed_twice"],
    15: ["unit_printed_twice"],
    16: ["unit_printed_twice"],
    17: ["unit_printed_twice"],
    18: ["unit_printed_twice"],
    19: ["unit_printed_twice"],
    20: ["unit_not_in_value"],  # 年 beside a deadline: never appended
    21: [],
    22: ["unit_printed_twice"],
    23: ["unit_cell_not_a_unit"],  # — is a dash, not a unit
    25: ["unit_printed_twice"],
    26: ["unit_printed_twice"],
    27: ["unit_printed_twice"],
}


def test_transfer_region_indicators_count_the_unit_once_and_keep_it_as_a_part():
    records, verdict = _records(TR)
    assert _indicators(records) == TR_ROWS
    assert {r["source_line"]: r["parse_flags"] for r in records["raw_indicators"]} == TR_FLAGS
    # 90% and 70% print no comparator: none is invented (the lexer's exact reading is '=')
    bare = {r["source_line"]: r["lex_comparator_printed"] for r in records["raw_indicators"]}
    assert (bare[15], bare[26], bare[17]) == (None, None, None)
    assert all(r["level1_printed"] != "绩效指标" for r in records["raw_indicators"])
    # the spam line injected by the mirror (line 24) is the only issue: reported, not read
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "loaded_with_warnings",
        "line_unplaced",
        24,
    )
    (issue,) = records["raw_parse_issues"]
    assert (issue["source_line"], issue["issue_code"]) == (24, "line_unplaced")
    assert "【推荐】免费领取彩金" in issue["message"] and "未作为数据读取" in issue["message"]


def test_transfer_region_fund_authorities_and_money():
    records, _ = _records(TR)
    (doc,) = records["raw_documents"]
    assert (doc["template_family"], doc["fiscal_year"], doc["title"], doc["division_code"]) == (
        "transfer_region",
        2022,
        "生猪(牛羊)调出大县奖励资金区域绩效目标表",
        "500233",  # 忠县, from the 区县主管部门 (the title names the fund, not a publisher)
    )
    (p,) = records["raw_projects"]
    assert (
        p["project_seq"],
        p["source_line"],
        p["end_line"],
        p["project_name"],
        p["department_printed"],
        p["department_name"],
        p["implementing_unit"],
        p["money_unit_printed"],
        p["annual_goal"],
        p["parse_flags"],
    ) == (
        1,
        3,
        27,
        "生猪(牛羊)调出大县奖励资金",
        "忠县农业农村委员会",
        "忠县农业农村委员会",
        None,
        "万元",  # from the labels' (万元)
        "到2022年底,生猪生产稳定有序发展,能繁母猪保有量、规模养殖场保有量完成市政府既定目标,推进畜牧业高质量发展。",
        [],
    )
    authorities = [
        (a["authority_seq"], a["role"], a["label_printed"], a["printed"], a["source_line"])
        for a in records["raw_project_authorities"]
    ]
    assert authorities == [
        (1, "central_department", "中央主管部门", "财政部、农业农村部", 4),
        (2, "provincial_finance", "省级财政部门", "重庆市财政局", 5),
        (3, "provincial_department", "省级主管部门", "重庆市农业农村委员会", 6),
        (4, "county_finance", "区县财政部门", "忠县财政局", 7),
        (5, "county_department", "区县主管部门", "忠县农业农村委员会", 8),
    ]
    cells = [
        (
            c["field"],
            c["label_printed"],
            c["printed"],
            c["amount"],
            c["unit_printed"],
            c["problem"],
            c["source_line"],
        )
        for c in records["raw_funding_cells"]
    ]
    assert cells == [
        ("annual_total", "年度金额(万元):", "397", Decimal("397"), None, None, 9),
        ("transfer_central", "其中:中央补助(万元)", "397", Decimal("397"), None, None, 10),
        ("local_funds", "地方资金(万元)", "", None, None, "blank", 11),  # blank, never zero
    ]
    # in yuan (万元 × 10,000): 3,970,000 annual and central, the local cell blank
    assert [c[3] * 10000 for c in cells if c[3] is not None] == [Decimal("3970000")] * 2
