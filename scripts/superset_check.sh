#!/usr/bin/env bash
# Prove the Superset recipe of docs/bi.md (outside `make test`): install Superset 6.1.0 in its own
# virtual environment, register both serving paths as databases, and run a chart query through
# Superset's own engine layer (Database.get_df / get_sqla_engine) against each.
#
#   scripts/superset_check.sh [WAREHOUSE] [PG_DSN]
#
# WAREHOUSE defaults to build/jixiao.duckdb (run `make run` first); PG_DSN to $JIXIAO_PG_DSN
# (the PostgreSQL path is skipped when neither is given). The DSN is used with the read-only
# role jixiao_reader; its password, if any, comes from PGPASSWORD / ~/.pgpass.
# The venv is cached in build/superset-venv (SUPERSET_VENV to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
WAREHOUSE="$(realpath "${1:-build/jixiao.duckdb}")"
PG_DSN="${2:-${JIXIAO_PG_DSN:-}}"
VENV="${SUPERSET_VENV:-build/superset-venv}"
PYTHON="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/superset" ]]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "apache-superset==6.1.0" "duckdb==2.0.1" "duckdb-engine==0.17.0" "SQLAlchemy==1.4.54" \
    "psycopg2-binary" rich cachetools "flask-caching==2.3.1"
fi
HOME_DIR="$(mktemp -d)"
trap 'rm -rf "$HOME_DIR"' EXIT
export SUPERSET_HOME="$HOME_DIR" SUPERSET_CONFIG_PATH="$HOME_DIR/superset_config.py"
cat > "$SUPERSET_CONFIG_PATH" <<PY
SECRET_KEY = "superset-check-only-$(date +%s)"
SQLALCHEMY_DATABASE_URI = "sqlite:///$HOME_DIR/superset.db"
PREVENT_UNSAFE_DB_CONNECTIONS = False
PY
"$VENV/bin/superset" db upgrade >/dev/null 2>&1
WAREHOUSE="$WAREHOUSE" PG_DSN="$PG_DSN" "$VENV/bin/python" - <<'PY'
import os, time
from superset.app import create_app

app = create_app()
with app.app_context():
    from superset import db
    from superset.models.core import Database

    uris = {"duckdb": f"duckdb:///{os.environ['WAREHOUSE']}?access_mode=read_only"}
    if os.environ.get("PG_DSN"):
        from sqlalchemy.engine import make_url
        import psycopg2.extensions as ext
        params = ext.parse_dsn(os.environ["PG_DSN"])
        host = params.get("host", "localhost")
        q = f"?host={host}" if host.startswith("/") else ""
        netloc = "" if q else f"{host}:{params.get('port', '5432')}"
        uris["postgresql"] = f"postgresql+psycopg2://jixiao_reader@{netloc}/{params.get('dbname', 'postgres')}{q}"
    chart = ("select admin_level, sum(own_level_yuan) / 10000 as own_level_wan, sum(project_count) as projects "
             "from marts.mart_funding_by_admin_level group by admin_level order by admin_level")
    failures = 0
    for name, uri in uris.items():
        database = Database(database_name=f"jixiao_{name}", sqlalchemy_uri=uri, expose_in_sqllab=True)
        db.session.add(database)
        db.session.commit()
        t = time.perf_counter()
        try:
            df = database.get_df(chart, schema="marts")
            tables = database.get_all_table_names_in_schema(catalog=None, schema="marts")
            print(f"{name}: OK {len(df)} rows in {time.perf_counter() - t:.2f}s, {len(tables)} tables in marts")
            print(df.to_string(index=False))
        except Exception as err:
            failures += 1
            print(f"{name}: FAILED {type(err).__name__}: {err}")
    raise SystemExit(1 if failures else 0)
PY
