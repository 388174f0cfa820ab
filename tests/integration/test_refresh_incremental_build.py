"""An incremental build gives exactly the marts a full build of the same lake gives.

A synthetic corpus is refreshed once (full build), then changed step by step: add a document,
change one, remove one, rename one. Each refresh must build incrementally (``ops.build_delta``
says so and names the documents) and its marts (every table, column and row) must equal those of
a from-scratch build (`jixiao build`) of the same lake.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from jixiao.synth import generate_corpus
from jixiao.synth.writer import write_corpus
from tests.integration.refresh_support import marts_dump

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
N = 12  # one changed document of 12 (two delta rows: its old and new id) stays under 20 %


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([JIXIAO, *args], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental_build")
    pool = root / "pool"
    write_corpus(generate_corpus(N + 2, seed=20251201), pool)
    docs = root / "docs"
    docs.mkdir()
    names = sorted(p.name for p in pool.iterdir() if p.name != "truth.json")
    for name in names[:N]:
        shutil.copy(pool / name, docs / name)
    warehouse = root / "out" / "jixiao.duckdb"
    proc = _run("refresh", "--documents", str(docs), "--warehouse", str(warehouse))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, docs, warehouse, [pool / n for n in names[N:]]


def _query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _refresh_and_compare(root: Path, docs: Path, warehouse: Path, step: str) -> list[tuple]:
    proc = _run("refresh", "--documents", str(docs), "--warehouse", str(warehouse))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    modes = _query(warehouse, "select distinct build_mode from ops.build_delta")
    assert modes == [("incremental",)], f"{step}: {modes}"
    reference = root / f"ref_{step}" / "jixiao.duckdb"
    built = _run("build", "--warehouse", str(reference), "--lake", str(warehouse.parent / "lake"))
    assert built.returncode == 0, built.stdout + built.stderr
    incremental, full = marts_dump(warehouse), marts_dump(reference.with_name(reference.name + ".next"))
    assert incremental.keys() == full.keys() and len(full) > 10
    for table in full:
        assert incremental[table] == full[table], f"{step}: marts.{table} differs from a full build"
    return _query(warehouse, "select change, count(*) from ops.build_delta group by all order by 1")


def test_add_change_remove_rename_match_a_full_build(site):
    root, docs, warehouse, spare = site
    first = sorted(p for p in docs.iterdir())

    shutil.copy(spare[0], docs / spare[0].name)
    assert _refresh_and_compare(root, docs, warehouse, "add") == [("added", 1)]

    (docs / first[0].name).write_bytes(spare[1].read_bytes())  # same name, other content
    assert _refresh_and_compare(root, docs, warehouse, "change") == [("added", 1), ("removed", 1)]

    (docs / first[1].name).unlink()
    assert _refresh_and_compare(root, docs, warehouse, "remove") == [("removed", 1)]

    (docs / first[2].name).rename(docs / ("renamed_" + first[2].name))
    assert _refresh_and_compare(root, docs, warehouse, "rename") == [("changed", 1)]

    # a re-publication with one space more: its goals pair with the original's (similarity 1) in
    # the patched pair model, and the marts (which keep counted copies only) still equal a full build
    source = sorted(docs.iterdir())[3]
    text = source.read_text(encoding="utf-8").replace("年度", "年度 ", 1)
    (docs / ("again_" + source.name)).write_text(text, encoding="utf-8")
    assert _refresh_and_compare(root, docs, warehouse, "copy") == [("added", 1)]
    added = _query(warehouse, "select document_id from ops.build_delta")[0][0]
    pairs = _query(
        warehouse, "select project_id_a, project_id_b, similarity from intermediate.int_boilerplate_pairs"
    )
    assert any(added in a + b and similarity == 1 for a, b, similarity in pairs), pairs
