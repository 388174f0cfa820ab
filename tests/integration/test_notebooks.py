"""Every notebook runs top to bottom against a freshly refreshed warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import DOCUMENTS, ROOT

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nb") / "jixiao.duckdb"
    subprocess.run(
        [str(Path(sys.executable).with_name("jixiao")), "refresh", "--documents", str(DOCUMENTS),
         "--warehouse", str(out)],
        check=True, capture_output=True, timeout=600,
    )
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, warehouse, monkeypatch):
    monkeypatch.setenv("JIXIAO_DUCKDB_PATH", str(warehouse))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert os.environ["JIXIAO_DUCKDB_PATH"] == str(warehouse)
