"""The README's quickstart queries print what the README says, on the bundled documents."""

from __future__ import annotations

import re

import pytest

import jixiao
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
SECTION = re.compile(r"^## Quickstart.*?(?=^## )", re.S | re.M)
PAIR = re.compile(r"```sql\n(.*?)\n```\s*```text\n(.*?)\n```", re.S)


def _pairs() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = SECTION.search(readme)
    assert section, "README has no Quickstart section"
    return PAIR.findall(section.group(0))


def test_there_are_five_questions():
    assert len(_pairs()) == 5


@pytest.mark.parametrize("n", range(5), ids=[f"q{n + 1}" for n in range(5)])
def test_query_prints_what_the_readme_says(bundled_warehouse, n):
    query, printed = _pairs()[n]
    con = jixiao.connect(bundled_warehouse)
    try:
        assert str(con.sql(query)).strip() == printed.strip()
    finally:
        con.close()
