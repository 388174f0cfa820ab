"""Helpers for the quality-gate tests: real ``jixiao`` processes on files in temp folders.

The two samples are refreshed once per session (``samples_site``) and the result copied for
each test module, so only the refreshes a test is about cost a dbt build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.conftest import DOCUMENTS

JIXIAO = str(Path(sys.executable).with_name("jixiao"))


@dataclass
class GateSite:
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

    def run(self, *cmd: str) -> subprocess.CompletedProcess:
        args = [JIXIAO, *cmd, "--warehouse", str(self.warehouse)]
        if cmd and cmd[0] == "refresh":
            args += ["--documents", str(self.docs)]
        return subprocess.run(args, capture_output=True, text=True, timeout=600, env=dict(os.environ))

    def query(self, sql: str, path: Path | None = None) -> list[tuple]:
        con = duckdb.connect(str(path or self.warehouse), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def digest(self) -> str:
        return hashlib.sha256(self.warehouse.read_bytes()).hexdigest()


def samples_site(tmp_path_factory, name: str) -> tuple[GateSite, subprocess.CompletedProcess]:
    """A copy of the session's samples refresh (and the output of that refresh)."""
    base = tmp_path_factory.getbasetemp() / "gate_samples_baseline"
    log = base / "refresh.out"
    if not log.exists():
        shutil.rmtree(base, ignore_errors=True)
        site = GateSite(base)
        shutil.copytree(DOCUMENTS, site.docs)
        proc = site.run("refresh")
        (base / "refresh.rc").write_text(str(proc.returncode))
        (base / "refresh.err").write_text(proc.stderr)
        log.write_text(proc.stdout)
    proc = subprocess.CompletedProcess(
        ["jixiao", "refresh"], int((base / "refresh.rc").read_text()), log.read_text(), (base / "refresh.err").read_text()
    )
    root = tmp_path_factory.mktemp(name)
    shutil.rmtree(root)
    shutil.copytree(base, root, ignore=shutil.ignore_patterns("refresh.*", "*.lock"))
    return GateSite(root), proc
