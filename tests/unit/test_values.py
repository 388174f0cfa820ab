"""lex_target: every form of the domain guide's value grammar, read by hand.

Expected values are what the printed text says (domain.md, "The value grammar"), not what
the code happens to return.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from ingest.values import lex_target, normalise


def _q(text, **kw):
    """The quantity facts of a lexeme, for compact comparisons."""
    lx = lex_target(text, **kw)
    return (lx.kind, lx.comparator, lx.low, lx.high, lx.unit_printed)


# comparison + number + unit ------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("≥95%", ("percent", ">=", D(95), None, "%")),
        ("≤2.5万元/家", ("number", "<=", None, D("2.5"), "万元/家")),
        ("≤3.89万元/家", ("number", "<=", None, D("3.89"), "万元/家")),
        ("≥40次", ("number", ">=", D(40), None, "次")),
        ("<5%", ("percent", "<", None, D(5), "%")),
        ("≥ 95%", ("percent", ">=", D(95), None, "%")),
        ("≤ 50万元", ("number", "<=", None, D(50), "万元")),
        ("≥70", ("number", ">=", D(70), None, None)),
        ("≥1", ("number", ">=", D(1), None, None)),
        ("≤30分钟", ("number", "<=", None, D(30), "分钟")),
        (">3次", ("number", ">", D(3), None, "次")),
        ("=100%", ("percent", "=", D(100), D(100), "%")),
        (">=90%", ("percent", ">=", D(90), None, "%")),
        ("<=5%", ("percent", "<=", None, D(5), "%")),
    ],
)
def test_sign_number_unit(text, expected):
    assert _q(text) == expected


# comparison in words --------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("大于等于 95%", ("percent", ">=", D(95), None, "%")),
        ("90%以上", ("percent", ">=", D(90), None, "%")),
        ("95%以上", ("percent", ">=", D(95), None, "%")),
        ("小于5%", ("percent", "<", None, D(5), "%")),
        ("不低于90%", ("percent", ">=", D(90), None, "%")),
        ("不少于4次", ("number", ">=", D(4), None, "次")),
        ("不超过5万元", ("number", "<=", None, D(5), "万元")),
        ("小于等于2%", ("percent", "<=", None, D(2), "%")),
        ("5%以下", ("percent", "<=", None, D(5), "%")),
        ("30分钟以内", ("number", "<=", None, D(30), "分钟")),
        ("大于80%", ("percent", ">", D(80), None, "%")),
        ("低于3%", ("percent", "<", None, D(3), "%")),
    ],
)
def test_word_comparators(text, expected):
    assert _q(text) == expected


def test_rate_name_before_the_number():
    lx = lex_target("完成率100%")
    assert (lx.kind, lx.comparator, lx.low, lx.high, lx.qualifier) == ("percent", "=", D(100), D(100), "完成率")


def test_words_then_a_signed_comparison():
    lx = lex_target("全区化工园区风险等级C级以下≥90%")
    assert (lx.kind, lx.comparator, lx.low, lx.high) == ("percent", ">=", D(90), None)
    assert lx.qualifier == "全区化工园区风险等级C级以下"


# the OCR'd sign ---------------------------------------------------------------------------
def test_ocr_sign_reads_as_at_most():
    lx = lex_target("《24万元")
    assert (lx.kind, lx.comparator, lx.low, lx.high, lx.unit_printed) == ("number", "<=", None, D(24), "万元")
    assert lx.comparator_printed == "《"
    assert "ocr_sign:《->≤" in lx.notes
    per = lex_target("《20万元/项")
    assert (per.comparator, per.high, per.unit_base, per.unit_per) == ("<=", D(20), "万元", "项")


# plain quantities ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("12次", ("number", "=", D(12), D(12), "次")),
        ("4 家", ("number", "=", D(4), D(4), "家")),
        ("1项", ("number", "=", D(1), D(1), "项")),
        ("2支", ("number", "=", D(2), D(2), "支")),
        ("70台", ("number", "=", D(70), D(70), "台")),
        ("12 个月", ("number", "=", D(12), D(12), "个月")),
        ("98856元", ("number", "=", D(98856), D(98856), "元")),
        ("360000 元", ("number", "=", D(360000), D(360000), "元")),
        ("13.5 万元", ("number", "=", D("13.5"), D("13.5"), "万元")),
        ("4", ("number", "=", D(4), D(4), None)),
        ("≥50篇（次）", ("number", ">=", D(50), None, "篇(次)")),
        ("≤10万", ("number", "<=", None, D(10), "万")),  # bare 万: the unit seed reads it as 万元
    ],
)
def test_plain_quantities(text, expected):
    assert _q(text) == expected


def test_thousand_multiplier_applies_to_counts():
    lx = lex_target("≥9千条")
    assert (lx.comparator, lx.low, lx.high, lx.unit_printed, lx.multiplier) == (">=", D(9000), None, "条", 1000)


def test_ten_thousand_multiplier_applies_to_counts_not_money():
    views = lex_target("≥20万次")
    assert (views.low, views.unit_printed, views.multiplier) == (D(200000), "次", 10000)
    money = lex_target("≥20万元")
    assert (money.low, money.unit_printed, money.multiplier) == (D(20), "万元", None)


# per-unit amounts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2746元/人", ("=", D(2746), D(2746), "元/人", "元", "人")),
        ("≤20元/条", ("<=", None, D(20), "元/条", "元", "条")),
        ("每期≤1万元", ("<=", None, D(1), "万元/期", "万元", "期")),
        ("5万元/家", ("=", D(5), D(5), "万元/家", "万元", "家")),
        ("100人/次", ("=", D(100), D(100), "人/次", "人", "次")),
    ],
)
def test_per_unit_amounts(text, expected):
    lx = lex_target(text)
    assert (lx.comparator, lx.low, lx.high, lx.unit_printed, lx.unit_base, lx.unit_per) == expected


# ranges -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("0-2000户", ("number", "range", D(0), D(2000), "户")),
        ("2000-6000元", ("number", "range", D(2000), D(6000), "元")),
        ("150-4500元", ("number", "range", D(150), D(4500), "元")),
        ("0-25万人次", ("number", "range", D(0), D(250000), "人次")),
        ("0-60606人", ("number", "range", D(0), D(60606), "人")),
        ("90%-95%", ("percent", "range", D(90), D(95), "%")),
        ("1至3个月", ("number", "range", D(1), D(3), "个月")),
        ("2000～6000元", ("number", "range", D(2000), D(6000), "元")),
    ],
)
def test_ranges(text, expected):
    assert _q(text) == expected


def test_reversed_range_is_not_a_range():
    assert lex_target("6000-2000元").kind == "text"


# dates and deadlines ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, comparator, iso, rule",
    [
        ("2025/12/31", "=", "2025-12-31", "day"),
        ("2025/8/30", "=", "2025-08-30", "day"),
        ("2025年12月31日前", "<=", "2025-12-31", "day_deadline"),
        ("2025年12月31日之前", "<=", "2025-12-31", "day_deadline"),
        ("2025年12月31日", "=", "2025-12-31", "day"),
        ("2025年12月31", "=", "2025-12-31", "day"),
        ("2025年11月底", "<=", "2025-11-30", "month_end"),
        ("2025年12月底", "<=", "2025-12-31", "month_end"),
        ("2025年12月前", "<=", "2025-12-31", "month_before"),
        ("2025年10月前", "<=", "2025-10-31", "month_before"),
        ("2025年9月前", "<=", "2025-09-30", "month_before"),
        ("2025年2月底", "<=", "2025-02-28", "month_end"),
        ("2024年2月底", "<=", "2024-02-29", "month_end"),
        ("2025 年底", "<=", "2025-12-31", "year_end"),
        ("2025年", "<=", "2025-12-31", "year"),
        ("2025 年", "<=", "2025-12-31", "year"),
        ("2025年12月", "<=", "2025-12-31", "month"),
        ("2024年12月", "<=", "2024-12-31", "month"),
        ("2025-06-30", "=", "2025-06-30", "day"),
        ("2025年第三季度", "<=", "2025-09-30", "quarter_end"),
        ("2025年6月下旬", "<=", "2025-06-30", "xun_end"),
    ],
)
def test_dates(text, comparator, iso, rule):
    lx = lex_target(text)
    assert (lx.kind, lx.comparator, lx.date, lx.date_rule) == ("date", comparator, iso, rule)
    assert lx.low is None and lx.high is None


def test_month_deadline_without_year_takes_the_fiscal_year():
    lx = lex_target("11月底前完成建设", default_year=2025)
    assert (lx.kind, lx.comparator, lx.date, lx.date_rule) == ("date", "<=", "2025-11-30", "month_end")
    assert "year_from_fiscal_year" in lx.notes
    assert "trailing_text:完成建设" in lx.notes


def test_month_deadline_without_any_year_has_no_date():
    lx = lex_target("11月底前")
    assert (lx.kind, lx.date, lx.is_quantified) == ("date", None, False)


def test_impossible_date_is_not_a_date():
    assert lex_target("2025年2月30日").kind == "text"


def test_a_year_is_not_a_duration_but_a_number_of_years_is():
    assert lex_target("2025年").kind == "date"
    lx = lex_target("3年")
    assert (lx.kind, lx.low, lx.unit_printed) == ("number", D(3), "年")


# placeholders, not applicable, qualitative, empty ------------------------------------------
@pytest.mark.parametrize("text", ["***户", "***户、***间", "**%", "***人", "＊＊＊户", "XX户"])
def test_placeholders(text):
    lx = lex_target(text)
    assert lx.kind == "placeholder" and not lx.is_quantified


@pytest.mark.parametrize("text", ["无", " 无 ", "<b>无</b>", "不适用", "/"])
def test_not_applicable(text):
    assert lex_target(text).kind == "not_applicable"


@pytest.mark.parametrize(
    "text",
    ["持续稳定", "有效提升", "明显提高", "逐步改变", "长期", "中长期", "通过自治区应急管理厅评定考核",
     "提升危化监管能力。", "全区安全生产形势", "同比下降", "达到国家标准"],
)
def test_qualitative(text):
    lx = lex_target(text)
    assert lx.kind == "text" and lx.comparator is None and not lx.is_quantified


@pytest.mark.parametrize("text", ["", "   ", "\t", None])
def test_empty(text):
    assert lex_target(text).kind == "empty"


# width and spaces ---------------------------------------------------------------------------
def test_full_width_digits_and_signs():
    assert _q("≥９５％") == ("percent", ">=", D(95), None, "%")
    assert _q("＜５％") == ("percent", "<", None, D(5), "%")
    assert _q("０－２５万人次") == ("number", "range", D(0), D(250000), "人次")
    assert lex_target("２０２５年１１月底").date == "2025-11-30"


def test_spaces_anywhere():
    assert _q(" ≤ 2 . 5 万 元 / 家 ") == ("number", "<=", None, D("2.5"), "万元/家")
    assert lex_target("2025 年 12 月 31 日 前").date == "2025-12-31"


def test_normalise_folds_signs():
    assert normalise("《24万元") == "≤24万元"
    assert normalise("＞＝ ９０ ％") == "≥90%"
    assert normalise("2000～6000元") == "2000~6000元"


def test_is_quantified():
    assert lex_target("≥95%").is_quantified
    assert lex_target("2025年").is_quantified
    assert not lex_target("持续提升").is_quantified
    assert not lex_target("无").is_quantified


# the raw table ---------------------------------------------------------------------------
def test_raw_indicator_rows_carry_the_lexeme():
    import pyarrow as pa

    from ingest.parse import parse_document
    from ingest.records import to_records
    from ingest.schema import RAW_INDICATORS
    from tests.conftest import SAMPLES, sample_text

    parsed = parse_document(sample_text("ningxia"), SAMPLES["ningxia"], "ningxia")
    rows = to_records(parsed, sha256="0" * 64, byte_size=0, encoding="utf-8")["raw_indicators"]
    table = pa.Table.from_pylist(rows, schema=RAW_INDICATORS)  # every row fits the raw schema
    assert table.num_rows == 447
    by_line = {r["source_line"]: r for r in rows}
    # line 466: 《24万元 (the OCR'd ≤)
    r = by_line[466]
    assert (r["lex_kind"], r["lex_comparator"], r["lex_comparator_printed"], r["lex_low"], r["lex_high"],
            r["lex_unit_base"]) == ("number", "<=", "《", None, D("24.000000"), "万元")
    # line 174: 2025年11月底
    r = by_line[174]
    assert (r["lex_kind"], r["lex_date"], r["lex_date_rule"]) == ("date", "2025-11-30", "month_end")
    # line 620: ≥9千条
    assert (by_line[620]["lex_low"], by_line[620]["lex_multiplier"]) == (D("9000.000000"), 1000)


def test_stale_schema_partition_is_rewritten(tmp_path):
    """A lake from before the lex_ columns gets a schema file with them (the gate checks it)."""
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    from ingest.schema import RAW_INDICATORS
    from ingest.writer import SCHEMA_SEGMENT, ensure_schema_segments, segment_file, write_table_atomic

    path = Path(segment_file(tmp_path, "raw_indicators", SCHEMA_SEGMENT))
    old = pa.schema([f for f in RAW_INDICATORS if not f.name.startswith("lex_")])
    write_table_atomic(path, old.empty_table())
    ensure_schema_segments(tmp_path)
    assert pq.read_schema(path).equals(RAW_INDICATORS, check_metadata=False)
