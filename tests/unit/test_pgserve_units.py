"""The PostgreSQL serving pieces that need no server: types, DSNs, keys from the contracts."""

from __future__ import annotations

import pytest

from jixiao.pgserve import Column, PgPublishError, Table, check_dsn, contracts, describe_dsn, pg_type


@pytest.mark.parametrize(("duck", "pg"), [
    ("DECIMAL(20,2)", "numeric(20,2)"), ("DATE", "date"), ("VARCHAR", "text"), ("INTEGER", "integer"),
    ("BIGINT", "bigint"), ("BOOLEAN", "boolean"), ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
    ("VARCHAR[]", "text[]"), ("INTEGER[]", "integer[]"), ("DOUBLE", "double precision"),
    ("STRUCT(a INTEGER)", "text"), ("HUGEINT", "numeric(38,0)"),
])
def test_duckdb_types_map_to_postgresql(duck, pg):
    assert pg_type(duck) == pg


def test_a_list_column_gets_a_text_twin_unless_the_mart_has_one():
    t = Table("marts", "x", [Column("flags", "VARCHAR[]", "标记。Flags."), Column("tags", "VARCHAR[]"),
                             Column("tags_text", "VARCHAR")])
    names = [n for n, *_ in t.out_columns()]
    assert names == ["flags", "flags_text", "tags", "tags_text"]
    assert "、" in t.out_columns()[1][2] and t.out_columns()[1][3].startswith("标记")


def test_a_dsn_with_a_password_is_refused_without_echoing_it():
    with pytest.raises(PgPublishError) as err:
        check_dsn("postgresql://w:hunter2-x@db/jixiao")
    assert "PGPASSWORD" in str(err.value) and "hunter2-x" not in str(err.value)
    assert describe_dsn("host=db dbname=jixiao user=w") == "w@db:5432/jixiao"
    assert check_dsn("postgresql://postgres:@/postgres?host=/tmp/s")["host"] == "/tmp/s"  # empty password


def test_keys_come_from_the_dbt_contracts():
    spec = contracts()
    assert spec["dim_project"]["pk"] == ["project_id"]
    assert ("document_id", "dim_document", "document_id") in spec["dim_project"]["fks"]
    assert spec["mart_funding_by_department"]["pk"] == ["rollup_key"]
    assert all(spec[m]["description"] for m in spec)
