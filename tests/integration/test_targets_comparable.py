"""Targets made comparable, end to end: `jixiao refresh` into a temp dir, then the values,
flags and analyst marts checked against lines read in the documents.

Every expected value below was written by reading the line of the document it names
(documents/<file>, line N), not by running the code. A second run (ingest + build, no
publication) loads a copy of the Pingluo sample with mistakes planted and two of its real
mistakes corrected, so that the rules the samples do not trigger (funding, cost sums,
deadlines after the year) are seen to fire, and the corrected lines are seen to stop firing.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DOCUMENTS, SAMPLES

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
NX, PL = SAMPLES["ningxia"], SAMPLES["pingluo"]
MUTANT = "pingluo_mutant_2025.txt"


def _refresh(work: Path, documents: dict[str, str | bytes]) -> Path:
    docs = work / "docs"
    docs.mkdir()
    for name, content in documents.items():
        (docs / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    warehouse = work / "out" / "jixiao.duckdb"
    proc = subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return warehouse


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    work = tmp_path_factory.mktemp("targets")
    warehouse = _refresh(work, {name: (DOCUMENTS / name).read_bytes() for name in SAMPLES.values()})
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def _replace_line(lines: list[str], number: int, old: str, new: str) -> None:
    assert old in lines[number - 1], (number, lines[number - 1])
    lines[number - 1] = lines[number - 1].replace(old, new)


@pytest.fixture(scope="module")
def mutant(tmp_path_factory):
    lines = (DOCUMENTS / PL).read_text(encoding="utf-8").split("\n")
    _replace_line(lines, 11, "13.49", "12.49")  # p1: 财政拨款 12.49 ≠ 年度资金总额 13.49
    _replace_line(lines, 47, "360000 元", "3600 元")  # p2: 3600 元 of 36 万元
    _replace_line(lines, 41, "12 次", "开展现场指导服务次数")  # p2: target = name
    _replace_line(lines, 99, "2 次", "54 万元")  # p4: correct the count under 成本指标
    _replace_line(lines, 121, "2025 年底", "2026年6月底")  # p5: deadline after FY 2025
    _replace_line(lines, 122, "90000 元", "900000 元")  # p5: 90 万元 of 9 万元
    _replace_line(lines, 150, "≥90%", "**%")  # p6: placeholder
    _replace_line(lines, 174, "服务对象满意度指标（必填）", "社会效益指标（必填）")  # p7: no 满意度
    _replace_line(lines, 194, "100%", "140 万元")  # p8: correct the rate under 成本指标
    work = tmp_path_factory.mktemp("mutant")
    docs = work / "docs"
    docs.mkdir()
    (docs / MUTANT).write_text("\n".join(lines), encoding="utf-8")
    warehouse = work / "out" / "jixiao.duckdb"
    # ingest + build, without the publication gate: the quality gate rightly refuses to
    # publish a warehouse whose funding does not reconcile; the flags are what is tested here.
    for step in (["ingest", "--documents", str(docs)], ["build"]):
        proc = subprocess.run([JIXIAO, *step, "--warehouse", str(warehouse)], capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    con = duckdb.connect(str(warehouse.with_name(warehouse.name + ".next")), read_only=True)
    yield con
    con.close()


VALUE_SQL = """
    select value_kind, comparator, value_low, value_high, unit, value_yuan, target_date, is_quantified
    from marts.fct_indicator_target where source_file = ? and source_line = ?
"""

# (file, line, printed target) -> value_kind, comparator, value_low, value_high, unit, value_yuan, target_date
VALUES = [
    (PL, 19, "98856元", ("money", "=", D(98856), D(98856), "元", D(98856), None)),
    (PL, 45, "大于等于 95%", ("percent", ">=", D(95), None, "%", None, None)),
    (PL, 46, "12 个月", ("duration", "=", D(12), D(12), "月", None, None)),
    (PL, 18, "2025年", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (PL, 75, "2025 年底", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (PL, 76, "58.5 万元", ("money", "=", D(585000), D(585000), "元", D(585000), None)),
    (PL, 66, "4", ("count", "=", D(4), D(4), None, None, None)),
    (PL, 72, "6 期", ("count", "=", D(6), D(6), "期", None, None)),
    (PL, 80, "≥ 95%", ("percent", ">=", D(95), None, "%", None, None)),
    (PL, 168, "90%以上", ("percent", ">=", D(90), None, "%", None, None)),
    (PL, 193, "2025年", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (NX, 32, "2025/12/31", ("date", "=", None, None, None, None, date(2025, 12, 31))),
    (NX, 33, "≤2.5万元/家", ("money", "<=", None, D(25000), "元/家", D(25000), None)),
    (NX, 34, "≤3.89万元/家", ("money", "<=", None, D(38900), "元/家", D(38900), None)),
    (NX, 57, "≥40次", ("count", ">=", D(40), None, "次", None, None)),
    (NX, 89, "2025年12月31日", ("date", "=", None, None, None, None, date(2025, 12, 31))),
    (NX, 117, "2025年12月31日前", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (NX, 174, "2025年11月底", ("date", "<=", None, None, None, None, date(2025, 11, 30))),
    (NX, 175, "≤4.5万元/个", ("money", "<=", None, D(45000), "元/个", D(45000), None)),
    (NX, 177, "…C级以下≥90%", ("percent", ">=", D(90), None, "%", None, None)),
    (NX, 205, "2025年12月前", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (NX, 207, "≤10万", ("money", "<=", None, D(100000), "元", D(100000), None)),
    (NX, 307, "2025年10月前", ("date", "<=", None, None, None, None, date(2025, 10, 31))),
    (NX, 312, "2025年9月前", ("date", "<=", None, None, None, None, date(2025, 9, 30))),
    (NX, 369, "2025/8/30", ("date", "=", None, None, None, None, date(2025, 8, 30))),
    (NX, 370, "5万元/家", ("money", "=", D(50000), D(50000), "元/家", D(50000), None)),
    (NX, 396, "2025年12月31", ("date", "=", None, None, None, None, date(2025, 12, 31))),
    (NX, 421, "0-2000户", ("count", "range", D(0), D(2000), "户", None, None)),
    (NX, 425, "0-25万人次", ("count", "range", D(0), D(250000), "人次", None, None)),
    (NX, 427, "0-60606人", ("count", "range", D(0), D(60606), "人", None, None)),
    (NX, 431, "2000-6000元", ("money", "range", D(2000), D(6000), "元", D(6000), None)),
    (NX, 434, "150-4500元", ("money", "range", D(150), D(4500), "元", D(4500), None)),
    (NX, 435, "100人/次", ("count", "=", D(100), D(100), "人/次", None, None)),
    (NX, 465, "2025年12月31日之前", ("date", "<=", None, None, None, None, date(2025, 12, 31))),
    (NX, 466, "《24万元", ("money", "<=", None, D(240000), "元", D(240000), None)),
    (NX, 469, "《20万元/项", ("money", "<=", None, D(200000), "元/项", D(200000), None)),
    (NX, 510, "2024年12月", ("date", "<=", None, None, None, None, date(2024, 12, 31))),
    (NX, 512, "≥10万元", ("money", ">=", D(100000), None, "元", D(100000), None)),
    (NX, 569, "≤4元", ("money", "<=", None, D(4), "元", D(4), None)),
    (NX, 620, "≥9千条", ("count", ">=", D(9000), None, "条", None, None)),
    (NX, 643, "≤20元/条", ("money", "<=", None, D(20), "元/条", D(20), None)),
    (NX, 712, "<5%", ("percent", "<", None, D(5), "%", None, None)),
    (NX, 738, "≤30分钟", ("duration", "<=", None, D(30), "分钟", None, None)),
    (NX, 783, "≥50篇（次）", ("count", ">=", D(50), None, "篇(次)", None, None)),
    (NX, 785, "≥20万次", ("count", ">=", D(200000), None, "次", None, None)),
    (NX, 786, "完成率100%", ("percent", "=", D(100), D(100), "%", None, None)),
    (NX, 805, "每期≤1万元", ("money", "<=", None, D(10000), "元/期", D(10000), None)),
    (NX, 877, "40", ("count", "=", D(40), D(40), None, None, None)),
    (NX, 880, "95%以上", ("percent", ">=", D(95), None, "%", None, None)),
    (NX, 889, "小于5%", ("percent", "<", None, D(5), "%", None, None)),
    (NX, 938, "≤13706万", ("money", "<=", None, D(137060000), "元", D(137060000), None)),
    (NX, 968, "≤658500元", ("money", "<=", None, D(658500), "元", D(658500), None)),
]


@pytest.mark.parametrize("source_file, line, printed, expected", VALUES, ids=[f"{f[:7]}:{n}" for f, n, _, _ in VALUES])
def test_quantified_values(samples, source_file, line, printed, expected):
    row = samples.execute(VALUE_SQL, [source_file, line]).fetchone()
    assert row is not None, (source_file, line, printed)
    assert row[:7] == expected, printed
    assert row[7] is True


@pytest.mark.parametrize(
    "source_file, line, kind",
    [
        (NX, 35, "not_applicable"),  # 经济效益 | 无 | 无
        (NX, 65, "not_applicable"),  # 经济效益 | 无 | (blank)
        (NX, 66, "empty"),  # 社会效益 | 全区企业安全管理意识 | (blank)
        (NX, 36, "text"),  # 持续稳定
        (NX, 88, "text"),  # 通过自治区应急管理厅评定考核
        (NX, 422, "placeholder"),  # ***户
        (NX, 424, "placeholder"),  # ***户、***间
        (NX, 428, "placeholder"),  # **%
        (PL, 21, "text"),  # 逐步改变
    ],
)
def test_unquantified_kinds(samples, source_file, line, kind):
    row = samples.execute(VALUE_SQL, [source_file, line]).fetchone()
    assert row[0] == kind
    assert row[1:7] == (None,) * 6
    assert row[7] is False


def test_every_indicator_has_a_kind_and_every_quantified_one_its_numbers(samples):
    assert samples.execute("select count(*) from marts.fct_indicator_target where value_kind is null").fetchone() == (0,)
    missing = samples.execute(
        """
        select source_file, source_line, target_text from marts.fct_indicator_target
        where is_quantified and (
            (value_kind in ('money', 'percent', 'count', 'duration') and value_low is null and value_high is null)
            or (value_kind in ('money', 'percent', 'duration') and unit is null)
            or (value_kind = 'money' and value_yuan is null)
            or (value_kind = 'date' and (target_date is null or comparator is null)))
        """
    ).fetchall()
    assert missing == []


def test_share_per_value_kind(samples):
    # Counted by reading the documents: Pingluo 77 rows, Ningxia 447.
    got = dict(
        ((f, k), n)
        for f, k, n in samples.execute(
            "select source_file, value_kind, count(*) from marts.fct_indicator_target group by all"
        ).fetchall()
    )
    assert {k: n for (f, k), n in got.items() if f == PL} == {
        "count": 19, "percent": 18, "date": 6, "duration": 2, "money": 7, "text": 25,
    }
    assert {k: n for (f, k), n in got.items() if f == NX} == {
        "count": 121, "percent": 66, "date": 31, "duration": 1, "money": 117, "text": 56,
        "not_applicable": 48, "placeholder": 5, "empty": 2,
    }


def _indicator_hits(con, source_file):
    return set(
        con.execute(
            "select i.source_line, r.name from (select source_line, unnest(anomaly_rule_ids) as rule_id "
            "from marts.fct_indicator_target where source_file = ?) i join reference.rules r using (rule_id)",
            [source_file],
        ).fetchall()
    )


def test_indicator_flags_fire_on_the_source_mistakes_and_nowhere_else_pingluo(samples):
    assert _indicator_hits(samples, PL) == {
        (16, "duplicate_indicator_name"), (17, "duplicate_indicator_name"),  # same name, same 12次, 数量 & 质量
        (95, "duplicate_indicator_name"), (97, "duplicate_indicator_name"),  # same name, same 1 个, 数量 & 质量
        (99, "kind_mismatch_level2"),  # 成本指标: 2 次
        (194, "kind_mismatch_level2"),  # 成本指标: 100%
    }


def test_indicator_flags_fire_on_the_source_mistakes_and_nowhere_else_ningxia(samples):
    assert _indicator_hits(samples, NX) == {
        (66, "target_empty"), (68, "target_empty"),
        (204, "kind_mismatch_level2"),  # 演练服务验收合格率 ≥90% under 数量指标
        (205, "kind_mismatch_level2"),  # 2025年12月前 under 质量指标
        (332, "duplicate_indicator_name"), (344, "duplicate_indicator_name"),  # 千兆光口接入交换机 twice in 成本
        (422, "placeholder_unfilled"), (423, "placeholder_unfilled"), (424, "placeholder_unfilled"),
        (426, "placeholder_unfilled"), (428, "placeholder_unfilled"),
        (435, "kind_mismatch_level2"),  # 100人/次 under 成本指标
        (509, "kind_mismatch_level2"),  # 服装验收合格率 ≥92% under 时效指标
        (510, "deadline_outside_fiscal_year"), (559, "deadline_outside_fiscal_year"),  # 2024年12月
        (569, "money_magnitude_outlier"),  # ≤4元 among 万元
        (646, "money_magnitude_outlier"),  # ≤60元 among 万元
        (590, "target_equals_name"),  # 全区安全生产形势 | 全区安全生产形势
        (679, "kind_mismatch_level2"),  # 2025/12/31 under 质量指标
        (819, "duplicate_indicator_name"), (821, "duplicate_indicator_name"),  # 社会效益 = 可持续影响, 长期有效
    }


def _project_hits(con, source_file):
    return set(
        con.execute(
            """
            select p.project_seq, r.name
            from (select project_id, unnest(project_anomaly_rule_ids) as rule_id from marts.mart_project_scorecard) s
            join reference.rules r using (rule_id)
            join marts.dim_project p using (project_id) where p.source_file = ?
            """,
            [source_file],
        ).fetchall()
    )


def test_project_flags_on_the_samples(samples):
    assert _project_hits(samples, PL) == set()
    assert _project_hits(samples, NX) == {
        (7, "missing_mandatory_level2"),  # no 时效指标 label (its date sits under 质量指标)
        (8, "missing_mandatory_level2"),  # 危险化学品专家指导服务项目: no 满意度 row
        (15, "missing_mandatory_level2"),  # no 质量指标 label
        (17, "missing_mandatory_level2"),  # no 时效指标 label (its date sits under 质量指标)
        (9, "cost_sum_exceeds_funding"),  # 成本 rows add to 624.92 万元 of 606
        (2, "cost_sum_far_below_funding"),  # 2.6 + 1.375 万元 of 120 (per-review prices)
        (11, "cost_sum_far_below_funding"),  # 45 + 45 万元 of 360 (per team)
        (12, "cost_sum_far_below_funding"),  # per-household standards in 元, of 2000 万元
        (18, "cost_sum_far_below_funding"),  # ≤25万元 of 100 (per city)
        (23, "cost_sum_far_below_funding"),  # ≤4万元 of 88 (平均每处)
        (25, "cost_sum_far_below_funding"),  # 500 + 658500 + 450 元 of 480 万元
    }
    missing = dict(
        samples.execute(
            """select p.project_seq, s.missing_level2_categories from marts.mart_project_scorecard s
               join marts.dim_project p using (project_id) where p.source_file = ? and len(s.missing_level2_categories) > 0""",
            [NX],
        ).fetchall()
    )
    assert missing == {7: ["时效"], 8: ["服务对象满意度"], 15: ["质量"], 17: ["时效"]}


def test_anomaly_facts_name_their_source_rows(samples):
    rows = samples.execute(
        "select rule_name, severity, grain, source_file, source_line, detail from marts.fct_anomaly "
        "where source_file = ? and source_line in (569, 510, 226) order by source_line", [NX]
    ).fetchall()
    assert rows[0][:5] == ("missing_mandatory_level2", "warning", "project", NX, 226)
    assert rows[0][5] == "missing=服务对象满意度"
    assert rows[1][:5] == ("deadline_outside_fiscal_year", "warning", "indicator", NX, 510)
    assert rows[2][:5] == ("money_magnitude_outlier", "warning", "indicator", NX, 569)
    assert "target=≤4元" in rows[2][5]


def test_scorecard(samples):
    row = samples.execute(
        """select indicator_count, applicable_indicator_count, quantified_count, share_quantified,
                  count_quantity, count_quality, count_timeliness, count_cost, count_social_benefit,
                  count_sustainability, count_satisfaction, anomaly_count, info_anomaly_count, annual_total_yuan
           from marts.mart_project_scorecard s join marts.dim_project p using (project_id)
           where p.source_file = ? and p.project_seq = 1""", [PL]
    ).fetchone()
    # Pingluo lines 16-24: 9 rows, quantified 12次 12次 2025年 98856元 36000元 ≥95%
    assert row == (9, 9, 6, D("0.6667"), 1, 1, 1, 2, 2, 1, 1, 2, 2, D("134900.00"))
    row = samples.execute(
        """select indicator_count, applicable_indicator_count, quantified_count, share_quantified,
                  anomaly_count, critical_anomaly_count, warning_anomaly_count, info_anomaly_count,
                  annual_total_yuan, transfer_total_yuan, own_level_total_yuan
           from marts.mart_project_scorecard s join marts.dim_project p using (project_id)
           where p.source_file = ? and p.project_seq = 12""", [NX]
    ).fetchone()
    # Ningxia lines 421-442: 22 rows, 2 无, 4 placeholders + 1 **%, 2 qualitative -> 13 of 20 quantified;
    # 5 placeholders + 100人/次 (warnings), cost far below (info); no critical source anomaly
    assert row == (22, 20, 13, D("0.6500"), 7, 0, 6, 1, D("20000000.00"), D("20000000.00"), D("0.00"))


def test_funding_rollup(samples):
    def rollup(rollup_by, **where):
        sql = ("select project_count, annual_total_yuan, own_level_yuan, transferred_down_yuan, annual_total_wan "
               "from marts.mart_funding_rollup where rollup_by = ?")
        args = [rollup_by]
        for k, v in where.items():
            sql += f" and {k} = ?"
            args.append(v)
        rows = samples.execute(sql, args).fetchall()
        assert len(rows) == 1, (rollup_by, where, rows)
        return rows[0]

    # Ningxia: 25 projects, 20672 万元, of which 50 + 360 + 2000 + 100 transferred down; Pingluo: 333.49 万元
    assert rollup("fiscal_year", fiscal_year=2025) == (
        33, D("210054900.00"), D("184954900.00"), D("25100000.00"), D("21005.490000"))
    assert rollup("admin_level", admin_level="province") == (
        25, D("206720000.00"), D("181620000.00"), D("25100000.00"), D("20672.000000"))
    assert rollup("admin_level", admin_level="county") == (8, D("3334900.00"), D("3334900.00"), D("0.00"),
                                                           D("333.490000"))
    # 平罗县应急管理局 本级 (line 8) and 平罗县应急管理局本级 are one unit
    assert rollup("implementing_unit", implementing_unit="平罗县应急管理局本级")[0] == 8
    assert rollup("implementing_unit", implementing_unit="宁夏回族自治区应急宣传教育中心")[:2] == (2, D("4500000.00"))
    assert rollup("project_attribute", admin_level="province", project_attribute_code="0101")[:4] == (
        2, D("140480000.00"), D("139480000.00"), D("1000000.00"))
    assert rollup("department", department_name="宁夏回族自治区应急管理厅")[0] == 25


def test_planted_mistakes_fire(mutant):
    assert _indicator_hits(mutant, MUTANT) == {
        (16, "duplicate_indicator_name"), (17, "duplicate_indicator_name"),
        (95, "duplicate_indicator_name"), (97, "duplicate_indicator_name"),
        (41, "target_equals_name"),
        (121, "deadline_outside_fiscal_year"),
        (150, "placeholder_unfilled"),
        # 99 (now 54 万元) and 194 (now 140 万元) no longer fire kind_mismatch_level2
    }
    assert _project_hits(mutant, MUTANT) == {
        (1, "own_level_ne_parts"),  # REC-02: the publisher's arithmetic, flagged
        (2, "cost_sum_far_below_funding"),
        (5, "cost_sum_exceeds_funding"),
        (7, "missing_mandatory_level2"),
    }
    checks = mutant.execute(
        "select s.funding_check_failures from marts.mart_project_scorecard s "
        "join marts.dim_project p using (project_id) where p.project_seq = 1"
    ).fetchone()[0]
    assert checks == ["own_level_ne_parts"]
