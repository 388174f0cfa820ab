"""The DuckDB path for BI tools: comments in the served file, a copy DuckDB 1.5 opens (checked
with the duckdb-cli 1.5.6 package in a throwaway venv), SQLAlchemy reflection (duckdb-engine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.integration.refresh_support import build_baseline, copy_site

pytestmark = pytest.mark.slow
CLI_VERSION = "1.5.6"
TOOLS = Path(os.environ.get("JIXIAO_TEST_TOOLS", ROOT / "build" / "test-tools"))


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    return build_baseline(tmp_path_factory) / "out" / "jixiao.duckdb"


@pytest.fixture(scope="session")
def duckdb_cli_15() -> Path:
    """``duckdb`` 1.5.6 from the duckdb-cli package, installed once into build/test-tools."""
    home = TOOLS / f"duckdb-cli-{CLI_VERSION}"
    exe = home / "bin" / "duckdb"
    if not exe.exists():
        venv.create(home, with_pip=True, clear=True)
        proc = subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet",
                               "--disable-pip-version-check", f"duckdb-cli=={CLI_VERSION}"],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and exe.exists(), proc.stderr[-2000:]
    return exe


def cli(exe: Path, path: Path, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe), "-readonly", "-json", str(path), "-c", sql],
                          capture_output=True, text=True, timeout=120)


def test_every_mart_column_and_table_has_its_description_as_a_comment(served):
    con = duckdb.connect(str(served), read_only=True)
    try:
        missing = con.execute("select table_name, column_name from duckdb_columns() "
                              "where schema_name = 'marts' and comment is null").fetchall()
        tables = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall())
        name = con.execute("select comment from duckdb_columns() where schema_name = 'marts' "
                           "and table_name = 'dim_project' and column_name = 'project_name'").fetchone()[0]
    finally:
        con.close()
    assert missing == []
    assert tables and all(tables.values())
    assert name.startswith("项目名称") and "as printed" in name


def test_duckdb_15_reads_the_served_file_and_the_v1_name(served, duckdb_cli_15):
    copy = served.with_name("jixiao.v1.duckdb")
    assert copy.exists(), "the refresh writes the DuckDB 1.5 name beside the served file"
    # built in 1.5 storage: the v1 name is the served snapshot itself, not a second copy
    assert copy.resolve() == served.resolve()
    assert cli(duckdb_cli_15, served, "select 1").returncode == 0
    proc = cli(duckdb_cli_15, copy, "select version() as v, (select count(*) from marts.dim_project) as n, "
               "(select sum(annual_total_yuan)::varchar from marts.fct_project_funding) as money, "
               "(select project_name from marts.dim_project where project_name like '%应急%' order by 1 limit 1) as zh, "
               "(select count(*) from duckdb_columns() where schema_name = 'marts' and comment is null) as uncommented, "
               "(select run_id from ops.build) as run_id")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)[0]
    con = duckdb.connect(str(served), read_only=True)
    try:
        want = con.execute("select (select count(*) from marts.dim_project), "
                           "(select sum(annual_total_yuan)::varchar from marts.fct_project_funding), "
                           "(select run_id from ops.build)").fetchone()
    finally:
        con.close()
    assert row["v"] == f"v{CLI_VERSION}"
    assert (row["n"], row["money"], row["run_id"]) == want
    assert "应急" in row["zh"] and row["uncommented"] == 0


def test_a_refresh_with_nothing_new_rewrites_a_missing_or_stale_copy(tmp_path_factory, tmp_path):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    copy = site.warehouse.with_name("jixiao.v1.duckdb")
    copy.unlink()
    proc = site.refresh()
    assert proc.returncode == 0, proc.stderr
    assert copy.exists() and "DuckDB 1.5+ copy" in proc.stdout
    again = site.refresh()
    assert "DuckDB 1.5+ copy" not in again.stdout  # already current: not rewritten


def test_sqlalchemy_reflects_marts_read_only(served):
    import sqlalchemy as sa

    engine = sa.create_engine(f"duckdb:///{served}", connect_args={"read_only": True})
    insp = sa.inspect(engine)
    assert {"dim_project", "fct_project_funding"} <= set(insp.get_table_names(schema="marts"))
    cols = {c["name"]: c["type"] for c in insp.get_columns("fct_project_funding", schema="marts")}
    assert isinstance(cols["annual_total_yuan"], sa.Numeric)
    # duckdb-engine 0.17 on DuckDB 2.0 reflects no primary keys (DuckDB's pg_constraint.conkey is
    # 0-based, the dialect joins it to 1-based attnums; docs/bi.md says so): the keys are in
    # duckdb_constraints(), and the PostgreSQL path reflects them (test_postgres_serving)
    assert insp.get_pk_constraint("dim_project", schema="marts")["constrained_columns"] == []
    with engine.connect() as con:
        pk = con.execute(sa.text("select constraint_column_names from duckdb_constraints() where schema_name = 'marts' "
                                 "and table_name = 'dim_project' and constraint_type = 'PRIMARY KEY'")).scalar_one()
        assert pk == ["project_id"]
        row = con.execute(sa.text("select project_name, published_on, annual_total_yuan from marts.dim_project "
                                  "join marts.dim_document using (document_id) join marts.fct_project_funding "
                                  "using (project_id) where project_name like '%应急%' order by 3 desc limit 1")).one()
        assert "应急" in row[0] and isinstance(row[2], Decimal)
        with pytest.raises(sa.exc.DBAPIError):
            con.execute(sa.text("drop table marts.dim_project"))
    engine.dispose()
    assert sys.modules["sqlalchemy"].__version__ == "2.0.54"


def _all(served: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(served), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_list_column_has_a_text_twin_joined_with_the_chinese_comma(served):
    lists = _all(served, "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
                         "and data_type like '%[]'")
    assert len(lists) >= 8
    for table, column in lists:
        bad = _all(served, f'select count(*) from marts."{table}" where "{column}_text" is distinct from '
                           f"array_to_string(\"{column}\", '、')")
        assert bad == [(0,)], (table, column)
    two = _all(served, "select missing_level2_categories_text from marts.mart_project_scorecard "
                       "where len(missing_level2_categories) > 1 limit 1")
    assert not two or "、" in two[0][0]


def test_each_funding_grouping_table_sums_to_the_counted_total(served):
    total = _all(served, "select sum(f.annual_total_yuan), sum(f.own_level_yuan) from marts.fct_project_funding f "
                         "join marts.dim_project p using (project_id) where p.is_counted")[0]
    for grouping in ("department", "implementing_unit", "attribute", "region", "admin_level", "fiscal_year"):
        got = _all(served, f"select sum(annual_total_yuan), sum(own_level_yuan) from marts.mart_funding_by_{grouping}")[0]
        assert got == total, grouping
    stacked = _all(served, "select sum(annual_total_yuan) from marts.mart_funding_rollup")[0][0]
    # why the one-grouping tables exist: six groupings hold every project, and the division
    # groupings (province, city, county) add the documents whose division is decided
    assert stacked >= 6 * total[0]


def test_one_name_per_idea_and_folded_units(served):
    county = _all(served, "select count(*), count(f.own_level_yuan), count(f.own_level_total_yuan), "
                          "sum(f.own_level_yuan) = sum(f.annual_total_yuan - coalesce(f.transfer_total_yuan, 0)) "
                          "from marts.fct_project_funding f join marts.dim_project p using (project_id) "
                          "where p.admin_level = 'county'")[0]
    assert county[0] > 0 and county[1] == county[0] and county[2] == 0 and county[3]
    assert _all(served, "select count(*) from marts.mart_project_scorecard s join marts.fct_project_funding f "
                        "using (project_id) where s.own_level_yuan is distinct from f.own_level_yuan") == [(0,)]
    units = _all(served, "select implementing_unit, count(distinct implementing_unit_printed) from marts.dim_project "
                         "where implementing_unit_printed like '平罗县应急管理局%本级' group by 1")
    assert units == [("平罗县应急管理局本级", 2)]
    groups = _all(served, "select count(*) from marts.mart_funding_by_implementing_unit "
                          "where implementing_unit = '平罗县应急管理局本级'")
    assert groups == [(1,)]
