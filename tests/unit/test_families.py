"""Template families: recognised by their cells, unknown layouts and look-alike documents held
back with a reason, columns read by content, personal data never stored."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.families import columns as col
from ingest.families.registry import FAMILIES, recognise
from ingest.parse import parse_document
from ingest.personal import REDACTED
from ingest.records import to_records
from ingest.tables import to_lines
from ingest.verdict import judge
from ingest.vocabulary import default_label_map
from tests.conftest import SAMPLES, sample_text

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
T = "\t"


def _verdict(text: str, name: str = "x.txt"):
    parsed = parse_document(text, name, "doc")
    return parsed, judge(parsed, text, name)


def test_family_names_are_unique_and_every_family_has_a_required_marker():
    names = [f.name for f in FAMILIES]
    assert len(names) == len(set(names))
    assert all(any(m.required for m in f.markers) for f in FAMILIES)


def test_the_samples_are_read_by_the_ningxia_family():
    for name in SAMPLES:
        choice = recognise(to_lines(sample_text(name)), default_label_map())
        assert choice.family is not None and choice.family.name == "ningxia"
        assert parse_document(sample_text(name), name, "d").document.template_family == "ningxia"


def test_each_fixture_is_recognised_by_its_family_not_by_its_file_name():
    for fixture, family in [
        ("inner_mongolia_2021_city.txt", "inner_mongolia"),
        ("sichuan_flat_2023_town.txt", "sichuan_flat"),
        ("hunan_2023_city.txt", "hunan"),
        ("rural_2022_county.txt", "rural"),
        ("side_by_side_2019_city.txt", "side_by_side"),
        ("fujian_2023_city.txt", "fujian"),
        ("hubei_2022_city.txt", "hubei"),
        ("two_grid_2021_town.txt", "two_grid"),
        ("transfer_region_2022_county.txt", "transfer_region"),
    ]:
        text = (WILD / fixture).read_text(encoding="utf-8")
        assert parse_document(text, "renamed.txt", "d").document.template_family == family


# A 评价内容 | 绩效内容 | 参考标准 | 绩效目标值 grid with none of a family's header blocks.
FUJIAN_LIKE = "\n".join(
    T.join(cells)
    for cells in [
        ["福建省省级部门项目支出绩效目标(2023年度)"],
        ["评价内容", "绩效内容", "参考标准", "绩效目标值"],
        ["产出指标", "数量目标", "培训人数", "按计划", "≥500人"],
        ["效益指标", "社会效益目标", "培训覆盖率", "按计划", "≥95%"],
    ]
)


def test_a_grid_of_an_unknown_family_is_held_back_naming_what_was_not_understood():
    parsed, verdict = _verdict(FUJIAN_LIKE, "fujian.txt")
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "quarantined",
        "template_family_unknown",
        3,
    )
    assert verdict.reason.startswith("fujian.txt 第 3 行：此行起有指标表，但它的表式不是解析器认识的任何一种")
    assert "缺少" in verdict.reason and "整份文档暂不载入" in verdict.reason
    assert not parsed.projects and not parsed.indicators  # never a wrong value


def test_a_self_evaluation_without_a_project_table_is_held_back_naming_its_type():
    # a readable self-evaluation loads into its own tables (tests/unit/test_self_evaluation.py);
    # one with no 项目名称 table to read is still held back, naming its type
    text = (
        T.join(["项目支出绩效自评表(2022年度)"])
        + "\n"
        + T.join(["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分"])
    )
    parsed, verdict = _verdict(text, "self.txt")
    assert (verdict.status, verdict.reason_code) == ("quarantined", "self_evaluation_table")
    assert "绩效自评表" in verdict.reason and not parsed.indicators and not parsed.self_eval_indicators


def test_a_unit_overall_table_is_held_back_naming_its_type():
    text = "岳阳楼区财政局2023年部门整体支出绩效目标表\n" + T.join(
        ["一级指标", "二级指标", "三级指标", "指标值"]
    )
    parsed, verdict = _verdict(text, "overall.txt")
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "unit_overall_table", 1)
    assert not parsed.self_eval_projects and not parsed.projects


def test_a_transfer_payment_regional_table_the_reader_cannot_read_is_held_back_naming_its_type():
    # a readable one loads with its family (tests/unit/test_transfer_region.py); this one prints
    # no funding block and no grid: held back, naming its type and what the family did not find
    _, verdict = _verdict("生猪(牛羊)调出大县奖励资金区域绩效目标表\n资金名称\t生猪调出大县奖励资金")
    assert (verdict.status, verdict.reason_code) == ("quarantined", "transfer_region_table")
    assert "转移支付区域绩效目标表" in verdict.reason and "缺少" in verdict.reason


def test_a_project_leads_name_and_phone_are_never_stored():
    lines = sample_text("pingluo").split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("项目属性"))
    lines.insert(
        at + 1, T.join(["项目负责人及电话", "张三丰 13912345678", "填表人:李四", "联系电话", "0951-6012345"])
    )
    text = "\n".join(lines)
    parsed = parse_document(text, "p.txt", "d")
    records = to_records(parsed, sha256="x", byte_size=1, encoding="utf-8")
    dumped = repr(records)
    for personal in ("张三丰", "13912345678", "李四", "0951-6012345"):
        assert personal not in dumped
    assert REDACTED in dumped  # the line was seen, its values removed


def test_the_header_word_does_not_decide_a_column_its_cells_do():
    # Inner Mongolia: 指标性质 holds 正向, 指标方向 holds =, 分值 holds the weight
    rows = [{0: "正向", 1: "=", 2: "8", 4: "4"}, {0: "反向", 1: "=", 2: "24", 3: "人/次", 4: "4"}]
    roles = col.column_roles(rows)
    assert roles.roles == {0: col.DIRECTION, 1: col.COMPARATOR, 2: col.NUMBER, 3: col.UNIT, 4: col.WEIGHT}


def test_a_second_number_column_that_is_not_a_weight_is_unknown():
    rows = [{0: "≥", 1: "95", 2: "%", 3: "2,000"}, {0: "≥", 1: "90", 2: "%", 3: "3,500"}]
    assert col.column_roles(rows).unknown == [3]  # values beyond 100 points: not a weight


def test_a_unit_printed_in_the_number_cell_and_its_own_cell_is_counted_once():
    roles = col.column_roles([{0: "≥", 1: "95%", 2: "%"}, {0: "≥", 1: "90%", 2: "%"}])
    col.choose_text_target(roles, {}, frozenset())  # 95% is text: the only text column holds the target
    target = col.combine({0: "≥", 1: "95%", 2: "%"}, roles)
    assert target.text == "≥95%" and "unit_printed_twice" in target.flags


def test_a_unit_cell_before_a_whole_target_is_a_part_in_printed_order_appended_only_to_a_number():
    # the transfer-payment regional form: 单位 | 指标值, the value cell the whole target
    roles = col.ColumnRoles({0: col.UNIT, 1: col.TARGET})
    cases = {
        ("%", "≥95%"): ("≥95%", ["unit_printed_twice"]),
        ("万元", "397"): ("397万元", []),  # a bare number: combined with its unit
        ("年", "2022年12月31日前"): ("2022年12月31日前", ["unit_not_in_value"]),  # never 前年
        ("—", "有效保障"): ("有效保障", ["unit_cell_not_a_unit"]),
    }
    for (unit, value), (text, flags) in cases.items():
        target = col.combine({0: unit, 1: value}, roles)
        assert (target.text, target.parts, target.flags) == (text, [unit, value], flags)
    alone = col.combine({0: "%"}, roles)  # a unit with no value beside it is no target
    assert (alone.text, alone.parts, alone.flags) == ("", ["%"], ["target_not_printed"])


def test_a_row_whose_empty_unit_cell_collapsed_never_glues_the_weight_to_the_target():
    # Inner Mongolia, 出差人数 正向 = 8 (no unit) 4, printed with the empty cell collapsed
    rows = [{0: "正向", 1: "=", 2: "24", 3: "人/次", 4: "4"}, {0: "正向", 1: "=", 2: "100", 3: "%", 4: "4"}]
    roles = col.column_roles([*rows, {0: "正向", 1: "=", 2: "8", 3: "4"}])
    target = col.combine({0: "正向", 1: "=", 2: "8", 3: "4"}, roles)
    assert (target.text, target.weight) == ("=8", None) and "unit_cell_not_a_unit" in target.flags


_CMP = st.sampled_from(["≥", "≤", "=", ">", "<"])
_UNIT = st.sampled_from(["%", "个", "人/次", "万元", "年", "次"])


@given(
    st.lists(
        st.tuples(
            _CMP, st.integers(0, 100_000), _UNIT, st.integers(1, 30), st.sampled_from(["正向", "反向"])
        ),
        min_size=3,
        max_size=30,
    )
)
def test_split_targets_are_combined_and_the_weight_is_never_the_target(rows):
    printed = [{0: d, 1: c, 2: str(n), 3: u, 4: str(w)} for c, n, u, w, d in rows]
    roles = col.column_roles(printed)
    assert roles.offset_of(col.WEIGHT) == 4 and roles.offset_of(col.NUMBER) == 2
    for (c, n, u, w, d), row in zip(rows, printed, strict=True):
        target = col.combine(row, roles)
        assert target.text == f"{c}{n}{u}" and target.parts == [c, str(n), u]
        assert (target.weight, target.direction) == (str(w), d)


@given(st.lists(st.sampled_from(["≥", "95", "%", "正向", "10", "优良", "备注文字很长的一句话"]), max_size=12))
def test_any_row_of_the_sichuan_form_never_raises(cells):
    text = (WILD / "sichuan_flat_2023_town.txt").read_text(encoding="utf-8") + T.join(cells) + "\n"
    parsed, verdict = _verdict(text)
    assert verdict.status in ("loaded", "loaded_with_warnings", "quarantined")


@given(st.permutations(list(range(6, 13))))
def test_sichuan_rows_are_read_in_any_level_order(order):
    # lines 6-12 are project 1's continuation rows (no project cells): print them in any order
    lines = (WILD / "sichuan_flat_2023_town.txt").read_text(encoding="utf-8").split("\n")
    shuffled = lines[:5] + [lines[i - 1] for i in order] + lines[12:]
    parsed = parse_document("\n".join(shuffled), "s.txt", "d")
    read = sorted(
        (i.project_seq, i.indicator_name, i.target_text, i.weight_printed) for i in parsed.indicators
    )
    expected = parse_document("\n".join(lines), "s.txt", "d")
    assert read == sorted(
        (i.project_seq, i.indicator_name, i.target_text, i.weight_printed) for i in expected.indicators
    )


def test_a_value_type_column_is_read_as_printed():
    rows = [
        {0: "定量", 1: "≥", 2: "95", 3: "%"},
        {0: "定性", 1: "=", 2: "明显提升"},
        {0: "定量", 1: "≤", 2: "5", 3: "万元"},
    ]
    roles = col.column_roles(rows)
    assert roles.offset_of(col.VALUE_TYPE) == 0
    first, second = col.combine(rows[0], roles), col.combine(rows[1], roles)
    assert (first.value_type, first.text) == ("定量", "≥95%")
    assert (second.value_type, second.text) == ("定性", "=明显提升")


_VALUES = st.sampled_from(["≥95%", "200次", ">92%", "不超预算", "100%", "安全有序", "2021年12月31日前"])
_NAMES = st.sampled_from(["保洁面积", "设备完好率", "巡检次数", "群众满意度"])


@given(
    st.lists(
        st.tuples(_NAMES, st.sampled_from(["反映保洁情况", "", "反映设备情况", "100", "90"]), _VALUES),
        max_size=8,
    )
)
def test_hubei_rows_take_the_expected_value_never_the_standard(extra):
    lines = (WILD / "hubei_2022_city.txt").read_text(encoding="utf-8").split("\n")
    rows = [T.join(["", "", name, standard, value]) for name, standard, value in extra]
    parsed = parse_document("\n".join(lines[:20] + rows + lines[20:]), "h.txt", "d")
    added = [
        (i.indicator_name, i.target_text) for i in parsed.indicators if 21 <= i.source_line <= 20 + len(rows)
    ]
    assert added == [(name, value) for name, _, value in extra]
    standards = [i.standard_printed for i in parsed.indicators if 21 <= i.source_line <= 20 + len(rows)]
    assert standards == [standard or None for _, standard, _ in extra]
    assert not any(i.target_text.startswith("反映") for i in parsed.indicators)
    assert not any("unknown_grid_column" in p.parse_flags for p in parsed.projects)


@given(st.lists(st.tuples(st.one_of(st.just(""), _NAMES), _VALUES, st.sampled_from(["", "100"])), max_size=8))
def test_two_grid_rows_without_a_name_are_never_read(extra):
    lines = (WILD / "two_grid_2021_town.txt").read_text(encoding="utf-8").split("\n")
    rows = [T.join(["", "", "", name, value, note]) for name, value, note in extra]
    parsed = parse_document("\n".join(lines[:35] + rows + lines[35:]), "g.txt", "d")
    inserted = range(36, 36 + len(rows))
    added = [
        (i.indicator_name, i.target_text, i.horizon) for i in parsed.indicators if i.source_line in inserted
    ]
    assert added == [(name, value, "annual") for name, value, _ in extra if name]
    remarks = [(i.source_line, i.remark_printed) for i in parsed.indicators if i.source_line in inserted]
    assert remarks == [(36 + k, note or None) for k, (name, _, note) in enumerate(extra) if name]
    unplaced = [i.line for i in parsed.issues if i.code == "line_unplaced" and i.line in inserted]
    assert unplaced == [36 + k for k, (name, _, _) in enumerate(extra) if not name]


def test_a_hubei_row_with_nothing_in_the_name_column_is_reported_not_read():
    lines = (WILD / "hubei_2022_city.txt").read_text(encoding="utf-8").split("\n")
    row = T.join(["", "", "", "反映办公大楼全年维修维护情况", "95%"])
    parsed = parse_document("\n".join(lines[:20] + [row] + lines[20:]), "h.txt", "d")
    (issue,) = [i for i in parsed.issues if i.code == "line_unplaced"]
    assert issue.line == 21 and "第 3 列" in issue.message
    assert 21 not in {i.source_line for i in parsed.indicators} and len(parsed.indicators) == 9
