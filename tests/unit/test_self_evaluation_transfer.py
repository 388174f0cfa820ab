"""The transfer-payment self-evaluation (转移支付区域(项目)绩效目标自评表) read by the self-evaluation
reader: its vocabulary, the unit signs the value grammar keeps, and a property test over
generated transfer-payment forms."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.families.flat import split_projects
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.tables import to_lines
from ingest.values import lex_target, normalise
from ingest.verdict import judge

T = "\t"
HEADER = [
    ["某县转移支付区域(项目)绩效目标自评表"],
    ["(2023年度)"],
    ["转移支付(项目)名称", "某县革命旧址保护利用项目"],
    ["中央主管部门", "国家文物局"],
    ["地方主管部门", "某县文化旅游体育局", "资金使用单位", "某县文物局"],
    ["资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "预算执行率(B/A)"],
    ["年度资金总额:", "100", "80", "80%"],
    ["其中:中央财政资金", "100", "80", "80%"],
    ["地方资金", "0", "0", "0"],
    ["其他资金", "0", "0", "0"],
    ["总体目标", "全年实际完成情况"],
    ["完成旧址修缮", "完成修缮主体工程"],
]
CAPTION = [
    "绩效指标",
    "一级 指标",
    "二级指标",
    "三级指标",
    "指标值",
    "全年实际完成值",
    "未完成原因和改进措施",
]
FIRST_ROW = 14  # the line of the first grid row (after the 12 header lines and the caption)


def _doc(rows: list[list[str]], header: list[list[str]] = HEADER) -> str:
    return "\n".join(T.join(r) for r in [*header, CAPTION, *rows]) + "\n"


def _read(text: str, name: str = "tr.txt"):
    parsed = parse_document(text, name, "doc")
    return parsed, judge(parsed, text, name)


def test_the_square_metre_sign_is_kept_as_a_unit():
    assert normalise("300㎡") == "300㎡"  # NFKC would make it 300m2, which no unit reads
    assert normalise("ＡＢ５㎡") == "AB5㎡"  # the rest is still folded
    lexeme = lex_target("≥300㎡")
    assert (lexeme.kind, lexeme.comparator, lexeme.low, lexeme.unit_printed) == (
        "number",
        ">=",
        Decimal(300),
        "㎡",
    )
    assert lex_target("12㎥").unit_printed == "㎥"


def test_split_projects_opens_a_table_at_any_of_its_labels():
    lines = to_lines("标题\n项目名称\tA\nx\t1\n转移支付(项目)名称\tB\n")
    preamble, blocks = split_projects(lines, ("项目名称", "转移支付(项目)名称"))
    assert [ln.number for ln in preamble] == [1]
    assert [[ln.number for ln in b] for b in blocks] == [[2, 3], [4]]
    assert [len(b) for b in split_projects(lines)[1]] == [3]  # the default opening only


def test_the_transfer_form_header_and_funding_vocabulary():
    parsed, verdict = _read(_doc([["", "产 出 指 标", "数量指标", "修缮面积", "300㎡", "300㎡", "——"]]))
    assert verdict.status == "loaded", verdict.reason
    (project,) = parsed.self_eval_projects
    assert (
        project.project_name,
        project.central_department_printed,
        project.department_printed,
        project.implementing_unit,
    ) == ("某县革命旧址保护利用项目", "国家文物局", "某县文化旅游体育局", "某县文物局")
    assert [(f.field, f.label_printed) for f in project.funding] == [
        ("annual_total", "年度资金总额:"),
        ("central_funds", "其中:中央财政资金"),
        ("local_funds", "地方资金"),
        ("other_funds", "其他资金"),
    ]
    assert (project.goal_target, project.goal_actual) == ("完成旧址修缮", "完成修缮主体工程")


def test_a_central_department_with_nothing_after_it_is_left_null():
    header = [*HEADER[:3], ["中央主管部门"], *HEADER[4:]]
    parsed, _ = _read(_doc([["", "产出指标", "数量指标", "修缮面积", "300㎡", "300㎡"]], header=header))
    (project,) = parsed.self_eval_projects
    assert project.central_department_printed is None and project.department_printed == "某县文化旅游体育局"


def test_a_name_that_only_starts_with_the_word_is_not_flagged():
    rows = [
        ["", "产出指标", "数量指标", "指标体系建设数量", "3个", "3个"],
        ["", "", "", "指标3：完成率", "100%", "100%"],  # a full-width colon
    ]
    parsed, _ = _read(_doc(rows))
    assert [i.parse_flags for i in parsed.self_eval_indicators] == [[], ["name_numbered"]]


def test_a_transfer_form_without_grid_rows_is_held_back():
    parsed, verdict = _read(_doc([]))
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "no_indicators", 3)
    assert parsed.projects == [] and parsed.indicators == []


# ------------------------------------------------------------------ property

_NAME = st.text(alphabet="布展面积工程质量安全事故发生率招投标时间周期", min_size=1, max_size=10)
_NUMBERED = st.sampled_from(["", "指标:", "指标1:", "指标2:", "指标12："])
_VALUE = st.sampled_from(
    [
        "300㎡",
        "<=0%",
        ">=90%",
        "1个月",
        "4个月",
        "<=127万元",
        "27.9996万元",
        "一次性通过省文物局验收",
        "一次性",
        "0",
        "——",
    ]
)
_LEVELS = st.sampled_from(
    [
        ("产 出 指 标", "数量指标", "产出指标"),
        ("产出指标", "时效指标", "产出指标"),
        ("效 益 指 标", "社会效益指标", "效益指标"),
        ("满 意 度 指 标", "服务对象满意度指标", "满意度指标"),
    ]
)
_AMOUNT = st.decimals(min_value=0, max_value=99999, places=4, allow_nan=False).map(str)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_LEVELS, _NUMBERED, _NAME, _VALUE, _VALUE, _VALUE), min_size=1, max_size=10),
    _AMOUNT,
    _AMOUNT,
)
def test_every_row_of_a_transfer_form_comes_back_as_printed(rows, budget, executed):
    header = [*HEADER[:6], ["年度资金总额:", budget, executed, "—"], *HEADER[7:]]
    lines = [
        ["", level1, level2, prefix + name, target, actual, reason]
        for (level1, level2, _), prefix, name, target, actual, reason in rows
    ]
    text = _doc(lines, header=header)
    parsed, verdict = _read(text)
    assert verdict.status == "loaded", verdict.reason
    records = to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8")
    got = [
        (
            r["source_line"],
            r["level1_printed"],
            r["level1_key"],
            r["level2_printed"],
            r["indicator_name"],
            r["target_text"],
            r["actual_text"],
            r["reason_printed"],
            r["weight"],
            r["score"],
            "name_numbered" in r["parse_flags"],
        )
        for r in records["raw_self_evaluation_indicators"]
    ]
    want = [
        (FIRST_ROW + n, level1, key, level2, prefix + name, target, actual, reason, None, None, bool(prefix))
        for n, ((level1, level2, key), prefix, name, target, actual, reason) in enumerate(rows)
    ]
    assert got == want
    annual = records["raw_self_evaluation_funding"][0]
    assert (annual["field"], annual["budget_printed"], annual["executed_printed"]) == (
        "annual_total",
        budget,
        executed,
    )
    assert (annual["budget_amount"], annual["executed_amount"]) == (Decimal(budget), Decimal(executed))
    assert (annual["weight"], annual["score"]) == (None, None)  # no 分值 / 得分 column: NULL, never 0


_PAGE_BREAK = [["第1页/共2页"], ["某县转移支付区域(项目)绩效目标自评表"], ["(2023年度)"], CAPTION]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(_LEVELS, _NUMBERED, _NAME, _VALUE, _VALUE), min_size=2, max_size=10),
    st.integers(min_value=1, max_value=9),
)
def test_a_page_break_anywhere_in_the_grid_changes_nothing_but_the_lines(rows, after):
    after = min(after, len(rows) - 1)
    lines = [
        ["", l1, l2, prefix + name, target, actual] for (l1, l2, _), prefix, name, target, actual in rows
    ]
    text = _doc([*lines[:after], *_PAGE_BREAK, *lines[after:]])
    parsed, verdict = _read(text)
    assert verdict.status == "loaded", verdict.reason
    assert parsed.issues == [] and len(parsed.self_eval_projects) == 1
    got = [
        (i.source_line, i.level1_printed, i.indicator_name, i.target_text)
        for i in parsed.self_eval_indicators
    ]
    want = [
        (FIRST_ROW + n + (len(_PAGE_BREAK) if n >= after else 0), l1, prefix + name, target)
        for n, ((l1, _, _), prefix, name, target, _) in enumerate(rows)
    ]
    assert got == want
