"""End to end: `jixiao refresh` on the bundled documents into a temp dir, checked through
the contract tables against rows written by reading the documents."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DOCUMENTS, ROOT, SAMPLES, golden_indicators, golden_projects
from tests.lake_support import live_ids

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def _tree_state() -> set[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        line
        for line in out.splitlines()
        if "/.pytest_cache/" not in line and "__pycache__" not in line and ".hypothesis" not in line
    }


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    docs = work / "docs"
    docs.mkdir()
    for name in SAMPLES.values():
        (docs / name).write_bytes((DOCUMENTS / name).read_bytes())
    warehouse = work / "out" / "jixiao.duckdb"
    before = _tree_state()
    proc = subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    after = _tree_state()
    return proc, warehouse, before, after


def _con(warehouse: Path):
    return duckdb.connect(str(warehouse), read_only=True)


def test_refresh_publishes_and_summarises(refreshed):
    proc, warehouse, _, _ = refreshed
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert warehouse.exists()
    assert "documents 2, projects 33, indicators 524" in proc.stdout
    assert str(warehouse) in proc.stdout


def test_refresh_leaves_repository_tree_alone(refreshed):
    _, _, before, after = refreshed
    assert after == before


def test_lake_beside_the_warehouse(refreshed):
    _, warehouse, _, _ = refreshed
    lake = warehouse.parent / "lake"
    segments = sorted((lake / "raw" / "raw_indicators").glob("seg-*.parquet"))
    assert len(segments) == 2  # one segment holding both documents, and the schema file
    assert len(live_ids(lake)) == 2


def test_contract_tables_and_columns(refreshed):
    _, warehouse, _, _ = refreshed
    expected = {
        "dim_document": [
            "document_id",
            "source_file",
            "publisher",
            "region_name",
            "admin_level",
            "fiscal_year",
            "published_on",
            "division_code",
            "province_name",
            "city_name",
            "county_name",
            "publisher_unit",
            "division_evidence",
        ],
        "dim_region": [
            "code",
            "name",
            "short_name",
            "level",
            "parent_code",
            "province_code",
            "province_name",
            "city_code",
            "city_name",
        ],
        "dim_project": [
            "project_id",
            "document_id",
            "project_name",
            "department_name",
            "department_code",
            "implementing_unit",
            "project_attribute_code",
            "project_attribute",
            "project_period_raw",
            "annual_goal",
            "source_line",
        ],
        "fct_project_funding": [
            "project_id",
            "project_total_yuan",
            "annual_total_yuan",
            "fiscal_appropriation_yuan",
            "other_funds_yuan",
            "carryover_yuan",
            "own_level_total_yuan",
            "transfer_total_yuan",
            "transfer_central_yuan",
            "transfer_regional_yuan",
        ],
        "fct_indicator_target": [
            "indicator_id",
            "project_id",
            "indicator_seq",
            "level1",
            "level2",
            "level1_printed",
            "level2_printed",
            "indicator_name",
            "target_text",
            "comparator",
            "value_low",
            "value_high",
            "unit",
            "value_kind",
            "value_yuan",
            "target_date",
            "is_quantified",
            "source_file",
            "source_line",
        ],
    }
    with _con(warehouse) as con:
        for table, columns in expected.items():
            rows = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            names = [r[0] for r in rows]
            assert names[: len(columns)] == columns, table
            types = dict(rows)
            for money in (c for c in columns if c.endswith("_yuan")):
                assert types[money].startswith("DECIMAL"), (table, money)


def test_counts_per_document(refreshed):
    # Read off the documents: Pingluo 8 projects / 77 indicator rows; Ningxia 25 / 447.
    _, warehouse, _, _ = refreshed
    with _con(warehouse) as con:
        got = con.execute(
            """
            select d.source_file, count(distinct p.project_id), count(i.indicator_id)
            from marts.dim_document d
            join marts.dim_project p using (document_id)
            left join marts.fct_indicator_target i using (project_id)
            group by 1 order by 1
            """
        ).fetchall()
    assert got == [("ningxia_emergency_2025.txt", 25, 447), ("pingluo_emergency_2025.txt", 8, 77)]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_documents_match_golden(refreshed, name):
    _, warehouse, _, _ = refreshed
    exp = golden_projects(name)["document"]
    with _con(warehouse) as con:
        row = con.execute(
            "select publisher, region_name, admin_level, fiscal_year, cast(published_on as varchar), "
            "division_code, publisher_unit, division_evidence "
            "from marts.dim_document where source_file = ?",
            [SAMPLES[name]],
        ).fetchone()
    assert row == (
        exp["publisher"],
        exp["region_name"],
        exp["admin_level"],
        exp["fiscal_year"],
        exp["published_on"],
        exp["division_code"],
        exp["publisher_unit"],
        exp["division_evidence"],
    )


def test_documents_carry_their_division_chain(refreshed):
    # Read off the documents: 平罗县 (640221) is in 石嘴山市, 宁夏回族自治区; the 厅 is the region's own.
    _, warehouse, _, _ = refreshed
    with _con(warehouse) as con:
        got = con.execute(
            "select source_file, division_code, province_name, city_name, county_name "
            "from marts.dim_document order by source_file"
        ).fetchall()
    assert got == [
        ("ningxia_emergency_2025.txt", "640000", "宁夏回族自治区", None, None),
        ("pingluo_emergency_2025.txt", "640221", "宁夏回族自治区", "石嘴山市", "平罗县"),
    ]


def test_rollups_by_province_city_county_use_the_codes(refreshed):
    # Ningxia: 25 projects, Pingluo: 8 (read off the documents); the province row adds both,
    # the city (石嘴山市) and county (平罗县) rows only Pingluo's, and own-level money adds up
    # across the hierarchy without the transferred money.
    _, warehouse, _, _ = refreshed
    with _con(warehouse) as con:
        rows = con.execute(
            "select rollup_by, province_code, city_code, county_code, project_count, own_level_yuan "
            "from marts.mart_funding_rollup where rollup_by in ('province', 'city', 'county') order by 1"
        ).fetchall()
        by_level = con.execute(
            "select sum(own_level_yuan) from marts.mart_funding_rollup where rollup_by = 'region'"
        ).fetchone()[0]
    got = {r[0]: r[1:5] for r in rows}
    assert got == {
        "city": ("640000", "640200", None, 8),
        "county": ("640000", "640200", "640221", 8),
        "province": ("640000", None, None, 33),
    }
    own = {r[0]: r[5] for r in rows}
    assert own["city"] == own["county"] and own["province"] == by_level


def _yuan(printed: str | None) -> Decimal | None:
    if printed is None or printed == "":
        return None
    return Decimal(printed) * 10000


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_projects_and_funding_match_golden(refreshed, name):
    _, warehouse, _, _ = refreshed
    with _con(warehouse) as con:
        rows = con.execute(
            """
            select p.project_seq, p.project_name, p.department_name, p.department_code, p.implementing_unit_printed,
                   p.project_attribute_code, p.project_attribute, p.project_period_raw, p.annual_goal, p.source_line,
                   f.project_total_yuan, f.annual_total_yuan, f.fiscal_appropriation_yuan, f.other_funds_yuan,
                   f.carryover_yuan, f.own_level_total_yuan, f.transfer_total_yuan, f.transfer_central_yuan,
                   f.transfer_regional_yuan
            from marts.dim_project p join marts.fct_project_funding f using (project_id)
            where p.source_file = ? order by p.project_seq
            """,
            [SAMPLES[name]],
        ).fetchall()
    expected = golden_projects(name)["projects"]
    assert len(rows) == len(expected)
    keys = [
        "project_total",
        "annual_total",
        "fiscal_appropriation",
        "other_funds",
        "carryover",
        "own_level_total",
        "transfer_total",
        "transfer_central",
        "transfer_regional",
    ]
    for row, e in zip(rows, expected, strict=True):
        header = (
            e["project_seq"],
            e["project_name"],
            e["department_name"],
            e["department_code"],
            e["implementing_unit"],
            e["project_attribute_code"],
            e["project_attribute"],
            e["project_period_raw"],
            e["annual_goal"],
            e["source_line"],
        )
        assert row[:10] == header
        money = tuple(_yuan(e["funding_printed"].get(k)) for k in keys)
        assert row[10:] == money, e["project_name"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_indicators_match_golden(refreshed, name):
    _, warehouse, _, _ = refreshed
    with _con(warehouse) as con:
        rows = con.execute(
            """
            select p.project_seq, i.indicator_seq, i.source_line, coalesce(i.level1_printed, ''),
                   coalesce(i.level2_printed, ''), i.level1, i.level2, i.indicator_name, i.target_text, i.source_file
            from marts.fct_indicator_target i join marts.dim_project p using (project_id)
            where i.source_file = ? order by p.project_seq, i.indicator_seq
            """,
            [SAMPLES[name]],
        ).fetchall()
    expected = [
        (
            r["project_seq"],
            r["indicator_seq"],
            r["source_line"],
            r["level1_printed"],
            r["level2_printed"],
            r["level1"],
            r["level2"],
            r["indicator_name"],
            r["target_text"],
            SAMPLES[name],
        )
        for r in golden_indicators(name)
    ]
    assert rows == expected
