"""raw_funding_cells for both samples: one row per printed funding cell (expected rows by hand).

``data/<sample>_funding_cells.tsv`` was written from the golden project data
(``funding_printed``, itself read off the documents) and the document line on which each
label is printed; every printed value of the samples is a plain number in 万元 with no unit in
the cell, so ``amount`` is the printed number and ``unit_printed`` is empty; a label printed
with an empty value (pingluo's 其他资金) is ``blank``.
"""

from __future__ import annotations

import csv
from decimal import Decimal

from ingest.parse import parse_document
from ingest.records import to_records
from tests.conftest import GOLDEN, SAMPLES, sample_text


def _golden(name: str) -> list[dict]:
    with (GOLDEN / f"{name}_funding_cells.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        {
            "project_seq": int(r["project_seq"]),
            "field": r["field"],
            "printed": r["printed"],
            "amount": Decimal(r["amount"]) if r["amount"] else None,
            "unit_printed": r["unit_printed"] or None,
            "problem": r["problem"] or None,
            "source_line": int(r["source_line"]),
        }
        for r in rows
    ]


def _records(name: str) -> dict[str, list[dict]]:
    parsed = parse_document(sample_text(name), SAMPLES[name], document_id=name)
    return to_records(parsed, sha256="", byte_size=0, encoding="utf-8")


def test_every_funding_cell(sample):
    got = [{k: r[k] for k in _golden(sample)[0]} for r in _records(sample)["raw_funding_cells"]]
    assert got == _golden(sample)


def test_row_counts():
    # pingluo: 8 projects x 3 cells; ningxia: 25 projects x 9 cells
    assert len(_records("pingluo")["raw_funding_cells"]) == 24
    assert len(_records("ningxia")["raw_funding_cells"]) == 225


def test_the_long_table_matches_raw_projects(sample):
    records = _records(sample)
    wide = {
        (p["project_seq"], k[: -len("_printed")]): (p[k], p[k[: -len("_printed")] + "_line"])
        for p in records["raw_projects"]
        for k in p
        if k.endswith("_printed") and p[k] is not None and p.get(k[: -len("_printed")] + "_line") is not None
    }
    long = {
        (r["project_seq"], r["field"]): (r["printed"], r["source_line"]) for r in records["raw_funding_cells"]
    }
    assert long == wide
    assert all(
        r["document_id"] == sample and r["source_file"] == SAMPLES[sample]
        for r in records["raw_funding_cells"]
    )
