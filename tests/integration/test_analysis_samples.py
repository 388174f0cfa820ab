"""The analysis marts on the two bundled samples; every expected value was read in the documents.

- documents/ningxia_emergency_2025.txt lines 19-31: 安全生产标准化建设项目, 90 万元, targets
  `≤18家` (矿山、危化 reviews), `≤8家` (工贸 reviews), cost `≤2.5万元/家` (工贸) and `≤3.89万元/家`
  (矿山、危化): 2.5万 × 8 = 20万 and 3.89万 × 18 = 70.02万, each within the 90万.
- lines 357-372: 安全生产标准化建设项目（奖励）, 50 万元 all transferred to cities and counties
  (本级 0, 自治区资金 50), `≤10家` and `5万元/家`: 5万 × 10 = 50万, the funding exactly; its goal
  is the goal of line 19 with 夯实 changed to 压实 and one 、 added.
- lines 620 / 643 (专项业务活动费项目): `≥9千条` and `≤20元/条`: 20 × 9000 = 18万元.
- lines 512-517: six cost targets of 安全生产监管执法项目 printed as lower bounds (`≥10万元` …).
- lines 422-428: placeholders `***户`, `***户、***间`, `***人`, `**%` (自治区本级自然灾害救助资金).
- the 满意度 rows of the provincial document are mostly 投诉率 (`≤5%`); the county's are 满意度.
- both documents are FY2025: no project across years; 平罗县 is in 石嘴山市, 宁夏回族自治区.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
NINGXIA = "ningxia_emergency_2025.txt"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    out = tmp_path_factory.mktemp("analysis_samples") / "jixiao.duckdb"
    proc = subprocess.run(
        [JIXIAO, "refresh", "--warehouse", str(out)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _rows(path: Path, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _printed_unit_costs(path: Path) -> dict[str, dict]:
    rows = _rows(
        path,
        "select u.target_text, u.matched_quantity, u.unit_cost_times_quantity_yuan, u.annual_total_yuan, "
        "u.consistency_status, q.target_text as quantity_text from marts.mart_unit_cost u "
        "left join marts.fct_indicator_target q on q.indicator_id = u.quantity_indicator_id "
        "where u.measure = 'printed' and u.source_file = ?",
        [NINGXIA],
    )
    return {r["target_text"]: r for r in rows}


def test_unit_cost_times_quantity(warehouse):
    got = _printed_unit_costs(warehouse)
    expected = {  # unit cost -> (its quantity, unit cost x quantity, annual funding), in yuan
        "≤2.5万元/家": ("≤8家", 200000, 900000),
        "≤3.89万元/家": ("≤18家", 700200, 900000),
        "5万元/家": ("≤10家", 500000, 500000),
        "≤20元/条": ("≥9千条", 180000, 3900000),
    }
    for text, (quantity, product, annual) in expected.items():
        row = got[text]
        assert row["quantity_text"] == quantity
        assert row["unit_cost_times_quantity_yuan"] == pytest.approx(product)
        assert float(row["annual_total_yuan"]) == annual
        assert row["consistency_status"] == "consistent"


def test_no_outliers_among_few_peers(warehouse):
    # two documents: no peer group reaches min_peers (5 other projects), so nothing is flagged
    assert _rows(warehouse, "select count(*) as n from marts.mart_unit_cost where is_outlier")[0]["n"] == 0


def test_boilerplate_goal_of_the_reward_project(warehouse):
    pairs = _rows(
        warehouse,
        "select project_name_a, project_name_b, similarity from marts.mart_boilerplate_pairs "
        "where text_kind = 'goal'",
    )
    names = {frozenset((p["project_name_a"], p["project_name_b"])): p["similarity"] for p in pairs}
    key = frozenset(("安全生产标准化建设项目", "安全生产标准化建设项目（奖励）"))
    assert key in names
    assert 0.8 <= names[key] < 1  # near, not identical: 夯实 -> 压实, one 、 more


def test_quality_findings_read_in_the_document(warehouse):
    rows = _rows(
        warehouse,
        "select check_id, target_text, source_line from marts.mart_target_quality_findings where source_file = ?",
        [NINGXIA],
    )
    direction = {(r["source_line"], r["target_text"]) for r in rows if r["check_id"] == "direction"}
    assert {
        (512, "≥10万元"),
        (513, "≥35万元"),
        (514, "≥20万元"),
        (515, "≥25万元"),
        (516, "≥5万元"),
        (517, "≥15万元"),
    } <= direction
    placeholders = {r["target_text"] for r in rows if r["check_id"] == "placeholder"}
    assert {"***户", "***户、***间", "***人", "**%"} <= placeholders
    complaints = [r for r in rows if r["check_id"] == "direction" and r["target_text"] == "≤5%"]
    assert not complaints  # a complaint rate is an upper bound


def test_league_tables_cover_every_scope(warehouse):
    rows = _rows(
        warehouse,
        "select scope, count(*) as n, min(score) as lo, max(score) as hi "
        "from marts.mart_target_quality_score group by scope",
    )
    by = {r["scope"]: r for r in rows}
    assert by["project"]["n"] == 33
    assert by["publisher"]["n"] == 2 and by["region"]["n"] == 2
    assert all(0 <= r["lo"] <= r["hi"] <= 100 for r in rows)


def test_regions_add_up(warehouse):
    rows = {r["region_name"]: r for r in _rows(warehouse, "select * from marts.mart_region_rollup")}
    assert set(rows) == {"宁夏回族自治区", "石嘴山市", "平罗县"}
    assert rows["石嘴山市"]["territory_own_level_yuan"] == rows["平罗县"]["own_level_yuan"]
    assert (
        rows["宁夏回族自治区"]["territory_own_level_yuan"]
        == rows["宁夏回族自治区"]["own_level_yuan"] + rows["平罗县"]["own_level_yuan"]
    )
    flows = _rows(
        warehouse,
        "select granting_project_name, transfer_total_yuan, receiving_project_id "
        "from marts.mart_region_transfers",
    )
    reward = [f for f in flows if f["granting_project_name"] == "安全生产标准化建设项目（奖励）"]
    assert len(reward) == 1 and float(reward[0]["transfer_total_yuan"]) == 500000
    assert all(f["receiving_project_id"] is None for f in flows)  # no city or county document names them


def test_no_project_across_years(warehouse):
    assert _rows(warehouse, "select count(*) as n from marts.mart_project_across_years")[0]["n"] == 0


def test_satisfaction_and_complaints_clustered(warehouse):
    rows = _rows(
        warehouse,
        "select c.indicator_name, c.cluster_id from marts.fct_indicator_cluster c where c.level2 = '服务对象满意度指标'",
    )
    for r in rows:
        if "投诉" in r["indicator_name"]:
            assert r["cluster_id"] == "complaint_rate", r
        elif "满意" in r["indicator_name"]:
            assert r["cluster_id"] == "satisfaction_rate", r
