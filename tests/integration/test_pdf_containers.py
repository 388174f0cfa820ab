"""PDF test files made with LibreOffice headless from the samples' xlsx rendering (CJK font).

Both samples' indicator rows equal the text's, though LibreOffice draws no lines for the part
of a merged cell cut by a page break (its text is printed loose beside the continued table,
often on both pages) and wraps ``1名专家经费补助标准 3000元/人`` after the space. A table drawn
without lines is refused, never read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.containers import ContainerError, read_container
from ingest.parse import parse_document
from tests.conftest import SAMPLES, sample_text
from tests.container_files import to_pdf, to_xlsx

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice needed"
    ),
]


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    return {name: to_pdf(to_xlsx(sample_text(name), out / f"{name}.xlsx"), out) for name in SAMPLES}


def _both(name: str, pdfs):
    text = parse_document(sample_text(name), SAMPLES[name], name)
    contained = read_container(pdfs[name].read_bytes())
    assert contained.container == "pdf"
    return text, contained, parse_document(contained.parse_input, SAMPLES[name], name)


def test_pdf_projects_and_headers_match_the_text(sample, sample_pdfs):
    text, contained, pdf = _both(sample, sample_pdfs)
    assert [p.project_name for p in pdf.projects] == [p.project_name for p in text.projects]
    for field in ("department_printed", "implementing_unit", "attribute_printed", "funding_printed"):
        assert [getattr(p, field) for p in pdf.projects] == [getattr(p, field) for p in text.projects]
    assert pdf.document.fiscal_year == text.document.fiscal_year
    assert all(line.page for line in contained.lines)
    assert max(line.page for line in contained.lines) > 1
    # a table continued with its merged first column cut is said, at its line: never silently
    shifted = [w for w in contained.warnings if w.code == "pdf_table_continued_shifted"]
    assert shifted and all(w.line in {line.number for line in contained.lines} for w in shifted)


def test_pdf_indicator_rows_match_the_text(sample, sample_pdfs):
    text, contained, pdf = _both(sample, sample_pdfs)
    key = [(i.level1, i.level2, i.indicator_name, i.target_text) for i in text.indicators]
    assert [(i.level1, i.level2, i.indicator_name, i.target_text) for i in pdf.indicators] == key
    # every cut merged cell's loose text went back into its cell: none is left a line of its own
    labels = {i.level1 for i in text.indicators} | {i.level2 for i in text.indicators} | {"绩效指标"}
    assert not [line.raw for line in contained.lines if len(line.cells) == 1 and line.raw in labels]
    assert not [w for w in contained.warnings if w.code == "pdf_merged_cell_cut"]


def test_a_table_drawn_without_lines_is_refused(tmp_path):
    pdf = to_pdf(to_xlsx(sample_text("pingluo"), tmp_path / "unruled.xlsx", borders=False), tmp_path)
    with pytest.raises(ContainerError) as err:
        read_container(pdf.read_bytes())
    assert err.value.code == "pdf_table_unruled"
