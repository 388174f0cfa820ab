"""The transfer-payment regional table (ingest/families/transfer_region.py): recognised by its
cells, a fund × region read as a project, the unit counted once, what it cannot read reported
or held back with what was not understood."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.families.transfer_region import label_and_unit, money_unit
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
FIXTURE = "transfer_region_2022_county.txt"
T = "\t"


def _lines() -> list[str]:
    return (WILD / FIXTURE).read_text(encoding="utf-8").rstrip("\n").split("\n")


def _verdict(text: str, name: str = "t.txt"):
    parsed = parse_document(text, name, "doc")
    return parsed, judge(parsed, text, name)


def _with_grid(rows: list[list[str]]) -> str:
    """The fixture's header and caption (lines 1-13) with these grid rows."""
    return "\n".join(_lines()[:13] + [T.join(r) for r in rows]) + "\n"


def test_labels_give_their_key_and_their_money_unit():
    assert label_and_unit("年度金额(万元):") == ("年度金额", "万元")
    assert label_and_unit("其中:中央补助(万元)") == ("中央补助", "万元")
    assert label_and_unit("地方资金（元）") == ("地方资金", "元")
    assert label_and_unit("资金名称") == ("资金名称", None)


def test_money_unit_per_label_else_the_block_else_the_table():
    assert money_unit({"annual_total": "万元", "local_funds": None}, None, None) == {"万元"}
    assert money_unit({"annual_total": None}, "万元", "元") == {"万元"}
    assert money_unit({"annual_total": None}, None, "元") == {"元"}
    assert money_unit({"annual_total": "万元", "local_funds": "元"}, None, None) == {"万元", "元"}
    assert money_unit({"annual_total": None}, None, None) == set()


def test_recognised_by_its_cells_without_the_title_or_the_file_name():
    text = "\n".join(_lines()[1:])  # no 区域绩效目标表 title: the vocabulary alone
    parsed, verdict = _verdict(text, "renamed.txt")
    assert parsed.document.template_family == "transfer_region"
    assert verdict.status == "loaded_with_warnings" and len(parsed.indicators) == 13


def test_a_transfer_table_the_reader_cannot_read_is_held_back_naming_what_it_lacks():
    parsed, verdict = _verdict(
        "生猪(牛羊)调出大县奖励资金区域绩效目标表\n资金名称\t生猪调出大县奖励资金", "x.txt"
    )
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "transfer_region_table", 1)
    assert "读不出它的表" in verdict.reason and "已见 “资金名称”表头行（第 2 行）" in verdict.reason
    assert "缺少 “年度金额”“中央补助”“地方资金”资金栏" in verdict.reason and "单位 指标值" in verdict.reason
    assert not parsed.projects and not parsed.indicators


# The 休宁 转移支付区域(项目)绩效目标自评表 (shared/documents/wild/xiuning_…): a self-evaluation
# with the transfer-payment header family. It is not this family's table.
XIUNING = "\n".join(
    T.join(cells)
    for cells in [
        ["休宁县转移支付区域(项目)绩效目标自评表"],
        ["(2023年度)"],
        ["转移支付(项目)名称", "休宁县中共皖浙赣省委驻地旧址陈列布展项目"],
        ["中央主管部门", "国家文物局"],
        ["地方主管部门", "休宁县文化旅游体育局", "资金使用单位", "休宁县文物局"],
        ["资金情况(万元)", "全年预算数(A)", "全年执行数(B)", "预算执行率(B/A)"],
        ["年度资金总额:", "127", "27.9996", "22%"],
        ["其中:中央财政资金", "127", "27.9996", "22%"],
        ["地方资金", "0", "0", "0"],
        ["绩效指标", "一级 指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因和改进措施"],
        ["产 出 指 标", "数量指标", "布展面积", "300㎡", "0", "展陈方案需通过省委宣传部审核"],
    ]
)


def test_the_transfer_self_evaluation_is_never_read_as_a_target_table():
    parsed, verdict = _verdict(XIUNING, "xiuning.txt")
    assert parsed.document.template_family != "transfer_region"
    assert not parsed.projects and not parsed.indicators  # never targets or money of this family
    assert verdict.status == "quarantined" or parsed.self_eval_projects  # held back, or its own reader's


def test_a_column_beside_unit_and_value_holds_the_document_back():
    lines = _lines()
    lines[12] += T + "分值"
    for i in range(13, len(lines)):
        if i != 23:  # not the spam line
            lines[i] += T + "5"
    _, verdict = _verdict("\n".join(lines))
    # nothing of it loads: the 分值 column is never read as a target or a weight of this family
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "unknown_grid_column", 13)
    assert "“分值”一列" in verdict.reason and "整份文档暂不载入" in verdict.reason


def test_a_stray_line_in_the_header_is_reported_and_nothing_else_changes():
    lines = _lines()
    lines.insert(5, "点击进入 澳门娱乐城 www.example.com")
    parsed, verdict = _verdict("\n".join(lines))
    stray = [i for i in parsed.issues if i.line == 6]
    assert [i.code for i in stray] == ["line_unplaced"] and "表头中" in stray[0].message
    (project,) = parsed.projects
    assert [a.role for a in project.authorities] == [
        "central_department",
        "provincial_finance",
        "provincial_department",
        "county_finance",
        "county_department",
    ]
    assert verdict.status == "loaded_with_warnings" and len(parsed.indicators) == 13


def test_labels_with_two_money_units_are_not_converted():
    lines = _lines()
    lines[9] = T.join(["", "其中:中央补助(元)", "3970000"])
    parsed, _ = _verdict("\n".join(lines))
    (project,) = parsed.projects
    assert project.money_unit_printed is None
    assert {"money_unit_conflict", "money_unit_not_printed"} <= set(project.parse_flags)
    assert [i.code for i in parsed.issues if i.line == 3] == ["money_unit_conflict"]
    assert project.funding_printed["transfer_central"] == "3970000"  # kept as printed


def test_no_unit_anywhere_is_flagged_not_guessed():
    lines = _lines()
    lines[8] = T.join(["资金情况", "年度金额:", "397"])
    lines[9] = T.join(["", "其中:中央补助", "397"])
    lines[10] = T.join(["", "地方资金"])
    parsed, _ = _verdict("\n".join(lines))
    (project,) = parsed.projects
    assert project.money_unit_printed is None and "money_unit_not_printed" in project.parse_flags
    lines.insert(1, "单位:万元")  # the table's unit line applies to every cell
    parsed, _ = _verdict("\n".join(lines))
    assert parsed.projects[0].money_unit_printed == "万元"


def test_the_goal_on_the_line_after_its_label():
    lines = _lines()
    goal = lines[11].split(T)[1]
    lines[11:12] = ["年度目标", goal]
    parsed, verdict = _verdict("\n".join(lines))
    assert parsed.projects[0].annual_goal == goal
    assert [i.line for i in parsed.issues] == [25]  # only the spam line (one line further down)


def test_two_funds_in_one_notice_are_two_projects():
    first = _lines()
    second = [ln.replace("生猪(牛羊)调出大县奖励资金", "动物防疫补助经费") for ln in first[:1] + first[2:]]
    parsed, _ = _verdict("\n".join(first + second))
    names = [(p.project_seq, p.project_name, p.source_line) for p in parsed.projects]
    assert names == [(1, "生猪(牛羊)调出大县奖励资金", 3), (2, "动物防疫补助经费", 29)]
    assert [len([i for i in parsed.indicators if i.project_seq == s]) for s in (1, 2)] == [13, 13]
    records = to_records(parsed, sha256="x", byte_size=1, encoding="utf-8")
    assert [a["project_seq"] for a in records["raw_project_authorities"]] == [1] * 5 + [2] * 5


# ------------------------------------------------------------------ properties

_KNOWN_UNIT = st.sampled_from(["%", "个", "万元", "元/户", "人次", "天", "家"])
_COMPARATOR = st.sampled_from(["", "≥", "≤", ">", "<"])


@given(
    st.lists(
        st.tuples(_COMPARATOR, st.integers(0, 100_000), _KNOWN_UNIT, st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_a_unit_is_counted_once_and_kept_as_a_part(rows):
    grid = [
        ["", "", "数量指标", f"指标{n}", unit, f"{c}{v}{unit if twice else ''}"]
        for n, (c, v, unit, twice) in enumerate(rows)
    ]
    grid[0][:2] = ["绩效指标", "产出指标"]
    parsed, verdict = _verdict(_with_grid(grid))
    assert verdict.status in ("loaded", "loaded_with_warnings")
    assert len(parsed.indicators) == len(rows)
    for row, (c, v, unit, twice) in zip(parsed.indicators, rows, strict=True):
        value = f"{c}{v}{unit if twice else ''}"
        assert row.target_text == f"{c}{v}{unit}"  # the unit exactly once, the comparator as printed
        assert row.target_parts == [unit, value]  # printed order: 单位 then 指标值
        assert ("unit_printed_twice" in row.parse_flags) == twice
        assert (row.level1_printed, row.level2_printed) == ("产出指标", "数量指标")


_CELL = st.sampled_from(
    [
        "绩效指标",
        "产出指标",
        "质量指标",
        "%",
        "≥95%",
        "90%",
        "—",
        "有效保障",
        "2022年底",
        "397",
        "万元",
        "广告 www.x.cn",
        "",
    ]
)


@given(st.lists(st.lists(_CELL, max_size=7), max_size=10))
def test_any_grid_is_read_or_reported_never_a_row_without_a_value_cell(grid):
    parsed, verdict = _verdict(_with_grid(grid))
    assert verdict.status in ("loaded", "loaded_with_warnings", "quarantined")
    loaded = parsed.indicators if verdict.status != "quarantined" else []  # held back: nothing loads
    for row in loaded:
        # a row is read only with a cell after its name; a unit with no value is no target
        assert row.indicator_name and (row.target_text or "target_not_printed" in row.parse_flags)
    lines_read = {i.source_line for i in parsed.indicators} | {i.line for i in parsed.issues}
    printed = {13 + n for n, cells in enumerate(grid, start=1) if any(cells)}
    assert printed <= lines_read  # every printed grid line is a row or an issue
