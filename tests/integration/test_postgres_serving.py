"""`jixiao publish-postgres` against a real PostgreSQL: names, types, keys, comments, the
read-only role, an atomic swap under a reading loop, and a publish killed halfway."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from tests.integration.pg_support import as_user, psql
from tests.integration.refresh_support import JIXIAO, REPO, build_baseline, copy_site, sigkill, wait_for

pytestmark = pytest.mark.slow
MARTS = {"dim_document", "dim_project", "fct_project_funding", "fct_indicator_target", "fct_anomaly",
         "mart_project_scorecard", "mart_funding_rollup"}
SIGNATURE = ("select (select run_id from ops.build), (select count(*) from marts.fct_anomaly), "
             "(select count(*) from marts.dim_project), (select count(*) from quality.runs)")


@pytest.fixture
def warehouse(tmp_path_factory, tmp_path) -> Path:
    return copy_site(build_baseline(tmp_path_factory), tmp_path / "site").warehouse


def publish(warehouse: Path, dsn: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([JIXIAO, "publish-postgres", "--warehouse", str(warehouse), "--dsn", dsn],
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}, **kw)


def variant(warehouse: Path, dest: Path, run_id: str) -> Path:
    """A copy of the warehouse that differs in the run it claims and the anomalies it holds."""
    shutil.copy(warehouse, dest)
    con = duckdb.connect(str(dest))
    con.execute("update ops.build set run_id = ?", [run_id])
    con.execute("delete from marts.fct_anomaly where anomaly_id in "
                "(select anomaly_id from marts.fct_anomaly order by anomaly_id limit 5)")
    con.execute("checkpoint")
    con.close()
    return dest


def duck(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_publish_copies_names_types_keys_and_comments(warehouse, pg_dsn):
    proc = publish(warehouse, pg_dsn)
    assert proc.returncode == 0, proc.stderr
    assert "rows in" in proc.stdout and " s " in proc.stdout + " "

    tables = psql(pg_dsn, r"\dt marts.*")
    assert {t for t in MARTS if f" {t} " in tables} == MARTS
    d = psql(pg_dsn, r"\d marts.dim_project")
    assert '"dim_project_pkey" PRIMARY KEY, btree (project_id)' in d
    assert "FOREIGN KEY (document_id) REFERENCES marts.dim_document(document_id)" in d
    assert "(fiscal_year)" in d and "(admin_level)" in d
    assert "parse_flags_text" in d and "text[]" in d
    chinese = psql(pg_dsn, "select project_name from marts.dim_project where project_name like '%应急%' order by 1 limit 1")
    assert "应急" in chinese

    with psycopg.connect(pg_dsn) as pg:
        for schema in ("marts", "quality", "ops"):
            for (name,) in duck(warehouse, f"select table_name from duckdb_tables() where schema_name = '{schema}'"):
                want = duck(warehouse, f'select count(*) from {schema}."{name}"')[0][0]
                assert pg.execute(f'select count(*) from {schema}."{name}"').fetchone()[0] == want, (schema, name)
        types = dict(pg.execute(
            "select column_name, format_type(atttypid, atttypmod) from information_schema.columns c "
            "join pg_attribute a on a.attrelid = 'marts.fct_project_funding'::regclass and a.attname = c.column_name "
            "where table_schema = 'marts' and table_name = 'fct_project_funding'").fetchall())
        assert types["annual_total_yuan"] == "numeric(20,2)"
        assert pg.execute("select data_type from information_schema.columns where table_schema = 'marts' "
                          "and table_name = 'dim_document' and column_name = 'published_on'").fetchone()[0] == "date"
        uncommented = pg.execute(
            "select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid "
            "join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'marts' and c.relkind = 'r' "
            "and a.attnum > 0 and not a.attisdropped and col_description(c.oid, a.attnum) is null").fetchall()
        assert uncommented == []
        assert pg.execute("select obj_description('marts.dim_project'::regclass)").fetchone()[0].startswith("项目维度")
        # the same text both ways: NULL stays NULL, '' stays '', lists keep their order
        pg_rows = pg.execute("select project_id, implementing_unit, parse_flags, parse_flags_text, annual_goal "
                             "from marts.dim_project order by 1").fetchall()
    duck_rows = duck(warehouse, "select project_id, implementing_unit, parse_flags, array_to_string(parse_flags, '、'), "
                                "annual_goal from marts.dim_project order by 1")
    assert [tuple(r) for r in pg_rows] == [tuple(r) for r in duck_rows]
    money = duck(warehouse, "select sum(annual_total_yuan) from marts.fct_project_funding")[0][0]
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute("select sum(annual_total_yuan) from marts.fct_project_funding").fetchone()[0] == Decimal(money)


def test_sqlalchemy_reflects_the_served_schema(warehouse, pg_dsn):
    import sqlalchemy as sa

    assert publish(warehouse, pg_dsn).returncode == 0
    engine = sa.create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(pg_dsn))
    insp = sa.inspect(engine)
    assert set(insp.get_table_names(schema="marts")) >= MARTS
    cols = {c["name"]: c for c in insp.get_columns("dim_project", schema="marts")}
    assert isinstance(cols["parse_flags"]["type"], sa.ARRAY)
    assert isinstance(cols["parse_flags_text"]["type"], sa.Text)
    assert cols["project_name"]["comment"].startswith("项目名称")
    assert insp.get_pk_constraint("dim_project", schema="marts")["constrained_columns"] == ["project_id"]
    fks = insp.get_foreign_keys("fct_indicator_target", schema="marts")
    assert {(tuple(f["constrained_columns"]), f["referred_table"]) for f in fks} == {(("project_id",), "dim_project")}
    funding = {c["name"]: c["type"] for c in insp.get_columns("fct_project_funding", schema="marts")}
    assert isinstance(funding["annual_total_yuan"], sa.Numeric) and funding["annual_total_yuan"].scale == 2
    engine.dispose()


def test_reader_role_reads_and_cannot_write(warehouse, pg_dsn):
    assert publish(warehouse, pg_dsn).returncode == 0
    with psycopg.connect(as_user(pg_dsn, "jixiao_reader"), autocommit=True) as ro:
        assert ro.execute("select count(*) from marts.dim_project").fetchone()[0] > 0
        assert ro.execute("select count(*) from ops.runs").fetchone()[0] >= 1
        for stmt in ("delete from marts.dim_project", "create table marts.x (a int)", "drop table marts.fct_anomaly",
                     "create table public.x (a int)", "create schema mine",
                     "set transaction read write; insert into ops.build select * from ops.build"):
            with pytest.raises(psycopg.Error):
                ro.execute(stmt)
        assert ro.execute("select has_database_privilege(current_database(), 'CREATE'), "
                          "has_schema_privilege('public', 'CREATE')").fetchone() == (False, False)
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute("select count(*) from marts.fct_anomaly").fetchone()[0] > 0


def test_password_in_the_dsn_is_refused_and_never_printed(warehouse, pg_dsn):
    proc = publish(warehouse, pg_dsn + " password=s3cret-Xy")
    assert proc.returncode == 1
    assert "PGPASSWORD" in proc.stderr and "s3cret-Xy" not in proc.stdout + proc.stderr


def test_a_reader_in_a_loop_sees_old_or_new_never_a_mix(warehouse, pg_dsn, tmp_path):
    other = variant(warehouse, tmp_path / "b.duckdb", "run-B")
    assert publish(warehouse, pg_dsn).returncode == 0
    with psycopg.connect(pg_dsn) as pg:
        sig_a = pg.execute(SIGNATURE).fetchone()
    seen, errors, stop = set(), [], threading.Event()

    def read() -> None:
        with psycopg.connect(as_user(pg_dsn, "jixiao_reader"), autocommit=True) as ro:
            while not stop.is_set():
                try:
                    seen.add(ro.execute(SIGNATURE).fetchone())
                except psycopg.Error as err:
                    errors.append(str(err))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for path in (other, warehouse, other):
            assert publish(path, pg_dsn).returncode == 0
    finally:
        stop.set()
        reader.join(30)
    with psycopg.connect(pg_dsn) as pg:
        sig_b = pg.execute(SIGNATURE).fetchone()
    assert sig_a != sig_b and sig_b[0] == "run-B"
    assert errors == []
    assert seen <= {sig_a, sig_b} and len(seen) == 2


def test_a_publish_killed_halfway_leaves_the_served_schema(warehouse, pg_dsn, tmp_path):
    assert publish(warehouse, pg_dsn).returncode == 0
    with psycopg.connect(pg_dsn) as pg:
        before = pg.execute(SIGNATURE).fetchone()
    other = variant(warehouse, tmp_path / "b.duckdb", "run-B")
    marker = tmp_path / "paused"
    launcher = [sys.executable, "-m", "tests.integration.pause_launcher", "postgres", str(marker), "--"]
    proc = subprocess.Popen([*launcher, "publish-postgres", "--warehouse", str(other), "--dsn", pg_dsn],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    wait_for(marker, proc, timeout=120)
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute("select count(*) from pg_namespace where nspname like '%jixiao_staging'").fetchone()[0] == 3
    sigkill(proc)
    time.sleep(0.2)
    with psycopg.connect(as_user(pg_dsn, "jixiao_reader"), autocommit=True) as ro:
        assert ro.execute(SIGNATURE).fetchone() == before
        with pytest.raises(psycopg.Error):
            ro.execute('select count(*) from "marts__jixiao_staging".dim_document')
    assert publish(other, pg_dsn).returncode == 0
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute(SIGNATURE).fetchone()[0] == "run-B"
        assert pg.execute("select count(*) from pg_namespace where nspname like '%jixiao_%'").fetchone()[0] == 0


def test_refresh_publishes_to_postgres_and_reports_a_failure(tmp_path_factory, tmp_path, pg_dsn):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    served = duck(site.warehouse, "select run_id from ops.build")[0][0]
    proc = site.refresh(env={"JIXIAO_PG_DSN": pg_dsn})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "postgres: published run" in proc.stdout
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute("select run_id from ops.build").fetchone()[0] == served
    again = site.refresh(env={"JIXIAO_PG_DSN": pg_dsn})
    assert again.returncode == 0 and "already serves" in again.stdout

    bad = site.refresh(env={"JIXIAO_PG_DSN": f"host={tmp_path / 'nowhere'} dbname=x user=x"})
    assert bad.returncode == 1
    reason = [line for line in bad.stderr.splitlines() if line.startswith("jixiao refresh: postgres")]
    assert len(reason) == 1 and "DuckDB warehouse stays published" in reason[0]
    assert duck(site.warehouse, "select run_id from ops.build")[0][0] == served


def test_every_refresh_leaves_its_status_in_status_json_and_postgres(tmp_path_factory, tmp_path, pg_dsn):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    served = duck(site.warehouse, "select run_id from ops.build")[0][0]
    env = {"JIXIAO_PG_DSN": pg_dsn}
    assert site.refresh(env=env).returncode == 0
    status_json = site.warehouse.parent / "status.json"
    ok = json.loads(status_json.read_text(encoding="utf-8"))
    assert (ok["outcome"], ok["exit_code"], ok["served_run_id"], ok["postgres"]["outcome"]) == (
        "no_change", 0, served, "published")

    for doc in site.docs.iterdir():  # an unmounted share: the refresh refuses (exit 2)
        doc.unlink()
    bad = site.refresh(env=env)
    assert bad.returncode == 2
    failed = json.loads(status_json.read_text(encoding="utf-8"))
    assert (failed["outcome"], failed["exit_code"], failed["ok"], failed["served_run_id"]) == (
        "bad_input", 2, False, served)
    assert failed["run_id"] != ok["run_id"]
    with psycopg.connect(as_user(pg_dsn, "jixiao_reader"), autocommit=True) as ro:
        rows = ro.execute("select run_id, outcome, exit_code from ops.refresh_status order by started_at").fetchall()
    assert rows == [(ok["run_id"], "no_change", 0), (failed["run_id"], "bad_input", 2)]
    assert publish(site.warehouse, pg_dsn).returncode == 0  # a publish keeps the history
    with psycopg.connect(pg_dsn) as pg:
        assert pg.execute("select count(*) from ops.refresh_status").fetchone()[0] == 2
