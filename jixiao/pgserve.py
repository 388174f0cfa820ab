"""Serve the warehouse from PostgreSQL (``jixiao publish-postgres``), for BI tools on other machines.

The schemas ``marts``, ``quality`` and ``ops`` of the served DuckDB file are copied into
PostgreSQL with the same names and types (DECIMAL -> NUMERIC, DATE -> DATE; a list column
becomes ``text[]`` and, beside it, ``<name>_text`` joined with 、), the primary and foreign keys
of the dbt contracts (``models/marts/_marts.yml``), table and column comments (the dbt
descriptions) and indexes on the common filters.

Readers never see a partial state: everything is loaded (bulk COPY) into staging schemas
``<schema>__jixiao_staging`` that only the writer can see, then one transaction renames the
served schemas away and the staging ones in. A publish that fails or is killed before that
commit leaves the served schemas as they were; the next publish drops its leftovers.

Credentials: the DSN must not carry a password (it would show up in ``ps`` and logs); libpq
reads it from ``PGPASSWORD``, ``PGPASSFILE`` or ``~/.pgpass``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from jixiao.paths import PROJECT_DIR

SERVED_SCHEMAS = ("marts", "quality", "ops")
STAGING = "__jixiao_staging"
OLD = "__jixiao_old"
READER_ROLE = "jixiao_reader"
FILTER_COLUMNS = ("document_id", "project_id", "fiscal_year", "admin_level", "rule_id")
LIST_SEPARATOR = "、"
LOCK_KEY = 0x6A697861  # pg_advisory_lock key: one publish at a time per database
CONTRACTS = PROJECT_DIR / "models" / "marts"
DSN_ENV = "JIXIAO_PG_DSN"
STATUS_TABLE = "refresh_status"  # ops table kept across publishes (see jixiao.status_file)

_SCALAR_TYPES = {
    "VARCHAR": "text", "BOOLEAN": "boolean", "TINYINT": "smallint", "SMALLINT": "smallint",
    "INTEGER": "integer", "BIGINT": "bigint", "HUGEINT": "numeric(38,0)", "UTINYINT": "smallint",
    "USMALLINT": "integer", "UINTEGER": "bigint", "UBIGINT": "numeric(20,0)", "FLOAT": "real",
    "DOUBLE": "double precision", "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz", "INTERVAL": "interval", "BLOB": "bytea",
    "UUID": "uuid", "JSON": "jsonb",
}


class PgPublishError(RuntimeError):
    """A publish that did not happen; the served schemas are unchanged."""


@dataclass
class Column:
    name: str
    duck_type: str
    comment: str | None = None

    @property
    def is_list(self) -> bool:
        return self.duck_type.endswith("[]")

    @property
    def pg_type(self) -> str:
        return pg_type(self.duck_type)


@dataclass
class Table:
    schema: str
    name: str
    columns: list[Column]
    comment: str | None = None
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (column, table, column)

    def out_columns(self) -> list[tuple[str, str, str, str | None]]:
        """(name, pg type, DuckDB select expression, comment) of every PostgreSQL column."""
        have = {c.name for c in self.columns}
        out = []
        for c in self.columns:
            out.append((c.name, c.pg_type, _export_expr(c), c.comment))
            if c.is_list and f"{c.name}_text" not in have:
                note = f"{c.comment or c.name}（以“、”连接的文本 / joined with 、 as text）"
                out.append((f"{c.name}_text", "text", f"array_to_string({_q(c.name)}, '{LIST_SEPARATOR}')", note))
        return out


@dataclass
class PgReport:
    tables: dict[str, int]
    seconds: float
    run_id: str | None

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def line(self) -> str:
        return (f"postgres: published run {self.run_id}: {len(self.tables)} tables, "
                f"{self.rows} rows in {self.seconds:.2f} s")


def pg_type(duck_type: str) -> str:
    """The PostgreSQL type for a DuckDB column type (lists become arrays)."""
    t = duck_type.upper().strip()
    if t.endswith("[]"):
        return pg_type(t[:-2]) + "[]"
    if t.startswith("DECIMAL") or t.startswith("NUMERIC"):
        return "numeric" + t[t.index("("):].replace(" ", "") if "(" in t else "numeric"
    if t.startswith("VARCHAR"):
        return "text"
    return _SCALAR_TYPES.get(t, "text")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _export_expr(c: Column) -> str:
    """DuckDB expression giving the CSV text PostgreSQL's COPY reads for this column."""
    if not c.is_list:
        native = c.pg_type != "text" or c.duck_type.upper().startswith("VARCHAR")
        return _q(c.name) if native else f"{_q(c.name)}::varchar"
    elem = ("case when x is null then 'NULL' else '\"' || "
            "replace(replace(x::varchar, '\\', '\\\\'), '\"', '\\\"') || '\"' end")
    return (f"case when {_q(c.name)} is null then null else "
            f"'{{' || array_to_string(list_transform({_q(c.name)}, lambda x: {elem}), ',') || '}}' end")


# --- reading the DuckDB side -------------------------------------------------------------------


def contracts(folder: Path = CONTRACTS) -> dict[str, dict]:
    """Per mart: description, column descriptions, primary key and foreign keys (dbt YAML)."""
    import yaml

    out: dict[str, dict] = {}
    models = [m for p in sorted(folder.glob("*.yml"))
              for m in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("models", [])]
    for model in models:
        pk, fks, docs = [], [], {}
        for col in model.get("columns", []):
            docs[col["name"]] = col.get("description")
            if any(c.get("type") == "primary_key" for c in col.get("constraints", []) or []):
                pk.append(col["name"])
            for test in col.get("data_tests", []) or []:
                rel = test.get("relationships") if isinstance(test, dict) else None
                if rel:
                    args = rel.get("arguments", rel)
                    ref = args["to"].split("'")[1] if "'" in args["to"] else args["to"]
                    fks.append((col["name"], ref, args["field"]))
        out[model["name"]] = {"description": model.get("description"), "columns": docs, "pk": pk, "fks": fks}
    return out


def read_tables(con: duckdb.DuckDBPyConnection, schemas: Iterable[str] = SERVED_SCHEMAS) -> list[Table]:
    """Every base table of ``schemas`` with its columns, comments and (for marts) keys."""
    schemas = list(schemas)
    spec = contracts() if "marts" in schemas else {}
    rows = con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        "where database_name = current_database() and schema_name in (select unnest(?)) "
        "order by schema_name, table_name", [schemas]).fetchall()
    tables = []
    for schema, name, comment in rows:
        cols = con.execute(
            "select column_name, data_type, comment from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? order by column_index", [schema, name]).fetchall()
        model = spec.get(name, {}) if schema == "marts" else {}
        docs = model.get("columns", {})
        table = Table(schema, name, [Column(n, t, c or docs.get(n)) for n, t, c in cols],
                      comment or model.get("description"), list(model.get("pk", [])))
        tables.append(table)
    _attach_foreign_keys(tables, spec)
    return tables


def _attach_foreign_keys(tables: list[Table], spec: dict[str, dict]) -> None:
    marts = {t.name: t for t in tables if t.schema == "marts"}
    for t in marts.values():
        for col, ref, ref_col in spec.get(t.name, {}).get("fks", []):
            target = marts.get(ref)
            if target is not None and target.primary_key == [ref_col]:
                t.foreign_keys.append((col, ref, ref_col))


# --- writing the PostgreSQL side ---------------------------------------------------------------


def check_dsn(dsn: str) -> dict[str, str]:
    """Parse ``dsn``; refuse one that carries a password (use PGPASSWORD / .pgpass)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(dsn)
    except Exception as err:  # psycopg.ProgrammingError: unparseable
        raise PgPublishError(f"cannot read the PostgreSQL DSN: {type(err).__name__}") from None
    if params.get("password"):
        raise PgPublishError("the PostgreSQL DSN carries a password; give it in PGPASSWORD, PGPASSFILE "
                             "or ~/.pgpass instead (a DSN shows up in process lists and logs)")
    return {k: str(v) for k, v in params.items()}


def describe_dsn(dsn: str) -> str:
    """host/dbname/user of a DSN, for messages (never a password)."""
    p = check_dsn(dsn)
    return f"{p.get('user', '')}@{p.get('host', 'local')}:{p.get('port', '5432')}/{p.get('dbname', '')}"


def _ddl(table: Table, schema: str) -> list[str]:
    cols = table.out_columns()
    body = [f"{_q(n)} {t}" for n, t, _, _ in cols]
    if table.primary_key:
        body.append(f"primary key ({', '.join(map(_q, table.primary_key))})")
    return [f"create table {_q(schema)}.{_q(table.name)} ({', '.join(body)})"]


def _comments(table: Table, schema: str) -> list:
    """COMMENT statements (utility statements take no parameters: the text is a quoted literal)."""
    from psycopg import sql

    target = f"{_q(schema)}.{_q(table.name)}"
    out = []
    if table.comment:
        out.append(sql.SQL(f"comment on table {target} is {{}}").format(sql.Literal(table.comment)))
    for n, _, _, comment in table.out_columns():
        if comment:
            out.append(sql.SQL(f"comment on column {target}.{_q(n)} is {{}}").format(sql.Literal(comment)))
    return out


def _indexes_and_keys(table: Table, schema: str) -> list[str]:
    target = f"{_q(schema)}.{_q(table.name)}"
    have = {n for n, *_ in table.out_columns()}
    stmts = [f"create index on {target} ({_q(c)})" for c in FILTER_COLUMNS
             if c in have and table.primary_key != [c]]
    for col, ref, ref_col in table.foreign_keys:
        stmts.append(f"alter table {target} add foreign key ({_q(col)}) "
                     f"references {_q(schema)}.{_q(ref)} ({_q(ref_col)})")
    return stmts


def _copy_table(duck: duckdb.DuckDBPyConnection, pg, table: Table, schema: str, tmp: Path) -> int:
    """Bulk-load one table: DuckDB writes CSV, PostgreSQL reads it with COPY FROM STDIN."""
    cols = table.out_columns()
    select = ", ".join(f"{expr} as {_q(n)}" for n, _, expr, _ in cols)
    csv = tmp / f"{table.schema}.{table.name}.csv"
    duck.execute(f"copy (select {select} from {_q(table.schema)}.{_q(table.name)}) to '{csv}' "
                 "(format csv, header false)")
    names = ", ".join(_q(n) for n, *_ in cols)
    with pg.cursor() as cur:
        with cur.copy(f"copy {_q(schema)}.{_q(table.name)} ({names}) from stdin (format csv)") as cp, \
                csv.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                cp.write(chunk)
        rows = cur.rowcount
    csv.unlink()
    return rows


def _exists(pg, schema: str) -> bool:
    return pg.execute("select 1 from pg_namespace where nspname = %s", [schema]).fetchone() is not None


def ensure_reader(pg, role: str) -> None:
    """The BI role: may log in and read the served schemas; read-only by default, no CREATE."""
    from psycopg import sql

    if pg.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone() is None:
        pg.execute(sql.SQL("create role {} login nocreatedb nocreaterole noinherit").format(sql.Identifier(role)))
    pg.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(sql.Identifier(role)))
    pg.execute(sql.SQL("revoke create on schema public from {}").format(sql.Identifier(role)))
    dbname = pg.execute("select current_database()").fetchone()[0]
    pg.execute(sql.SQL("revoke create, temporary on database {} from {}").format(
        sql.Identifier(dbname), sql.Identifier(role)))


def _load_staging(duck, pg, tables: list[Table], schemas: Iterable[str], log: Callable[[str], None]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in schemas:
        pg.execute(f"drop schema if exists {_q(s + STAGING)} cascade")
        pg.execute(f"create schema {_q(s + STAGING)}")
    with tempfile.TemporaryDirectory(prefix="jixiao-pg-") as d:
        for t in tables:
            staging = t.schema + STAGING
            for stmt in _ddl(t, staging):
                pg.execute(stmt)
            counts[f"{t.schema}.{t.name}"] = _copy_table(duck, pg, t, staging, Path(d))
    for t in tables:
        for stmt in _indexes_and_keys(t, t.schema + STAGING):
            pg.execute(stmt)
        for stmt in _comments(t, t.schema + STAGING):
            pg.execute(stmt)
    log(f"postgres: loaded {len(tables)} tables into staging")
    return counts


def _swap(pg, schemas: Iterable[str], reader: str) -> None:
    """One transaction: served -> old, staging -> served, grants for the reader."""
    from psycopg import sql

    schemas = list(schemas)
    with pg.transaction():
        pg.execute("set local lock_timeout = '60s'")
        if "ops" in schemas:
            _carry_status(pg)
        for s in schemas:
            pg.execute(f"drop schema if exists {_q(s + OLD)} cascade")
            if _exists(pg, s):
                pg.execute(f"alter schema {_q(s)} rename to {_q(s + OLD)}")
            pg.execute(f"alter schema {_q(s + STAGING)} rename to {_q(s)}")
            ident = sql.Identifier(s)
            pg.execute(sql.SQL("grant usage on schema {} to {}").format(ident, sql.Identifier(reader)))
            pg.execute(sql.SQL("grant select on all tables in schema {} to {}").format(ident, sql.Identifier(reader)))
    for s in schemas:  # after the commit: readers still on the old tables finish first
        pg.execute(f"drop schema if exists {_q(s + OLD)} cascade")


def _carry_status(pg) -> None:
    """``ops.refresh_status`` is written by every refresh, not by the DuckDB copy: keep it."""
    if _table_exists(pg, "ops", STATUS_TABLE):
        staged = f"{_q('ops' + STAGING)}.{_q(STATUS_TABLE)}"
        pg.execute(f"create table {staged} (like ops.{_q(STATUS_TABLE)} including all)")
        pg.execute(f"insert into {staged} select * from ops.{_q(STATUS_TABLE)}")


def _table_exists(pg, schema: str, table: str) -> bool:
    return pg.execute("select to_regclass(%s)", [f"{_q(schema)}.{_q(table)}"]).fetchone()[0] is not None


def connect(dsn: str, **kw):
    import psycopg

    check_dsn(dsn)
    try:
        return psycopg.connect(dsn, application_name="jixiao", **kw)
    except psycopg.OperationalError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise PgPublishError(f"cannot connect to PostgreSQL {describe_dsn(dsn)}: {first}") from None


def served_run(dsn: str) -> str | None:
    """The run id PostgreSQL serves (``ops.build``), None if it serves nothing yet."""
    with connect(dsn, autocommit=True) as pg:
        if not _table_exists(pg, "ops", "build"):
            return None
        row = pg.execute("select run_id from ops.build limit 1").fetchone()
        return row[0] if row else None


def publish_postgres(warehouse: Path, dsn: str, *, reader: str = READER_ROLE,
                     schemas: Iterable[str] = SERVED_SCHEMAS, log: Callable[[str], None] = print) -> PgReport:
    """Copy ``schemas`` of ``warehouse`` into PostgreSQL and swap them in atomically."""
    import psycopg

    schemas = list(schemas)
    if not Path(warehouse).exists():
        raise PgPublishError(f"no warehouse at {warehouse}")
    started = time.perf_counter()
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        with connect(dsn, autocommit=True) as pg:
            pg.execute("select pg_advisory_lock(%s)", [LOCK_KEY])
            tables = read_tables(duck, schemas)
            run_id = _run_id(duck)
            try:
                ensure_reader(pg, reader)
                counts = _load_staging(duck, pg, tables, schemas, log)
                _swap(pg, schemas, reader)
            except psycopg.Error as err:
                raise PgPublishError(f"publish to PostgreSQL failed: {_one_line(err)}") from err
    finally:
        duck.close()
    return PgReport(counts, time.perf_counter() - started, run_id)


def _run_id(duck: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = duck.execute("select run_id from ops.build limit 1").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _one_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


STATUS_COLUMNS = (("run_id", "text primary key"), ("outcome", "text"), ("exit_code", "integer"), ("ok", "boolean"),
                  ("message", "text"), ("started_at", "timestamptz"), ("ended_at", "timestamptz"),
                  ("published", "boolean"), ("served_run_id", "text"), ("postgres_outcome", "text"),
                  ("postgres_message", "text"), ("recorded_at", "timestamptz default now()"))


def record_status(dsn: str, status: dict, reader: str = READER_ROLE) -> None:
    """Upsert one refresh attempt into ``ops.refresh_status`` (kept across publishes)."""
    from psycopg import sql

    row = {**status, "postgres_outcome": (status.get("postgres") or {}).get("outcome"),
           "postgres_message": (status.get("postgres") or {}).get("message")}
    names = [n for n, _ in STATUS_COLUMNS if n != "recorded_at"]
    with connect(dsn, autocommit=True) as pg, pg.transaction():
        pg.execute("create schema if not exists ops")
        pg.execute(f"create table if not exists ops.{STATUS_TABLE} "
                   f"({', '.join(f'{_q(n)} {t}' for n, t in STATUS_COLUMNS)})")
        pg.execute(f"comment on table ops.{STATUS_TABLE} is 'Every refresh attempt (published or not), "
                   "newest by started_at: what a freshness tile reads. 每次刷新的结果（含失败）。'")
        updates = ", ".join(f"{_q(n)} = excluded.{_q(n)}" for n in names[1:])
        pg.execute(f"insert into ops.{STATUS_TABLE} ({', '.join(map(_q, names))}) "
                   f"values ({', '.join(['%s'] * len(names))}) on conflict (run_id) do update set {updates}, "
                   "recorded_at = now()", [row.get(n) for n in names])
        if pg.execute("select 1 from pg_roles where rolname = %s", [reader]).fetchone():
            pg.execute(sql.SQL("grant usage on schema ops to {}").format(sql.Identifier(reader)))
            pg.execute(sql.SQL("grant select on ops.{} to {}").format(sql.Identifier(STATUS_TABLE),
                                                                     sql.Identifier(reader)))
