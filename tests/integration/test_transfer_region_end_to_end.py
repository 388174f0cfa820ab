"""The transfer-payment regional table end to end: `jixiao refresh` on its fixture and on a
transfer table the reader cannot read, checked through the contract tables against values
read from the fixture (tests/fixtures/wild/transfer_region_2022_county.txt)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.integration.refresh_support import Site

pytestmark = pytest.mark.slow

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
FIXTURE = "transfer_region_2022_county.txt"
# the 区域绩效目标表 title and a 资金名称, but no funding block and no grid: not readable
UNREADABLE = (
    "动物防疫等补助经费区域绩效目标表\n（2022年度）\n资金名称\t动物防疫等补助经费\n中央主管部门\t财政部\n"
)


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("transfer_region"))
    site.docs.mkdir()
    (site.docs / FIXTURE).write_bytes((WILD / FIXTURE).read_bytes())
    (site.docs / "unreadable_transfer.txt").write_text(UNREADABLE, encoding="utf-8")
    return site.refresh(timeout=900), site


def test_the_table_loads_with_its_family_and_the_unreadable_one_is_held_back(refreshed):
    proc, site = refreshed
    assert proc.returncode == 5, proc.stdout + proc.stderr  # published, one document held back
    runs = site.query("select source_file, status, reason_code, reason from ops.run_documents order by 1")
    assert [r[:3] for r in runs] == [
        ("transfer_region_2022_county.txt", "loaded_with_warnings", "line_unplaced"),  # the spam line
        ("unreadable_transfer.txt", "quarantined", "transfer_region_table"),
    ]
    reason = runs[1][3]
    assert reason.startswith("unreadable_transfer.txt 第 1 行：「动物防疫等补助经费区域绩效目标表」")
    assert "缺少 “年度金额”“中央补助”“地方资金”资金栏" in reason
    docs = site.query(
        "select source_file, template_family, fiscal_year, region_name, project_count from marts.dim_document",
    )
    assert docs == [(FIXTURE, "transfer_region", 2022, "忠县", 1)]


def test_the_fund_its_department_and_authorities(refreshed):
    _, site = refreshed
    projects = site.query(
        "select project_name, department_name, source_line, annual_goal is not null from marts.dim_project",
    )
    assert projects == [("生猪(牛羊)调出大县奖励资金", "忠县农业农村委员会", 3, True)]
    authorities = site.query(
        "select authority_seq, authority_role, authority_printed, source_line"
        " from marts.dim_project_authority order by authority_seq",
    )
    assert authorities == [
        (1, "central_department", "财政部、农业农村部", 4),
        (2, "provincial_finance", "重庆市财政局", 5),
        (3, "provincial_department", "重庆市农业农村委员会", 6),
        (4, "county_finance", "忠县财政局", 7),
        (5, "county_department", "忠县农业农村委员会", 8),
    ]


def test_money_in_yuan_and_the_blank_local_cell(refreshed):
    _, site = refreshed
    funding = site.query(
        "select annual_total_yuan, transfer_central_yuan, own_level_yuan from marts.fct_project_funding",
    )
    # 年度金额(万元) 397 and 其中:中央补助(万元) 397: 3,970,000 yuan; all of it spent in the county
    assert funding == [(Decimal("3970000.00"), Decimal("3970000.00"), Decimal("3970000.00"))]
    cells = site.query(
        "select funding_field, cell_printed, amount_yuan, read_problem, source_line"
        " from intermediate.int_funding_cells_yuan order by source_line",
    )
    assert cells == [
        ("annual_total", "397", Decimal("3970000.00"), None, 9),
        ("transfer_central", "397", Decimal("3970000.00"), None, 10),
        ("local_funds", "", None, "blank", 11),  # 地方资金 printed blank: blank, not zero
    ]


def test_targets_in_the_contract(refreshed):
    _, site = refreshed
    rows = site.query(
        """
        select source_line, level2, indicator_name, target_text, target_parts, value_kind, value_low, unit
        from marts.fct_indicator_target
        where source_line in (14, 15, 20, 21, 23)
        order by source_line
    """,
    )
    assert rows == [
        (14, "数量指标", "猪肉产量稳定率", "≥95%", ["%", "≥95%"], "percent", Decimal("95"), "%"),
        (15, "数量指标", "能繁母猪稳定率", "90%", ["%", "90%"], "percent", Decimal("90"), "%"),
        (20, "时效指标", "项目完成时间", "2022年12月31日前", ["年", "2022年12月31日前"], "date", None, None),
        (
            21,
            "成本指标",
            "生猪调出大县奖励资金",
            "397万元",
            ["万元", "397"],
            "money",
            Decimal("3970000"),
            "元",
        ),
        (23, "社会效益指标", "保障生猪市场供应", "有效保障", ["—", "有效保障"], "text", None, None),
    ]
    count = site.query("select count(*), count(distinct source_line) from marts.fct_indicator_target")
    assert count == [(13, 13)]  # lines 14-27 without the spam line 24
