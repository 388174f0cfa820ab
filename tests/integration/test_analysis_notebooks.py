"""The analysis notebooks (notebooks/2x_*.ipynb) run top to bottom, with Chinese chart labels,
against a planted synthetic warehouse and against the two samples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from jixiao.synth import generate_corpus, render_document
from jixiao.synth.plant import plant_corpus
from jixiao.synth.writer import write_corpus
from tests.conftest import DOCUMENTS, ROOT

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((ROOT / "notebooks").glob("2?_*.ipynb"))
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def _refresh(documents: Path, out: Path) -> Path:
    subprocess.run(
        [JIXIAO, "refresh", "--documents", str(documents), "--warehouse", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


@pytest.fixture(scope="module", params=["planted", "samples"])
def warehouse(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(f"nb_{request.param}")
    if request.param == "samples":
        return _refresh(DOCUMENTS, root / "wh" / "jixiao.duckdb")
    specs, _ = plant_corpus([d.spec for d in generate_corpus(30, seed=18)], seed=18)
    write_corpus([render_document(s) for s in specs], root / "docs")
    (root / "docs" / "truth.json").unlink()
    return _refresh(root / "docs", root / "wh" / "jixiao.duckdb")


def test_there_is_an_analysis_notebook():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_analysis_notebook_runs(path, warehouse, monkeypatch):
    monkeypatch.setenv("JIXIAO_DUCKDB_PATH", str(warehouse))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(
        o.get("text", "") for o in outputs if o.output_type == "stream" and o.get("name") == "stderr"
    )
    assert "missing from font" not in stderr  # a CJK label drawn as boxes
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 5
