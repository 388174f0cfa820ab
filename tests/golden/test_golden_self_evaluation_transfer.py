"""Golden rows of the transfer-payment self-evaluation (转移支付区域(项目)绩效目标自评表), typed by
reading the fixture.

``selfeval_transfer_2023_county.txt`` (休宁县, FY2023, one 国家文物局 transfer project) is a
complete document written from the excerpt shared/documents/wild/
xiuning_anhui_2023_county_transfer_selfeval.txt (see tests/fixtures/wild/README.md): its header
(转移支付(项目)名称 / 中央主管部门 / 地方主管部门 / 资金使用单位), the funding block without 分值 /
得分 columns, 总体目标 | 全年实际完成情况 and the grid with its quirks as printed (产 出 指 标,
一级 指标, 指标1: prefixes, <=0%, 300㎡, 周期周期, 一次性通过省文物局验收 | 一次性), the cut-off
grid completed (成本, 效益, 满意度). Every expected value below was typed from the fixture's
lines, cell by cell; they go through ``to_records`` (the raw tables' shape).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
XIUNING = "selfeval_transfer_2023_county.txt"
WAIT = "展陈方案需通过省委宣传部审核,待展陈方案通过省委宣传部审核后,将尽快实施。"


def _records():
    text = (WILD / XIUNING).read_text(encoding="utf-8")
    parsed = parse_document(text, XIUNING, "doc")
    return to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8"), judge(parsed, text, XIUNING)


# (project_seq, line, level1_printed, level1_points_printed, level1_key, level2_printed, level2_key,
#  name, weight_printed, target, actual, score_printed, method_printed, reason)
PRINTED = [
    (1, 14, "产 出 指 标", None, "产出指标", "数量指标", "数量指标", "布展面积", None, "300㎡", "0", None, None, WAIT),
    (1, 15, "产 出 指 标", None, "产出指标", "质量指标", "质量指标", "指标1:工程实施总体质量", None, "一次性通过省文物局验收", "一次性", None, None, "未完成展陈建设"),
    (1, 16, "产 出 指 标", None, "产出指标", "质量指标", "质量指标", "指标2:安全事故发生率", None, "<=0%", "<=0%", None, None, "——"),
    (1, 17, "产 出 指 标", None, "产出指标", "时效指标", "时效指标", "指标1:招投标程序需要的时间(不含多次流标情况)", None, "1个月", "1个月", None, None, "——"),
    (1, 18, "产 出 指 标", None, "产出指标", "时效指标", "时效指标", "指标2:项目完成周期周期", None, "4个月", "4个月", None, None, WAIT),
    (1, 19, "产 出 指 标", None, "产出指标", "成本指标", "成本指标", "指标:项目总下达资金", None, "<=127万元", "27.9996万元", None, None, "展陈方案尚未通过审核,资金按合同进度支付"),
    (1, 20, "效 益 指 标", None, "效益指标", "社会效益指标", "社会效益指标", "指标1:红色文化宣传教育受众人数", None, ">=10000人次", "0", None, None, "展陈尚未建成开放,待布展完成后开放参观"),
    (1, 21, "效 益 指 标", None, "效益指标", "可持续影响指标", "可持续影响指标", "指标1:革命旧址保护利用水平", None, "逐步提升", "逐步提升", None, None, "——"),
    (1, 22, "满 意 度 指 标", None, "满意度指标", "服务对象满意度指标", "服务对象满意度指标", "指标1:参观群众满意度", None, ">=90%", "未开展", None, None, "展陈尚未建成开放,未开展满意度调查"),
]  # fmt: skip

# (kind, comparator, low, high, unit as printed, date)
TEXT = ("text", None, None, None, None, None)
ZERO = ("number", "=", D(0), D(0), None, None)
AT_MOST_0_PCT = ("percent", "<=", None, D(0), "%", None)
TARGETS = [
    ("number", "=", D(300), D(300), "㎡", None),  # the CJK square-metre sign kept as the unit
    TEXT,  # 一次性通过省文物局验收: qualitative
    AT_MOST_0_PCT,  # ASCII <= read as ≤
    ("number", "=", D(1), D(1), "个月", None),
    ("number", "=", D(4), D(4), "个月", None),
    ("number", "<=", None, D(127), "万元", None),
    ("number", ">=", D(10000), None, "人次", None),
    TEXT,
    ("percent", ">=", D(90), None, "%", None),
]
ACTUALS = [
    ZERO,  # nothing laid out yet
    TEXT,  # 一次性
    AT_MOST_0_PCT,
    ("number", "=", D(1), D(1), "个月", None),
    ("number", "=", D(4), D(4), "个月", None),
    ("number", "=", D("27.9996"), D("27.9996"), "万元", None),
    ZERO,
    TEXT,
    TEXT,  # 未开展
]


def test_the_transfer_form_loads_as_a_self_evaluation_only():
    records, verdict = _records()
    assert verdict.status == "loaded", verdict.reason
    assert records["raw_projects"] == [] and records["raw_indicators"] == []
    assert records["raw_funding_cells"] == [] and records["raw_parse_issues"] == []
    (document,) = records["raw_documents"]
    assert (
        document["template_family"],
        document["fiscal_year"],
        document["title"],
        document["region_name"],
        document["admin_level"],
    ) == ("self_evaluation", 2023, "休宁县转移支付区域(项目)绩效目标自评表", "休宁县", "county")


def test_the_header_keeps_the_central_and_the_local_department():
    records, _ = _records()
    (project,) = records["raw_self_evaluation_projects"]
    assert (
        project["project_seq"],
        project["source_line"],
        project["end_line"],
        project["project_name"],
        project["central_department_printed"],
        project["department_printed"],
        project["implementing_unit"],
        project["money_unit_printed"],
        project["goal_line"],
        project["total_line"],
    ) == (
        1,
        3,
        23,  # the sign-off line (填表人 …) closes the form
        "休宁县中共皖浙赣省委驻地旧址陈列布展项目",
        "国家文物局",
        "休宁县文化旅游体育局",
        "休宁县文物局",
        "万元",
        11,
        None,
    )
    assert project["goal_target"] == (
        "完成中共皖浙赣省委驻地旧址陈列布展,布展面积300㎡,工程一次性通过省文物局验收,发挥革命旧址红色文化宣传教育作用。"
    )
    assert project["goal_actual"] == "完成展陈方案编制和招投标,展陈方案报省委宣传部审核中,陈列布展尚未实施。"
    assert project["parse_flags"] == []


def test_the_funding_block_without_points_or_score_columns():
    records, _ = _records()
    funding = [
        (f["project_seq"], f["source_line"], f["field"], f["label_printed"], f["budget_printed"], f["budget_amount"],
         f["executed_printed"], f["executed_amount"], f["rate_printed"], f["rate_percent"],
         f["weight_printed"], f["weight"], f["score_printed"], f["score"], f["method_printed"])
        for f in records["raw_self_evaluation_funding"]
    ]  # fmt: skip
    assert funding == [
        (1, 7, "annual_total", "年度资金总额:", "127", D(127), "27.9996", D("27.9996"), "22%", D(22), None, None, None, None, None),
        (1, 8, "central_funds", "其中:中央财政资金", "127", D(127), "27.9996", D("27.9996"), "22%", D(22), None, None, None, None, None),
        # a rate printed 0 (no % sign): kept as printed, not read as a percent
        (1, 9, "local_funds", "地方资金", "0", D(0), "0", D(0), "0", None, None, None, None, None, None),
        (1, 10, "other_funds", "其他资金", "0", D(0), "0", D(0), "0", None, None, None, None, None, None),
    ]  # fmt: skip


def test_the_grid_rows_as_printed():
    records, _ = _records()
    got = [
        (r["project_seq"], r["source_line"], r["level1_printed"], r["level1_points_printed"], r["level1_key"],
         r["level2_printed"], r["level2_key"], r["indicator_name"], r["weight_printed"], r["target_text"],
         r["actual_text"], r["score_printed"], r["method_printed"], r["reason_printed"])
        for r in records["raw_self_evaluation_indicators"]
    ]  # fmt: skip
    assert got == PRINTED


def test_no_weight_or_score_is_read_as_zero():
    records, _ = _records()
    rows = records["raw_self_evaluation_indicators"]
    assert {(r["weight"], r["score"]) for r in rows} == {(None, None)}


def test_numbered_names_are_kept_and_flagged():
    records, _ = _records()
    flags = [(r["source_line"], r["parse_flags"]) for r in records["raw_self_evaluation_indicators"]]
    assert flags == [(14, [])] + [(line, ["name_numbered"]) for line in range(15, 23)]


def test_target_and_actual_parsed_by_the_same_grammar():
    records, _ = _records()
    rows = records["raw_self_evaluation_indicators"]

    def lexed(side: str) -> list[tuple]:
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
            for r in rows
        ]

    assert lexed("target") == TARGETS
    assert lexed("actual") == ACTUALS


def test_the_form_filler_on_line_23_is_not_stored():
    records, _ = _records()
    text = repr(records)
    assert "汪某某" not in text and "0559-7512345" not in text
