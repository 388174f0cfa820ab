"""Both samples as an Excel 97-2003 workbook (.xls, saved by LibreOffice headless from the
xlsx rendering with its merged cells) give the text's contract rows, read with xlrd."""

from __future__ import annotations

import shutil

import pytest

from ingest.containers import read_container
from ingest.parse import parse_document
from tests.conftest import SAMPLES, sample_text
from tests.container_files import to_xls, to_xlsx
from tests.golden.test_golden_containers import contract

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice needed"
    ),
]


def test_xls_gives_the_texts_contract_rows(sample, tmp_path):
    xls = to_xls(to_xlsx(sample_text(sample), tmp_path / f"{sample}.xlsx"), tmp_path)
    data = xls.read_bytes()
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE compound file, not a renamed xlsx
    contained = read_container(data)
    assert contained.container == "xls"
    parsed = parse_document(contained.parse_input, SAMPLES[sample], sample)
    want = parse_document(sample_text(sample), SAMPLES[sample], sample)
    assert [contract(p) for p in parsed.projects] == [contract(p) for p in want.projects]
    assert [contract(i) for i in parsed.indicators] == [contract(i) for i in want.indicators]
    # every row points back at its sheet and cell
    assert all(i.source_sheet and i.source_cell for i in parsed.indicators)
