"""Shared fixtures: the bundled documents and their hand-written golden rows."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "documents"
GOLDEN = Path(__file__).resolve().parent / "golden" / "data"
SAMPLES = {"pingluo": "pingluo_emergency_2025.txt", "ningxia": "ningxia_emergency_2025.txt"}

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def golden_projects(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}_projects.json").read_text(encoding="utf-8"))


def golden_indicators(name: str) -> list[dict]:
    with (GOLDEN / f"{name}_indicators.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        for k in ("project_seq", "indicator_seq", "source_line"):
            r[k] = int(r[k])
    return rows


def sample_text(name: str) -> str:
    return (DOCUMENTS / SAMPLES[name]).read_text(encoding="utf-8")


@pytest.fixture(params=sorted(SAMPLES))
def sample(request) -> str:
    return request.param
