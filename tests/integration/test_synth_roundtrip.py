"""Generate -> `jixiao refresh` -> the marts hold exactly the generator's truth.

Expected values come from the generator's spec (``truth.json``), never from the parser.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from jixiao.synth import FUNDING_KEYS, generate_corpus
from jixiao.synth.writer import read_truth, write_corpus

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
MEANING = (
    "comparator",
    "value_low",
    "value_high",
    "unit",
    "value_kind",
    "value_yuan",
    "target_date",
    "is_quantified",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth_roundtrip")
    docs = root / "docs"
    write_corpus(generate_corpus(6, seed=20250101), docs)
    (docs / "truth.json").rename(root / "truth.json")  # the refresh reads only the documents
    warehouse = root / "out" / "jixiao.duckdb"
    proc = subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc, warehouse, read_truth(root)


def _rows(warehouse: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_refresh_publishes(site):
    proc, _, truth = site
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {t["layout"] for t in truth} == {"county", "provincial"}
    kinds = {i["meaning"]["value_kind"] for t in truth for p in t["projects"] for i in p["indicators"]}
    assert kinds >= {"money", "percent", "count", "date", "text", "not_applicable"}


def test_documents(site):
    _, warehouse, truth = site
    got = {r["source_file"]: r for r in _rows(warehouse, "select * from marts.dim_document")}
    assert sorted(got) == sorted(t["source_file"] for t in truth)
    for t in truth:
        row = got[t["source_file"]]
        published = date.fromisoformat(t["published_on"]) if t["published_on"] else None
        assert (
            row["publisher"],
            row["region_name"],
            row["admin_level"],
            row["fiscal_year"],
            row["published_on"],
        ) == (t["publisher"], t["region_name"], t["admin_level"], t["fiscal_year"], published), t[
            "source_file"
        ]
        assert row["project_count"] == len(t["projects"])
        assert (row["division_code"], row["publisher_unit"]) == (t["division_code"], t["publisher_unit"])


def _projects(warehouse: Path) -> dict[tuple[str, int], dict]:
    rows = _rows(
        warehouse, "select * from marts.dim_project join marts.fct_project_funding using (project_id)"
    )
    return {(r["source_file"], r["project_seq"]): r for r in rows}


def test_projects_and_money_to_the_cent(site):
    _, warehouse, truth = site
    got = _projects(warehouse)
    want = {(t["source_file"], p["project_seq"]): p for t in truth for p in t["projects"]}
    assert sorted(got) == sorted(want)
    fields = (
        "project_name",
        "department_name",
        "department_code",
        "implementing_unit",
        "project_attribute_code",
        "project_attribute",
        "project_period_raw",
        "annual_goal",
        "source_line",
        "page_count",
    )
    for key, p in want.items():
        row = {**got[key], "implementing_unit": got[key]["implementing_unit_printed"]}  # as printed
        assert {f: row[f] for f in fields} == {f: p[f] for f in fields}, key
        assert list(row["page_lines"]) == p["page_lines"], key
        for k in FUNDING_KEYS:
            assert row[f"{k}_yuan"] == _dec(p["funding_yuan"][f"{k}_yuan"]), (key, k)


def test_indicators_as_printed_with_meaning(site):
    _, warehouse, truth = site
    rows = _rows(
        warehouse,
        """
        select i.*, p.project_seq from marts.fct_indicator_target i join marts.dim_project p using (project_id)""",
    )
    got = {(r["source_file"], r["project_seq"], r["indicator_seq"]): r for r in rows}
    want = {
        (t["source_file"], p["project_seq"], i["indicator_seq"]): i
        for t in truth
        for p in t["projects"]
        for i in p["indicators"]
    }
    assert sorted(got) == sorted(want)
    printed = (
        "source_line",
        "level1",
        "level2",
        "level1_printed",
        "level2_printed",
        "indicator_name",
        "target_text",
    )
    for key, ind in want.items():
        row = got[key]
        assert {f: row[f] for f in printed} == {f: ind[f] for f in printed}, key
        expected = _meaning(ind["meaning"])
        assert {f: row[f] for f in MEANING} == expected, (key, ind["target_text"])


def _meaning(m: dict) -> dict:
    out = {f: m.get(f) for f in MEANING}
    for f in ("value_low", "value_high", "value_yuan"):
        out[f] = _dec(out[f])
    if out["target_date"]:
        out["target_date"] = date.fromisoformat(out["target_date"])
    return out
