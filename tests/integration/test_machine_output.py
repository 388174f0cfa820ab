"""``refresh --json`` / ``--quiet``, ``status --json`` and the progress line on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS

pytestmark = pytest.mark.slow
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("machine") / "jixiao.duckdb"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([JIXIAO, *args], capture_output=True, text=True, timeout=600)


def test_refresh_json_is_one_object(warehouse):
    done = _run("refresh", "--documents", str(DOCUMENTS), "--warehouse", str(warehouse), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)  # the whole of stdout is one JSON object
    assert payload["outcome"] == "published" and payload["exit_code"] == 0 and payload["ok"] is True
    assert payload["run"]["documents_seen"] == 2 and payload["run"]["gate_passed"] is True
    assert set(payload["timings_s"]) >= {"ingest", "build", "validate", "publish"}
    assert Path(payload["dbt_docs"]).is_file() and Path(payload["data_docs"]).is_file()
    assert "\r" not in done.stderr  # not a terminal: no progress line


def test_refresh_quiet_prints_nothing(warehouse):
    done = _run("refresh", "--documents", str(DOCUMENTS), "--warehouse", str(warehouse), "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_status_json(warehouse):
    done = _run("status", "--warehouse", str(warehouse), "--json", "--runs", "5")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [r["outcome"] for r in payload["runs"]] == ["no_change", "published"]
    assert payload["served"]["build"]["run_id"] == payload["runs"][1]["run_id"]
    assert payload["last_refresh"]["outcome"] == "no_change"


def test_progress_on_a_terminal(warehouse):
    main, secondary = pty.openpty()
    try:
        proc = subprocess.Popen(
            [JIXIAO, "refresh", "--documents", str(DOCUMENTS), "--warehouse", str(warehouse), "--force"],
            stdout=subprocess.DEVNULL,
            stderr=secondary,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=600) == 0
    finally:
        os.close(main)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "ingest: 2/2 documents parsed" in shown
    assert "models, seeds and tests built" in shown
    assert "rules run" in shown
