"""The self-evaluation reader (ingest.families.self_evaluation) and its verdict: pure functions,
small documents written here, and a property test over generated tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.families.self_evaluation import level_key, split_points
from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

T = "\t"
CAPTION = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "年度指标值",
    "全年实际值",
    "得分",
    "未完成原因",
]
HEADER = [
    ["某县农业农村局项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "高标准农田建设项目"],
    ["主管部门及代码", "某县农业农村局", "实施单位", "某县农田建设服务中心"],
    ["资金情况(万元)", "", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
    ["", "年度资金总额:", "100", "90", "10", "90.00%", "9"],
]


def _doc(rows: list[list[str]], header: list[list[str]] = HEADER, caption: list[str] = CAPTION) -> str:
    return "\n".join(T.join(r) for r in [*header, caption, *rows]) + "\n"


def _read(text: str, name: str = "se.txt"):
    parsed = parse_document(text, name, "doc")
    return parsed, judge(parsed, text, name)


ROW = ["", "产出指标(60分)", "数量指标", "建设面积", "20", "≥1000亩", "1050亩", "20"]


def test_points_are_split_off_the_level1_label():
    assert split_points("产出指标(70分)").label == "产出指标"
    assert split_points("产出指标(70分)").points == "70"
    assert split_points("效益指标（20.5分）").points == "20.5"
    assert split_points("产出指标") == split_points("产出指标")
    assert split_points("产出指标").points is None
    assert split_points("(10分)").label == "(10分)"  # nothing but points: kept whole, not a label


def test_level_key_is_the_seed_key_without_points_and_suffixes():
    assert level_key("产出指标(70分)") == "产出指标"
    assert level_key("数量指标（必填）") == "数量指标"
    assert level_key(None) is None


def test_a_self_evaluation_is_loaded_into_its_own_rows_only():
    parsed, verdict = _read(_doc([ROW]))
    assert verdict.status == "loaded"
    assert parsed.projects == [] and parsed.indicators == []
    (row,) = parsed.self_eval_indicators
    assert (row.source_line, row.level1_printed, row.indicator_name, row.target_text, row.actual_text) == (
        8,
        "产出指标(60分)",
        "建设面积",
        "≥1000亩",
        "1050亩",
    )


def test_an_unknown_grid_column_holds_the_document_back():
    caption = [*CAPTION[:4], "权重", *CAPTION[5:]]  # 权重 is not a word of this form
    parsed, verdict = _read(_doc([ROW], caption=caption))
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "unknown_grid_column", 7)
    assert "「权重」" in verdict.reason and verdict.reason.startswith("se.txt 第 7 行：")
    assert parsed.self_eval_indicators == []  # never read as something else


def test_a_cell_under_no_caption_word_is_reported_not_read():
    parsed, verdict = _read(_doc([[*ROW, "", "多出的单元格"]]))
    assert verdict.status == "loaded_with_warnings" and verdict.reason_code == "cell_outside_columns"
    assert "多出的单元格" in verdict.reason and "第 10 列" in verdict.reason
    (row,) = parsed.self_eval_indicators
    assert row.reason_printed is None and row.score_printed == "20"


def test_a_row_with_values_but_no_name_is_reported():
    parsed, verdict = _read(_doc([ROW, ["", "", "", "", "10", "≥90%", "95%", "10"]]))
    assert verdict.reason_code == "indicator_name_missing" and verdict.line == 9
    assert len(parsed.self_eval_indicators) == 1


def test_a_weight_or_score_that_is_not_a_number_is_flagged_and_kept():
    parsed, _ = _read(_doc([["", "产出指标", "数量指标", "建设面积", "二十", "≥1000亩", "1050亩", "满分"]]))
    (row,) = parsed.self_eval_indicators
    assert row.parse_flags == ["weight_not_number", "score_not_number"]
    records = to_records(parsed, sha256="x", byte_size=1, encoding="utf-8")
    (raw,) = records["raw_self_evaluation_indicators"]
    assert (raw["weight_printed"], raw["weight"], raw["score_printed"], raw["score"]) == (
        "二十",
        None,
        "满分",
        None,
    )


def test_a_level2_label_in_the_level1_column_is_read_as_level2_and_flagged():
    rows = [ROW, ["", "质量指标", "", "验收合格率", "20", "100%", "100%", "20"]]
    parsed, _ = _read(_doc(rows))
    second = parsed.self_eval_indicators[1]
    assert (second.level1_printed, second.level2_printed) == ("产出指标(60分)", "质量指标")
    assert second.parse_flags == ["level2_in_level1_column"]


def test_a_self_evaluation_without_a_project_table_stays_held_back():
    text = "项目支出绩效自评表(2022年度)\n" + T.join(
        ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分"]
    )
    _, verdict = _read(text, "self.txt")
    assert (verdict.status, verdict.reason_code) == ("quarantined", "self_evaluation_table")
    assert "找不到以“项目名称”或“转移支付(项目)名称”开头的自评表" in verdict.reason


def test_a_self_evaluation_without_indicator_rows_is_held_back():
    _, verdict = _read(_doc([]))
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "no_indicators", 3)


def test_a_self_evaluation_without_a_fiscal_year_is_held_back():
    header = [HEADER[0], *HEADER[2:]]
    header[0] = ["某县农业农村局项目支出绩效自评表"]
    _, verdict = _read(_doc([ROW], header=header))
    assert (verdict.status, verdict.reason_code) == ("quarantined", "fiscal_year_missing")


def test_an_unknown_funding_label_is_kept_but_not_counted():
    header = [*HEADER, ["", "其中:中央补助资金", "60", "60"]]
    parsed, verdict = _read(_doc([ROW], header=header))
    assert verdict.reason_code == "funding_label_unknown"
    records = to_records(parsed, sha256="x", byte_size=1, encoding="utf-8")
    unknown = records["raw_self_evaluation_funding"][-1]
    assert (unknown["field"], unknown["label_printed"], unknown["budget_printed"]) == (
        None,
        "其中:中央补助资金",
        "60",
    )


# ------------------------------------------------------------------ property

_TEXT = st.text(alphabet="建设面积率人亩个项万元年月日≥≤%.0123456789显著提升", min_size=1, max_size=8).map(
    str.strip
)
_VALUE = st.sampled_from(
    ["≥95%", "100%", "≥266米", "20万元", "显著提升", "2023年12月31日前", "46个", "≤0.8万元/个", ""]
)
_NUMBER = st.integers(min_value=0, max_value=30).map(str)
_ROW = st.tuples(_TEXT.filter(bool), _NUMBER, _VALUE, _VALUE, _NUMBER)
_LEVELS = st.sampled_from(
    [
        ("产出指标(60分)", "数量指标"),
        ("产出指标", "质量指标"),
        ("效益指标(30分)", "社会效益指标"),
        ("满意度指标(10分)", "服务对象满意度指标"),
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_LEVELS, _ROW), min_size=1, max_size=12))
def test_every_printed_row_comes_back_with_its_cells_and_line(rows):
    lines = [
        ["", level1, level2, name, weight, target, actual, score]
        for (level1, level2), (name, weight, target, actual, score) in rows
    ]
    text = _doc(lines)
    parsed, verdict = _read(text)
    assert verdict.status == "loaded", verdict.reason
    got = [
        (
            i.source_line,
            i.level1_printed,
            i.level2_printed,
            i.indicator_name,
            i.weight_printed,
            i.target_text,
            i.actual_text,
            i.score_printed,
        )
        for i in parsed.self_eval_indicators
    ]
    want = [
        (8 + n, level1, level2, name, weight, target, actual, score)
        for n, ((level1, level2), (name, weight, target, actual, score)) in enumerate(rows)
    ]
    assert got == want
    records = to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8")
    for raw in records["raw_self_evaluation_indicators"]:  # target and actual lexed alike
        same = raw["target_text"] == raw["actual_text"]
        assert not same or raw["target_lex_kind"] == raw["actual_lex_kind"]
        assert raw["level1_key"] in {"产出指标", "效益指标", "满意度指标"}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=10), max_size=15))
def test_any_cells_after_a_self_evaluation_header_never_raise(grid):
    text = _doc([[c.replace("\t", " ").replace("\n", " ").replace("\r", " ") for c in row] for row in grid])
    parsed, verdict = _read(text)
    assert verdict.status in ("loaded", "loaded_with_warnings", "quarantined")
    assert parsed.projects == [] and parsed.indicators == []  # never a target row
    to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8")


def test_a_level3_name_like_a_note_does_not_end_the_table_but_a_note_line_does():
    rows = [
        ["", "产出指标(60分)", "数量指标", "注册企业数量", "20", "≥10家", "12家", "20"],
        ["注:本表由项目实施单位填报"],
        ["", "", "", "说明之后的行", "10", "≥1", "1", "10"],
    ]
    parsed, verdict = _read(_doc(rows))
    assert verdict.status == "loaded"
    assert [i.indicator_name for i in parsed.self_eval_indicators] == ["注册企业数量"]


def test_a_year_line_repeated_inside_the_table_is_not_read_as_a_cell():
    rows = [ROW, ["（2023年度）"], ["", "", "质量指标", "验收合格率", "20", "100%", "100%", "20"]]
    parsed, verdict = _read(_doc(rows))
    assert verdict.status == "loaded", verdict.reason
    assert [i.source_line for i in parsed.self_eval_indicators] == [8, 10]
    assert parsed.document.fiscal_year == 2023


def test_a_page_break_inside_the_grid_is_not_read_as_cells():
    page_break = [["第1页/共2页"], ["某县农业农村局项目支出绩效自评表"], ["（2023年度）"], CAPTION]
    rows = [ROW, *page_break, ["", "", "质量指标", "验收合格率", "20", "100%", "100%", "20"], ["共2页"]]
    parsed, verdict = _read(_doc(rows))
    assert verdict.status == "loaded", verdict.reason
    assert [i.source_line for i in parsed.self_eval_indicators] == [8, 13]
    assert len(parsed.self_eval_projects) == 1 and parsed.issues == []


def test_a_single_cell_in_the_grid_that_is_no_page_repeat_is_still_reported():
    parsed, verdict = _read(_doc([ROW, ["第一页的补充说明"]]))
    assert (verdict.reason_code, verdict.line) == ("cell_outside_columns", 9)
    assert "第一页的补充说明" in verdict.reason


# A page copied cell by cell drops the merged cells: every grid row starts at the first column
# (休宁's excerpt prints them so). The rows must read the same, each flagged cells_shifted.
_WILD = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "wild"


def _evaluated(text: str, name: str) -> list[tuple]:
    parsed = parse_document(text, name, "d")
    return [
        (
            i.source_line,
            i.level1_printed,
            i.level2_printed,
            i.indicator_name,
            i.weight_printed,
            i.target_text,
            i.actual_text,
            i.score_printed,
            i.reason_printed,
        )
        for i in parsed.self_eval_indicators
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(
        [
            "selfeval_sichuan_2022_county.txt",
            "selfeval_beijing_2016_street.txt",
            "selfeval_transfer_2023_county.txt",
            "selfeval_pages_2023_county.txt",
        ]
    ),
    st.data(),
)
def test_grid_rows_copied_off_their_columns_read_the_same(name, data):
    text = (_WILD / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    caption = next(i for i, ln in enumerate(lines) if "三级指标" in ln)
    end = next(
        (i for i in range(caption + 1, len(lines)) if lines[i].split("\t")[0] in ("总分", "项目名称")),
        len(lines),
    )
    rows = [i for i in range(caption + 1, end) if lines[i].startswith("\t") and lines[i].strip()]
    chosen = set(data.draw(st.lists(st.sampled_from(rows), unique=True))) if rows else set()
    collapsed = "\n".join(ln.lstrip("\t") if i in chosen else ln for i, ln in enumerate(lines))
    assert _evaluated(collapsed, name) == _evaluated(text, name)
    parsed = parse_document(collapsed, name, "d")
    shifted = {i.source_line for i in parsed.self_eval_indicators if "cells_shifted" in i.parse_flags}
    assert shifted <= {i + 1 for i in chosen}
    assert not [x for x in parsed.issues if x.code == "cell_outside_columns" and x.line - 1 in chosen]


def test_a_stray_note_in_the_grid_is_not_moved_under_the_name_column():
    parsed, verdict = _read(_doc([ROW, ["补充说明"], ["说明文字", ""]]))
    assert [i.indicator_name for i in parsed.self_eval_indicators] == [ROW[3]]
