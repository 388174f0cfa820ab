"""``jixiao export`` on the bundled documents: the xlsx opens in LibreOffice with its Chinese
headers intact, money stays numeric, lists are text, CSV carries a BOM, parquet keeps types."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
# every sheet, UTF-8 (76), comma separated (44), quoted with " (34), first line 1
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _export(warehouse: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [JIXIAO, "export", "--warehouse", str(warehouse), "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def workbook(bundled_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    done = _export(bundled_warehouse, out)
    assert done.returncode == 0, done.stderr
    path = out / "jixiao_marts.xlsx"
    assert done.stdout.strip() == str(path)
    return path


def test_xlsx_headers_freeze_and_types(workbook):
    wb = openpyxl.load_workbook(workbook)
    assert "fct_project_funding" in wb.sheetnames and "说明 legend" in wb.sheetnames
    ws = wb["fct_project_funding"]
    assert ws.freeze_panes == "A3"
    zh = [c.value for c in ws[1]]
    en = [c.value for c in ws[2]]
    assert zh[en.index("annual_total_yuan")] == "年度资金总额（元）"
    assert zh[en.index("project_id")] == "项目标识"
    money = ws.cell(row=3, column=en.index("annual_total_yuan") + 1)
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    ind = wb["fct_indicator_target"]
    names = [c.value for c in ind[2]]
    assert "parse_flags" in names and "parse_flags_text" not in names


def test_list_columns_are_text(workbook):
    ws = openpyxl.load_workbook(workbook)["mart_project_scorecard"]
    names = [c.value for c in ws[2]]
    col = names.index("missing_level2_categories") + 1
    values = [ws.cell(row=r, column=col).value for r in range(3, ws.max_row + 1)]
    listed = [v for v in values if v]
    assert listed, "the bundled documents have projects missing a mandatory category"
    assert all(isinstance(v, str) and "[" not in v and "'" not in v for v in listed)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (make sysdeps) not installed")
def test_libreoffice_reads_the_chinese_headers(workbook, tmp_path):
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            ALL_SHEETS_CSV,
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    funding = tmp_path / "jixiao_marts-fct_project_funding.csv"
    with funding.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["项目标识", "项目总额（元）", "年度资金总额（元）"]
    assert rows[1][:3] == ["project_id", "project_total_yuan", "annual_total_yuan"]
    totals = {r[0]: r[2] for r in rows[2:]}
    assert len(totals) == 33
    legend = (tmp_path / "jixiao_marts-说明 legend.csv").read_text(encoding="utf-8")
    assert "年度资金总额（元）" in legend and "Annual" in legend


def test_csv_has_a_bom_and_text_lists(bundled_warehouse, tmp_path):
    done = _export(
        bundled_warehouse, tmp_path, "--format", "csv", "--tables", "mart_project_scorecard", "dim_document"
    )
    assert done.returncode == 0, done.stderr
    raw = (tmp_path / "mart_project_scorecard.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "mart_project_scorecard.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 33
    assert any("、" in r["missing_level2_categories"] or r["missing_level2_categories"] for r in rows)
    assert not any(r["missing_level2_categories"].startswith("[") for r in rows)
    docs = list(csv.DictReader((tmp_path / "dim_document.csv").open(encoding="utf-8-sig", newline="")))
    assert {d["publisher"] for d in docs} == {"平罗县应急管理局", "宁夏回族自治区应急管理厅"}
    assert (tmp_path / "_legend.csv").exists()


def test_parquet_keeps_types_and_descriptions(bundled_warehouse, tmp_path):
    done = _export(bundled_warehouse, tmp_path, "--format", "parquet", "--tables", "fct_project_funding")
    assert done.returncode == 0, done.stderr
    table = pq.read_table(tmp_path / "fct_project_funding.parquet")
    assert table.num_rows == 33
    field = table.schema.field("annual_total_yuan")
    assert str(field.type).startswith("decimal")
    assert "年度资金总额" in field.metadata[b"description"].decode()


def test_unknown_table_is_a_usage_error(bundled_warehouse, tmp_path):
    done = _export(bundled_warehouse, tmp_path, "--tables", "fct_nope")
    assert done.returncode == 2
    assert "no such table in schema marts: fct_nope" in done.stderr
    assert not any(tmp_path.iterdir())
