"""Golden rows of the self-evaluation form (项目支出绩效自评表), written by reading the fixtures.

``selfeval_sichuan_2022_county.txt`` (中江县水利局, FY2022, two projects) and
``selfeval_beijing_2016_street.txt`` (海淀区学院路街道, FY2016, 得分计算方法 column, 总分 line) are
complete documents written from the two excerpts in shared/documents/wild (see
tests/fixtures/wild/README.md). Every expected value below was typed from the fixture's lines,
cell by cell; they go through ``to_records`` (the raw tables' shape).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
SICHUAN = "selfeval_sichuan_2022_county.txt"
BEIJING = "selfeval_beijing_2016_street.txt"


def _records(name: str):
    text = (WILD / name).read_text(encoding="utf-8")
    parsed = parse_document(text, name, "doc")
    return to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8"), judge(parsed, text, name)


def _printed(records) -> list[tuple]:
    return [
        (
            r["project_seq"],
            r["source_line"],
            r["level1_printed"],
            r["level1_points_printed"],
            r["level1_key"],
            r["level2_printed"],
            r["indicator_name"],
            r["weight_printed"],
            r["target_text"],
            r["actual_text"],
            r["score_printed"],
            r["method_printed"],
            r["reason_printed"],
        )
        for r in records["raw_self_evaluation_indicators"]
    ]


def _lexed(records, side: str) -> list[tuple]:
    p = f"{side}_lex_"
    return [
        (
            r[f"{p}kind"],
            r[f"{p}comparator"],
            r[f"{p}low"],
            r[f"{p}high"],
            r[f"{p}unit_printed"],
            r[f"{p}date"],
        )
        for r in records["raw_self_evaluation_indicators"]
    ]


# ------------------------------------------------------------------ Sichuan 中江县水利局 2022

SICHUAN_PRINTED = [
    (1, 14, "产出指标(70分)", "70", "产出指标", "数量指标", "安装坡面水标尺", "10", "≥266米", "≥266米", "10", None, None),
    (1, 15, "产出指标(70分)", "70", "产出指标", "数量指标", "水标尺宽度", "10", "≥50厘米", "≥50厘米", "10", None, None),
    (1, 16, "产出指标(70分)", "70", "产出指标", "质量指标", "项目(工程)验收合格率", "20", "100%", "100%", "20", None, None),
    (1, 17, "产出指标(70分)", "70", "产出指标", "时效指标", "及时(按期)开工率", "10", "≥90%", "≥90%", "10", None, None),
    (1, 18, "产出指标(70分)", "70", "产出指标", "时效指标", "及时(按期)完工率", "10", "≥90%", "≥90%", "10", None, None),
    (1, 19, "产出指标(70分)", "70", "产出指标", "成本指标", "项目计划总投资", "10", "20万元", "20万元", "10", None, None),
    # line 20: 效益指标(20分) | 经济效益指标 with no indicator under it: a label-only row, no indicator
    (1, 21, "效益指标(20分)", "20", "效益指标", "社会效益指标", "受益脱贫(含监测对象)户人口数", "10", "≥1000人", "≥1000人", "10", None, None),
    (1, 22, "效益指标(20分)", "20", "效益指标", "社会效益指标", "群众生产生活条件改善状况", "10", "显著提升", "显著提升", "10", None, None),
    (1, 23, "满意度指标(10分)", "10", "满意度指标", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "10", "≥95%", "≥95%", "10", None, None),
    (2, 34, "产出指标(50分)", "50", "产出指标", "数量指标", "自动雨量站运行维护数量", "15", "46个", "46个", "15", None, None),
    (2, 35, "产出指标(50分)", "50", "产出指标", "质量指标", "设备运行完好率", "15", "≥95%", "93%", "12", None, "部分站点设备老化,2023年纳入更新计划"),
    (2, 36, "产出指标(50分)", "50", "产出指标", "时效指标", "维护完成时间", "10", "2022年12月31日前", "2022年12月31日前", "10", None, None),
    (2, 37, "产出指标(50分)", "50", "产出指标", "成本指标", "单站年维护费用", "10", "≤0.8万元/个", "0.66万元/个", "10", None, None),
    (2, 38, "效益指标(30分)", "30", "效益指标", "社会效益指标", "山洪灾害预警信息发布及时率", "30", "100%", "100%", "30", None, None),
    (2, 39, "满意度指标(10分)", "10", "满意度指标", "服务对象满意度指标", "沿河群众满意度", "10", "≥90%", "95%", "10", None, None),
]  # fmt: skip

# (kind, comparator, low, high, unit as printed, date): ≥ gives a lower bound only, ≤ an upper
# bound only, a plain value both; money stays in its printed unit here (yuan in dbt).
AT_LEAST_266_M = ("number", ">=", D("266"), None, "米", None)
AT_LEAST_90_PCT = ("percent", ">=", D("90"), None, "%", None)
ALL = ("percent", "=", D("100"), D("100"), "%", None)
SICHUAN_TARGETS = [
    AT_LEAST_266_M,
    ("number", ">=", D("50"), None, "厘米", None),
    ALL,
    AT_LEAST_90_PCT,
    AT_LEAST_90_PCT,
    ("number", "=", D("20"), D("20"), "万元", None),
    ("number", ">=", D("1000"), None, "人", None),
    ("text", None, None, None, None, None),  # 显著提升: qualitative
    ("percent", ">=", D("95"), None, "%", None),
    ("number", "=", D("46"), D("46"), "个", None),
    ("percent", ">=", D("95"), None, "%", None),
    ("date", "<=", None, None, None, "2022-12-31"),  # 2022年12月31日前: a deadline
    ("number", "<=", None, D("0.8"), "万元/个", None),
    ALL,
    AT_LEAST_90_PCT,
]
SICHUAN_ACTUALS = [
    AT_LEAST_266_M,  # the actual printed with its comparator, as the target
    ("number", ">=", D("50"), None, "厘米", None),
    ALL,
    AT_LEAST_90_PCT,
    AT_LEAST_90_PCT,
    ("number", "=", D("20"), D("20"), "万元", None),
    ("number", ">=", D("1000"), None, "人", None),
    ("text", None, None, None, None, None),
    ("percent", ">=", D("95"), None, "%", None),
    ("number", "=", D("46"), D("46"), "个", None),
    ("percent", "=", D("93"), D("93"), "%", None),  # short of ≥95%
    ("date", "<=", None, None, None, "2022-12-31"),
    ("number", "=", D("0.66"), D("0.66"), "万元/个", None),
    ALL,
    ("percent", "=", D("95"), D("95"), "%", None),
]


def test_sichuan_loads_as_a_self_evaluation_only():
    records, verdict = _records(SICHUAN)
    assert verdict.status == "loaded", verdict.reason
    assert (
        records["raw_projects"] == []
        and records["raw_indicators"] == []
        and records["raw_funding_cells"] == []
    )
    (document,) = records["raw_documents"]
    assert (
        document["template_family"],
        document["layout"],
        document["fiscal_year"],
        document["publisher"],
    ) == (
        "self_evaluation",
        "self_evaluation",
        2022,
        "中江县水利局",
    )


def test_sichuan_indicator_rows_printed():
    records, _ = _records(SICHUAN)
    assert _printed(records) == SICHUAN_PRINTED


def test_sichuan_target_and_actual_parsed_by_the_same_grammar():
    records, _ = _records(SICHUAN)
    assert _lexed(records, "target") == SICHUAN_TARGETS
    assert _lexed(records, "actual") == SICHUAN_ACTUALS


def test_sichuan_weights_and_scores_are_numbers():
    records, _ = _records(SICHUAN)
    rows = records["raw_self_evaluation_indicators"]
    assert [r["weight"] for r in rows] == [
        D(w) for w in (10, 10, 20, 10, 10, 10, 10, 10, 10, 15, 15, 10, 10, 30, 10)
    ]
    assert [r["score"] for r in rows] == [
        D(s) for s in (10, 10, 20, 10, 10, 10, 10, 10, 10, 15, 12, 10, 10, 30, 10)
    ]
    assert all(r["parse_flags"] == [] for r in rows)


def test_sichuan_projects_and_funding_block():
    records, _ = _records(SICHUAN)
    projects = [
        (p["project_seq"], p["source_line"], p["project_name"], p["department_name"], p["implementing_unit"], p["money_unit_printed"])
        for p in records["raw_self_evaluation_projects"]
    ]  # fmt: skip
    assert projects == [
        (
            1,
            4,
            "中江县2022年小型水库雨水情测报设施建设项目(衔接资金)",
            "中江县水利局",
            "中江县水利局",
            "万元",
        ),
        (
            2,
            25,
            "中江县2022年山洪灾害防治非工程措施运行维护项目",
            "中江县水利局",
            "中江县水旱灾害防御中心",
            "万元",
        ),
    ]
    first = records["raw_self_evaluation_projects"][0]
    assert first["goal_target"].startswith("完成全县12座小型水库坡面水标尺安装")
    assert first["goal_actual"] == "已完成12座小型水库坡面水标尺安装,总长266米,工程验收合格并投入使用。"
    assert first["goal_line"] == 11
    funding = [
        (f["project_seq"], f["source_line"], f["field"], f["label_printed"], f["budget_printed"], f["budget_amount"],
         f["executed_printed"], f["executed_amount"], f["weight_printed"], f["rate_printed"], f["rate_percent"],
         f["score_printed"], f["score"])
        for f in records["raw_self_evaluation_funding"]
    ]  # fmt: skip
    assert funding == [
        (1, 8, "annual_total", "年度资金总额:", "20", D(20), "20", D(20), "10", "100.00%", D(100), "10", D(10)),
        (1, 9, "fiscal_appropriation", "其中:本年财政拨款", "20", D(20), "20", D(20), "—", "—", None, "—", None),
        (1, 10, "other_funds", "其他资金", None, None, None, None, "—", "—", None, "—", None),
        (2, 28, "annual_total", "年度资金总额:", "35.6", D("35.6"), "30.26", D("30.26"), "10", "85.00%", D(85), "8.5", D("8.5")),
        (2, 29, "fiscal_appropriation", "其中:本年财政拨款", "35.6", D("35.6"), "30.26", D("30.26"), "—", "—", None, "—", None),
        (2, 30, "other_funds", "其他资金", "0", D(0), "0", D(0), "—", "—", None, "—", None),
    ]  # fmt: skip


def test_the_project_lead_on_line_6_is_not_stored():
    records, _ = _records(SICHUAN)
    text = repr(records)
    assert "王某某" not in text and "13812345678" not in text


# ------------------------------------------------------------------ Beijing 海淀区学院路街道 2016

BEIJING_PRINTED = [
    (1, 12, "产出指标(50分)", "50", "产出指标", "数量指标", "是否完成绩效目标申报表中申报的数量", "12.5", "100%", "100%", "12.5", "B/A*该指标分值", None),
    (1, 13, "产出指标(50分)", "50", "产出指标", "质量指标", "是否达到绩效目标申报表中申报的质量标准", "12.5", "100%", "100%", "12.5", "B/A*该指标分值", None),
    (1, 14, "产出指标(50分)", "50", "产出指标", "时效指标", "是否按时完成", "12.5", "是", "否", "0", "完成得满分,未完成不得分", "外包合同于9月签订,清扫保洁作业延后开展"),
    (1, 15, "产出指标(50分)", "50", "产出指标", "成本指标", "是否控制在预算内", "12.5", "≤310.21万元", "54.74万元", "12.5", "控制在预算内得满分", None),
    (1, 16, "效益指标(30分)", "30", "效益指标", "社会效益指标", "道路整洁程度", "15", "明显改善", "明显改善", "15", "达到目标得满分", None),
    (1, 17, "效益指标(30分)", "30", "效益指标", "可持续影响指标", "道路保洁长效管理机制", "15", "持续有效", "持续有效", "15", "达到目标得满分", None),
    (1, 18, "满意度指标(10分)", "10", "满意度指标", "服务对象满意度指标", "辖区居民满意度", "10", "≥90%", "92%", "10", "达到目标得满分", None),
]  # fmt: skip


def test_beijing_rows_with_the_scoring_method_column_between_actual_and_score():
    records, verdict = _records(BEIJING)
    assert verdict.status == "loaded", verdict.reason
    assert _printed(records) == BEIJING_PRINTED
    assert _lexed(records, "target")[3] == ("number", "<=", None, D("310.21"), "万元", None)
    assert _lexed(records, "actual")[3] == ("number", "=", D("54.74"), D("54.74"), "万元", None)
    assert _lexed(records, "actual")[6] == ("percent", "=", D("92"), D("92"), "%", None)


def test_beijing_funding_block_total_and_publisher():
    records, _ = _records(BEIJING)
    (project,) = records["raw_self_evaluation_projects"]
    assert (project["project_name"], project["department_printed"], project["implementing_unit"]) == (
        "【体制】自管道路清扫保洁外包工作经费",
        "北京市海淀区人民政府学院路街道办事处",
        "北京市海淀区学院路街道城市运行服务中心",
    )
    assert (project["total_weight_printed"], project["total_score"], project["total_line"]) == (
        "100",
        D("82.5"),
        19,
    )
    annual, appropriation, other = records["raw_self_evaluation_funding"]
    # 50% printed, though 54.74 / 310.21 is 17.6%: kept as printed (dbt computes B/A beside it)
    assert (annual["budget_amount"], annual["executed_amount"], annual["rate_percent"], annual["score"]) == (
        D("310.21"),
        D("54.74"),
        D(50),
        D(5),
    )
    assert annual["method_printed"] == "执行率*该指标分值,最高不得超过分值上限。"
    assert (appropriation["field"], appropriation["label_printed"], appropriation["executed_amount"]) == (
        "fiscal_appropriation",
        "其中:本年一般公共预算拨款",
        D("54.74"),
    )
    assert (other["field"], other["budget_printed"], other["executed_printed"]) == ("other_funds", None, None)
    (document,) = records["raw_documents"]
    assert (document["fiscal_year"], document["publisher"]) == (2016, "北京市海淀区人民政府学院路街道办事处")
