"""One documents folder holding every container: each lands in the same raw tables."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.writer import document_rows
from jixiao.landing import ingest_folder
from tests.conftest import golden_indicators, golden_projects, sample_text
from tests.container_files import to_html, to_markdown, to_xlsx


def _rows(lake, document_id: str, table: str) -> list[dict]:
    rows = document_rows(lake, table, document_id).to_pylist()
    drop = {
        "document_id",
        "source_file",
        "source_line",
        "header_line",
        "end_line",
        "page_lines",
        "line_printed",
        "source_page",
        "source_sheet",
        "source_cell",
    }
    drop |= {k for k in (rows[0] if rows else {}) if k.endswith("_line")}
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


def test_a_mixed_folder_lands_every_format_with_the_texts_rows(tmp_path):
    from PIL import Image

    docs, lake = tmp_path / "docs", tmp_path / "lake"
    docs.mkdir()
    pingluo, ningxia = sample_text("pingluo"), sample_text("ningxia")
    (docs / "pingluo.txt").write_text(pingluo, encoding="utf-8")
    (docs / "ningxia.txt").write_text(ningxia, encoding="utf-8")
    (docs / "pingluo.md").write_text(to_markdown(pingluo), encoding="utf-8")
    (docs / "pingluo.html").write_text(to_html(pingluo), encoding="utf-8")
    to_xlsx(ningxia, docs / "ningxia.xlsx", sheet_per_table=True)
    (docs / "ningxia_export.txt").write_bytes((docs / "ningxia.xlsx").read_bytes())  # the content decides
    scan = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(scan, format="PDF")
    (docs / "scan.pdf").write_bytes(scan.getvalue())

    report = ingest_folder(docs, lake)
    status = {o.source_file: (o.status, o.reason_code) for o in report.outcomes}
    assert status["scan.pdf"] == ("quarantined", "pdf_no_text_layer")
    assert "OCR" in next(o.reason for o in report.outcomes if o.source_file == "scan.pdf")
    ids = {o.source_file: o.document_id for o in report.outcomes}
    for copy, original in (
        ("pingluo.md", "pingluo.txt"),
        ("pingluo.html", "pingluo.txt"),
        ("ningxia.xlsx", "ningxia.txt"),
    ):
        assert status[copy][0] == status[original][0] == "loaded", (copy, status)
        for table in ("raw_projects", "raw_indicators", "raw_funding_cells"):
            assert _rows(lake, ids[copy], table) == _rows(lake, ids[original], table), (copy, table)
    xlsx = document_rows(lake, "raw_indicators", ids["ningxia.xlsx"]).to_pylist()
    assert all(r["source_sheet"].startswith("部门项目支出绩效目标05-") and r["source_cell"] for r in xlsx)
    text = document_rows(lake, "raw_indicators", ids["ningxia.txt"]).to_pylist()
    assert all(r["source_sheet"] is None and r["source_cell"] is None for r in text)
    # the same bytes under two names: one document, loaded once
    assert status["ningxia_export.txt"][0] == "duplicate"


@pytest.mark.slow
def test_refresh_of_markdown_and_excel_publishes_the_samples_rows(tmp_path):
    """A whole refresh (ingest, dbt, gate, publish) of the samples as markdown and xlsx only."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pingluo.md").write_text(to_markdown(sample_text("pingluo"), html_tables=True), encoding="utf-8")
    to_xlsx(sample_text("ningxia"), docs / "ningxia.xlsx", sheet_per_table=True)
    warehouse = tmp_path / "out" / "jixiao.duckdb"
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    proc = subprocess.run(
        [jixiao, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = dict(
            con.sql("select source_file, count(*) from marts.fct_indicator_target group by 1").fetchall()
        )
        projects = dict(
            con.sql(
                "select d.source_file, count(*) from marts.dim_project p join marts.dim_document d "
                "using (document_id) group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    # read off the documents: pingluo prints 8 projects / 77 indicator rows, ningxia 25 / 447
    # (continuation pages merged), as tests/golden/data records them
    assert counts == {
        "pingluo.md": len(golden_indicators("pingluo")),
        "ningxia.xlsx": len(golden_indicators("ningxia")),
    }
    assert projects == {
        "pingluo.md": len(golden_projects("pingluo")["projects"]),
        "ningxia.xlsx": len(golden_projects("ningxia")["projects"]),
    }
