"""Self-evaluations end to end: `jixiao refresh` on a folder with three self-evaluations (中江县水利局
2022, 海淀区学院路街道 2016, the 休宁县 2023 transfer-payment form), the target table of one of the
same 中江 projects and a unit overall table; checked through the published warehouse against
values read from the fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
SICHUAN = "selfeval_sichuan_2022_county.txt"
BEIJING = "selfeval_beijing_2016_street.txt"
XIUNING = "selfeval_transfer_2023_county.txt"
TARGET = "selfeval_zhongjiang_2022_target_table.txt"
OVERALL = (  # a unit's overall targets (岳阳楼区 style): held back naming its type
    "岳阳楼区财政局2023年部门整体支出绩效目标表\n部门名称\t岳阳楼区财政局\n"
    "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t预算编制完成率\t100%\n"
)


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    work = tmp_path_factory.mktemp("selfeval")
    docs = work / "docs"
    docs.mkdir()
    for name in (SICHUAN, BEIJING, XIUNING, TARGET):
        (docs / name).write_bytes((WILD / name).read_bytes())
    (docs / "overall.txt").write_text(OVERALL, encoding="utf-8")
    warehouse = work / "out" / "jixiao.duckdb"
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "GX_ANALYTICS_ENABLED": "False"}
    proc = subprocess.run(
        [
            JIXIAO,
            "refresh",
            "--documents",
            str(docs),
            "--warehouse",
            str(warehouse),
            "--lake",
            str(work / "lake"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    return proc, warehouse


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_self_evaluations_load_and_the_overall_table_is_held_back(refreshed):
    proc, warehouse = refreshed
    assert proc.returncode == 5, proc.stdout + proc.stderr  # published, one document held back
    verdicts = _rows(warehouse, "select source_file, status, reason_code from ops.run_documents order by 1")
    assert verdicts == [
        ("overall.txt", "quarantined", "unit_overall_table"),
        (BEIJING, "loaded", None),
        (SICHUAN, "loaded", None),
        (XIUNING, "loaded", None),
        (TARGET, "loaded", None),
    ]
    (reason,) = _rows(warehouse, "select reason from ops.run_documents where source_file = 'overall.txt'")[0]
    assert reason.startswith("overall.txt 第 1 行：") and "整体绩效目标表" in reason
    assert f"{SICHUAN} (county): self-evaluation, 2 projects, 15 evaluated indicators" in proc.stdout
    assert f"{TARGET} (county): 1 projects, 6 indicators" in proc.stdout
    assert f"{XIUNING} (county): self-evaluation, 1 projects, 9 evaluated indicators" in proc.stdout


def test_the_target_table_is_as_before_and_self_evaluations_add_no_target_rows(refreshed):
    _, warehouse = refreshed
    assert _rows(warehouse, "select source_file, project_name from marts.dim_project") == [
        (TARGET, "中江县2022年小型水库雨水情测报设施建设项目(衔接资金)")
    ]
    # the target table's six rows (lines 12-17), nothing of the self-evaluations
    assert _rows(
        warehouse,
        "select source_file, count(*), min(source_line), max(source_line) from marts.fct_indicator_target group by 1",
    ) == [(TARGET, 6, 12, 17)]
    assert _rows(warehouse, "select annual_total_yuan from marts.fct_project_funding") == [
        (Decimal("200000.00"),)
    ]
    documents = _rows(
        warehouse, "select source_file, template_family, project_count from marts.dim_document order by 1"
    )
    assert documents == [
        (BEIJING, "self_evaluation", 0),
        (SICHUAN, "self_evaluation", 0),
        (XIUNING, "self_evaluation", 0),
        (TARGET, "ningxia", 1),
    ]


def test_evaluated_indicators_link_to_the_same_projects_target_rows(refreshed):
    _, warehouse = refreshed
    rows = _rows(
        warehouse,
        f"""
        select e.source_line, e.indicator_name, t.source_line, t.target_text, e.target_match_count
        from marts.fct_indicator_self_evaluation as e
        left join marts.fct_indicator_target as t on e.target_indicator_id = t.indicator_id
        where e.source_file = '{SICHUAN}'
        order by e.source_line
    """,
    )
    # the target table (lines 12-17) prints six of project 1's nine names; project 2 has no target table
    assert rows == [
        (14, "安装坡面水标尺", 12, "≥266米", 1),
        (15, "水标尺宽度", None, None, 0),
        (16, "项目(工程)验收合格率", 13, "100%", 1),
        (17, "及时(按期)开工率", 14, "≥90%", 1),
        (18, "及时(按期)完工率", None, None, 0),
        (19, "项目计划总投资", 15, "20万元", 1),
        (21, "受益脱贫(含监测对象)户人口数", 16, "≥1000人", 1),
        (22, "群众生产生活条件改善状况", None, None, 0),
        (23, "受益脱贫(含监测对象)户满意度", 17, "≥95%", 1),
        (34, "自动雨量站运行维护数量", None, None, 0),
        (35, "设备运行完好率", None, None, 0),
        (36, "维护完成时间", None, None, 0),
        (37, "单站年维护费用", None, None, 0),
        (38, "山洪灾害预警信息发布及时率", None, None, 0),
        (39, "沿河群众满意度", None, None, 0),
    ]
    assert _rows(
        warehouse, f"select count(*) from marts.fct_indicator_self_evaluation where source_file = '{BEIJING}'"
    ) == [(7,)]


def test_target_and_actual_parsed_and_comparable(refreshed):
    _, warehouse = refreshed
    rows = _rows(
        warehouse,
        f"""
        select source_line, level1_printed, level1, level2, weight, target_value_kind, target_comparator,
               target_value_low, target_value_high, target_unit, actual_value_low, actual_unit, score, reason_printed
        from marts.fct_indicator_self_evaluation
        where source_file = '{SICHUAN}' and source_line in (19, 22, 35, 37)
        order by source_line
    """,
    )
    assert rows == [
        # 20万元 | 20万元: money in yuan on both sides
        (19, "产出指标(70分)", "产出指标", "成本指标", Decimal(10), "money", "=", Decimal(200000), Decimal(200000), "元", Decimal(200000), "元", Decimal(10), None),
        # 显著提升: qualitative, kept as text
        (22, "效益指标(20分)", "效益指标", "社会效益指标", Decimal(10), "text", None, None, None, None, None, None, Decimal(10), None),
        # ≥95% | 93%: short of the target, scored 12 of 15, with the reason printed
        (35, "产出指标(50分)", "产出指标", "质量指标", Decimal(15), "percent", ">=", Decimal(95), None, "%", Decimal(93), "%", Decimal(12), "部分站点设备老化,2023年纳入更新计划"),
        # ≤0.8万元/个 | 0.66万元/个: per-unit money in yuan
        (37, "产出指标(50分)", "产出指标", "成本指标", Decimal(10), "money", "<=", None, Decimal(8000), "元/个", Decimal(6600), "元/个", Decimal(10), None),
    ]  # fmt: skip


def test_project_self_evaluation_funding_in_yuan_and_link(refreshed):
    _, warehouse = refreshed
    rows = _rows(
        warehouse,
        """
        select e.source_file, e.source_line, e.budget_yuan, e.executed_yuan, e.execution_rate_percent,
               e.execution_rate_computed_percent, e.funding_score, e.indicator_count, e.indicator_score_sum,
               e.total_score, p.source_file
        from marts.fct_project_self_evaluation as e
        left join marts.dim_project as p on e.target_project_id = p.project_id
        order by 1, 2
    """,
    )
    assert rows == [
        # Beijing prints 50% though 54.74 / 310.21 is 17.65%: both kept, side by side
        (BEIJING, 3, Decimal("3102100.00"), Decimal("547400.00"), Decimal(50), Decimal("17.65"), Decimal(5), 7, Decimal("77.5"), Decimal("82.5"), None),
        (SICHUAN, 4, Decimal("200000.00"), Decimal("200000.00"), Decimal(100), Decimal(100), Decimal(10), 9, Decimal(100), None, TARGET),
        (SICHUAN, 25, Decimal("356000.00"), Decimal("302600.00"), Decimal(85), Decimal(85), Decimal("8.5"), 6, Decimal(87), None, None),
        # 127 | 27.9996 (万元) | 22%: 27.9996 / 127 is 22.05%; no 分值 / 得分 printed: NULL, not 0
        (XIUNING, 3, Decimal("1270000.00"), Decimal("279996.00"), Decimal(22), Decimal("22.05"), None, 9, None, None, None),
    ]  # fmt: skip


def test_the_transfer_form_keeps_both_departments_and_its_units(refreshed):
    _, warehouse = refreshed
    assert _rows(
        warehouse,
        f"""
        select project_name, central_department_printed, department_printed, implementing_unit, publisher,
               fiscal_year, fiscal_appropriation_budget_yuan, other_funds_budget_yuan
        from marts.fct_project_self_evaluation where source_file = '{XIUNING}'
    """,
    ) == [
        ("休宁县中共皖浙赣省委驻地旧址陈列布展项目", "国家文物局", "休宁县文化旅游体育局", "休宁县文物局",
         "休宁县文化旅游体育局", 2023, None, Decimal("0.00")),
    ]  # fmt: skip
    assert _rows(
        warehouse,
        "select count(*) from marts.fct_project_self_evaluation where central_department_printed is not null",
    ) == [(1,)]  # the central form prints no 中央主管部门
    rows = _rows(
        warehouse,
        f"""
        select source_line, level1_printed, level1, level2, indicator_name, weight, target_value_kind,
               target_comparator, target_value_low, target_value_high, target_unit, actual_value_low, actual_unit,
               score, parse_flags_text
        from marts.fct_indicator_self_evaluation
        where source_file = '{XIUNING}' and source_line in (14, 16, 19, 22)
        order by source_line
    """,
    )
    assert rows == [
        # 300㎡ | 0: the square-metre sign mapped by the units seed
        (14, "产 出 指 标", "产出指标", "数量指标", "布展面积", None, "count", "=", Decimal(300), Decimal(300), "平方米", Decimal(0), None, None, ""),
        # <=0% | <=0%
        (16, "产 出 指 标", "产出指标", "质量指标", "指标2:安全事故发生率", None, "percent", "<=", None, Decimal(0), "%", None, "%", None, "name_numbered"),
        # <=127万元 | 27.9996万元: money in yuan on both sides
        (19, "产 出 指 标", "产出指标", "成本指标", "指标:项目总下达资金", None, "money", "<=", None, Decimal(1270000), "元", Decimal(279996), "元", None, "name_numbered"),
        # >=90% | 未开展: no actual to compare
        (22, "满 意 度 指 标", "满意度指标", "服务对象满意度指标", "指标1:参观群众满意度", None, "percent", ">=", Decimal(90), None, "%", None, None, None, "name_numbered"),
    ]  # fmt: skip
