"""Run ``dbt build`` (seeds, models, tests) into a DuckDB file, in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from jixiao import progress
from jixiao.escape import glob_literal
from jixiao.paths import LAKE_ENV, PROJECT_DIR, WAREHOUSE_ENV


class BuildError(RuntimeError):
    pass


def dbt_env(duckdb_path: Path, lake: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            WAREHOUSE_ENV: str(duckdb_path),
            # pasted by the dbt sources into a SQL string and a glob: escaped for both
            LAKE_ENV: glob_literal(lake).replace("'", "''"),
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


def _prctl():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl() if sys.platform == "linux" else None


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """Linux: dbt gets SIGKILL when the refresh process dies (PR_SET_PDEATHSIG), so a killed
    refresh leaves no orphan dbt writing into ``.next``."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)


def run_dbt_build(
    duckdb_path: Path,
    lake: Path,
    work: Path,
    *,
    quiet: bool = True,
    pass_fds: tuple[int, ...] = (),
    full_refresh: bool = True,
) -> str:
    """Build every seed, model and dbt test into ``duckdb_path``; raise BuildError on failure.

    ``pass_fds``: descriptors dbt inherits, e.g. the refresh lock, so the lock stays held for as
    long as any dbt process is alive. ``full_refresh=False``: an incremental build of a copy of
    the served warehouse (the incremental models patch the documents of ``ops.build_delta``).
    """
    work.mkdir(parents=True, exist_ok=True)
    cmd = [
        dbt_executable(),
        "--no-use-colors",
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
    ]
    # incremental: the seeds (and their tests) are the served build's, unchanged since the project
    # fingerprint is the same
    cmd += ["--full-refresh"] if full_refresh else ["--exclude", "path:seeds"]
    proc = subprocess.Popen(
        cmd,
        env=dbt_env(duckdb_path, lake, work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=work,
        pass_fds=pass_fds,
        preexec_fn=_die_with_parent if _PRCTL else None,
    )
    lines = []
    assert proc.stdout is not None
    for out_line in proc.stdout:  # as dbt writes it, for the progress line on a terminal
        lines.append(out_line)
        progress.dbt_line(out_line)
    proc.wait()
    output = "".join(lines)
    if proc.returncode != 0:
        raise BuildError(
            "dbt build failed:\n" + failure_excerpt(output) + f"\n(full log: {work / 'dbt_logs' / 'dbt.log'})"
        )
    return output


def failure_excerpt(output: str, limit: int = 60) -> str:
    """The lines that say what failed: each ``Error in``/``Failure in`` block with its detail."""
    lines = output.splitlines()
    keep: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if " Error in " in line or " Failure in " in line or "Compilation Error" in line:
            block = [line]
            j = i + 1
            while j < len(lines) and lines[j].strip() and len(block) < 8 and " in " not in lines[j][:40]:
                block.append(lines[j])
                j += 1
            keep += block
            i = j
            continue
        if "ERROR" in line or "FAIL " in line or line.rstrip().endswith("FAIL"):
            keep.append(line)
        i += 1
    return "\n".join((keep or lines)[-limit:])
