"""Helpers for the refresh tests: every refresh is a real `jixiao` process.

One baseline (the two sample documents, refreshed once) is built per session and copied for
each test, so only the refreshes a test is about cost a dbt build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.conftest import DOCUMENTS, SAMPLES

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
REPO = Path(__file__).resolve().parents[2]
NINGXIA, PINGLUO = SAMPLES["ningxia"], SAMPLES["pingluo"]


@dataclass
class Site:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def warehouse(self) -> Path:
        return self.root / "out" / "jixiao.duckdb"

    @property
    def lake(self) -> Path:
        return self.root / "out" / "lake"

    @property
    def data_docs(self) -> Path:
        return self.root / "out" / "data_docs"

    def args(self, *extra: str) -> list[str]:
        return [JIXIAO, "refresh", "--documents", str(self.docs), "--warehouse", str(self.warehouse), *extra]

    def refresh(self, *extra: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(self.args(*extra), capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})

    def start(self, *extra: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen(self.args(*extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, **(env or {})})

    def start_paused(self, stage: str, marker: Path, *extra: str, seconds: float = 120) -> subprocess.Popen:
        """A refresh that stops at ``stage`` (see ``pause_launcher``) and writes ``marker``."""
        cmd = [sys.executable, "-m", "tests.integration.pause_launcher", stage, str(marker), str(seconds), "--",
               *self.args(*extra)[1:]]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)

    def jixiao(self, *cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run([JIXIAO, *cmd, "--warehouse", str(self.warehouse)],
                              capture_output=True, text=True, timeout=600)

    def run(self, *cmd: str) -> subprocess.CompletedProcess:
        """``jixiao <cmd>`` on this site (``refresh`` reads the site's documents)."""
        return self.refresh() if cmd == ("refresh",) else self.jixiao(*cmd)

    def digest(self) -> str:
        return hashlib.sha256(self.warehouse.read_bytes()).hexdigest()

    def query(self, sql: str, path: Path | None = None) -> list[tuple]:
        con = duckdb.connect(str(path or self.warehouse), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def runs(self) -> list[dict]:
        from jixiao.runlog import read_runs

        return read_runs(self.lake)

    def change_pingluo(self, old: str = "13.49", new: str = "14.49") -> None:
        """An edit an analyst would notice: the first project's annual total (万元)."""
        path = self.docs / PINGLUO
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def build_baseline(tmp_path_factory) -> Path:
    """Refresh the two samples once per session; later calls return the same folder."""
    base = tmp_path_factory.getbasetemp() / "refresh_baseline"
    if (base / "ready").exists():
        return base
    if base.exists():
        shutil.rmtree(base)
    site = Site(base)
    site.docs.mkdir(parents=True)
    for name in SAMPLES.values():
        (site.docs / name).write_bytes((DOCUMENTS / name).read_bytes())
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (base / "refresh.out").write_text(proc.stdout, encoding="utf-8")
    (base / "refresh.err").write_text(proc.stderr, encoding="utf-8")
    (base / "ready").touch()
    return base


def baseline_output(baseline: Path) -> subprocess.CompletedProcess:
    """What the baseline's refresh printed (it exited 0)."""
    return subprocess.CompletedProcess(["jixiao", "refresh"], 0, (baseline / "refresh.out").read_text(encoding="utf-8"),
                                       (baseline / "refresh.err").read_text(encoding="utf-8"))


def copy_site(baseline: Path, dest: Path) -> Site:
    """A private copy of the baseline (mtimes kept, so the registry still trusts the lake)."""
    shutil.copytree(baseline, dest, symlinks=True)
    return Site(dest)


def annual_total(site: Site, path: Path | None = None) -> float:
    return float(site.query("select sum(annual_total_yuan) from marts.fct_project_funding", path)[0][0])


def marts_dump(path: Path) -> dict[str, list[tuple]]:
    """Every marts table, every row, ordered by every column."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        out = {}
        for t in tables:
            cols = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [t]).fetchall()]
            order = ", ".join(f'"{c}"' for c in cols)
            out[t] = con.execute(f'select * from marts."{t}" order by {order}').fetchall()
        return out
    finally:
        con.close()


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"process ended (rc {proc.returncode}) before the pause point:\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"pause marker {path} not written in {timeout}s")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def sigkill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.communicate()


def stale_files(site: Site) -> list[Path]:
    """Leftovers that must not outlive the run that made them."""
    out = site.warehouse.parent
    found = [p for p in out.iterdir() if p.name.endswith((".next", ".wal", ".tmp", ".rollback"))]
    found += list(site.lake.rglob("*.tmp"))
    return found
