"""Each sample rendered as markdown, HTML and Excel gives the contract rows the TAB text gives.

The test files are made here from the two sample documents (``tests/container_files.py``:
pipe markdown with bold labels, ``<br>`` and page-break comments; markdown with HTML tables
using rowspan/colspan; an HTML document; xlsx with merged cells written by openpyxl, one
sheet for the whole document or one sheet per table). The rows are compared with the
hand-written golden rows (minus the line, which is each file's own) and with the text's rows
field by field, provenance aside.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest.containers import read_container
from ingest.parse import parse_document
from tests.conftest import SAMPLES, golden_indicators, sample_text
from tests.container_files import to_html, to_markdown, to_xlsx

# Where a row was printed: each file's own (line numbers, the audit copy of the line).
PROVENANCE = {
    "source_line",
    "header_line",
    "end_line",
    "page_lines",
    "funding_lines",
    "line_printed",
    "line_count",
    "published_on_line",
    "fiscal_year_line",
    "source_file",
    "source_page",
    "source_sheet",
    "source_cell",
}
FORMATS = ("markdown_pipe", "markdown_html", "html", "xlsx_one_sheet", "xlsx_sheet_per_table")


def render(fmt: str, text: str, tmp: Path) -> bytes:
    if fmt == "markdown_pipe":
        return to_markdown(text).encode("utf-8")
    if fmt == "markdown_html":
        return to_markdown(text, html_tables=True).encode("utf-8")
    if fmt == "html":
        return to_html(text).encode("utf-8")
    return to_xlsx(text, tmp / "doc.xlsx", sheet_per_table=fmt == "xlsx_sheet_per_table").read_bytes()


def contract(row) -> dict:
    return {k: v for k, v in dataclasses.asdict(row).items() if k not in PROVENANCE}


@pytest.fixture(scope="module")
def text_rows():
    return {name: parse_document(sample_text(name), SAMPLES[name], name) for name in SAMPLES}


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_gives_the_texts_contract_rows(fmt, sample, text_rows, tmp_path):
    contained = read_container(render(fmt, sample_text(sample), tmp_path))
    assert contained.container == fmt.split("_")[0].replace("markdown", "markdown")
    parsed = parse_document(contained.parse_input, SAMPLES[sample], sample)
    want = text_rows[sample]
    assert contract(parsed.document) == contract(want.document)
    assert [contract(p) for p in parsed.projects] == [contract(p) for p in want.projects]
    assert [contract(i) for i in parsed.indicators] == [contract(i) for i in want.indicators]
    assert [i.code for i in parsed.issues] == [i.code for i in want.issues]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_matches_the_hand_written_golden_rows(fmt, sample, tmp_path):
    contained = read_container(render(fmt, sample_text(sample), tmp_path))
    parsed = parse_document(contained.parse_input, SAMPLES[sample], sample)
    fields = (
        "project_seq",
        "indicator_seq",
        "level1_printed",
        "level2_printed",
        "level1",
        "level2",
        "indicator_name",
        "target_text",
    )
    got = [{k: (getattr(i, k) or "") for k in fields} for i in parsed.indicators]
    assert got == [{k: r[k] for k in fields} for r in golden_indicators(sample)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_row_points_back_at_its_place_in_the_file(fmt, sample, tmp_path):
    data = render(fmt, sample_text(sample), tmp_path)
    contained = read_container(data)
    parsed = parse_document(contained.parse_input, SAMPLES[sample], sample)
    by_number = {line.number: line for line in contained.lines}
    for row in parsed.indicators:
        line = by_number[row.source_line]
        assert row.indicator_name in [c.text for c in line.cells]
        if fmt.startswith("xlsx"):
            assert line.sheet and line.ref  # the sheet and the row's first cell address
            assert (row.source_sheet, row.source_cell) == (line.sheet, line.ref)
        else:  # markdown / HTML: the file's own line holds the indicator's text
            printed = data.decode("utf-8").split("\n")[row.source_line - 1]
            assert row.indicator_name.replace("<", "&lt;")[:6] in printed.replace("**", "").replace(
                "<br>", ""
            )
