"""The Data Docs and the dbt docs beside a refreshed warehouse work offline, agree with the
gate, and link each other; ``jixiao docs`` rebuilds the dbt docs of the served warehouse."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
ASSET = re.compile(r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=[\"']([^\"']+)[\"']", re.I)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_asset_is_loaded_from_the_internet(bundled_warehouse):
    site = bundled_warehouse.parent / "data_docs"
    pages = _pages(site)
    assert len(pages) > 5
    for page in pages:
        for ref in ASSET.findall(page.read_text(encoding="utf-8")):
            assert not ref.startswith(("http://", "https://", "//")), f"{page.relative_to(site)}: {ref}"
            if not ref.startswith(("data:", "#")):
                assert (page.parent / ref.split("?")[0]).resolve().is_file(), (
                    f"{page.relative_to(site)}: {ref}"
                )


def test_suite_statuses_agree_with_the_gate(bundled_warehouse):
    site = bundled_warehouse.parent / "data_docs"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "绩效数据质量关卡：通过 · Jixiao quality gate passed" in index  # the bundled documents pass
    statuses = [
        re.search(r"Status:</span>\s*<i[^>]*></i>\s*([^<]+)", p.read_text(encoding="utf-8"))
        for p in site.glob("validations/*/*/*/*.html")
    ]
    said = {m.group(1).strip() for m in statuses if m}
    assert said, "no validation page carries a status"
    assert not any(s == "Failed" or s.startswith("未通过") for s in said), said
    assert "Passed the gate" in " ".join(said)  # warnings fired, and the pages say they never block
    assert "'_validation_success_text': 'Failed'" not in index


def test_the_summary_links_the_dbt_docs(bundled_warehouse):
    site = bundled_warehouse.parent / "data_docs"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../dbt_docs/index.html"' in index
    dbt_page = (site / "../dbt_docs/index.html").resolve()
    text = dbt_page.read_text(encoding="utf-8")
    assert "int_indicator_direction" in text  # lineage: every model is in the manifest
    assert (
        json.dumps("目标值：指标承诺的那个数")[1:-1] in text
    )  # a column's bilingual description (JSON in the page)
    assert not [r for r in ASSET.findall(text) if r.startswith(("http://", "https://", "//"))]


def test_jixiao_docs_rebuilds_them(bundled_warehouse):
    page = bundled_warehouse.parent / "dbt_docs" / "index.html"
    before = page.stat().st_mtime_ns
    done = subprocess.run(
        [JIXIAO, "docs", "--warehouse", str(bundled_warehouse)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert page.as_uri() in done.stdout and "data_docs/index.html" in done.stdout
    assert page.stat().st_mtime_ns > before
    assert not list(bundled_warehouse.parent.glob(".*.work/dbt_docs_source.duckdb*"))


def test_jixiao_docs_without_a_warehouse(tmp_path):
    done = subprocess.run(
        [JIXIAO, "docs", "--warehouse", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "run `jixiao refresh` first" in done.stderr
