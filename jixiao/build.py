"""Run ``dbt build`` (seeds, models, tests) into a DuckDB file, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jixiao.paths import LAKE_ENV, PROJECT_DIR, WAREHOUSE_ENV


class BuildError(RuntimeError):
    pass


def dbt_env(duckdb_path: Path, lake: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            WAREHOUSE_ENV: str(duckdb_path),
            LAKE_ENV: str(lake),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "DO_NOT_TRACK": "1",
            "DBT_TARGET_PATH": str(work / "dbt_target"),
            "DBT_LOG_PATH": str(work / "dbt_logs"),
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_PROJECT_DIR": str(PROJECT_DIR),
        }
    )
    return env


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt_build(duckdb_path: Path, lake: Path, work: Path, *, quiet: bool = True) -> str:
    """Build every seed, model and dbt test into ``duckdb_path``; raise BuildError on failure."""
    work.mkdir(parents=True, exist_ok=True)
    cmd = [dbt_executable(), "--no-use-colors", "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    proc = subprocess.run(cmd, env=dbt_env(duckdb_path, lake, work), capture_output=True, text=True, cwd=work)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        failures = [ln for ln in output.splitlines() if "FAIL" in ln or "ERROR" in ln or "Error" in ln]
        raise BuildError("dbt build failed:\n" + "\n".join(failures[-40:] or output.splitlines()[-40:]))
    return output
