"""Every 0x_ notebook runs top to bottom against a freshly refreshed warehouse: no error, no
empty result where one is not expected, and its charts render (with a CJK font)."""

from __future__ import annotations

import pytest

from jixiao import notebooks

pytestmark = pytest.mark.slow
NOTEBOOKS = notebooks.notebooks()


def test_there_are_the_four_analyses():
    assert len(NOTEBOOKS) >= 4 and all(p.name[0] == "0" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, bundled_warehouse):
    nb = notebooks.execute(path, bundled_warehouse)
    assert notebooks.problems(nb) == []
    assert notebooks.images(nb) >= 1


def test_committed_outputs_hold_the_charts():
    for path in NOTEBOOKS:
        import nbformat

        nb = nbformat.read(path, as_version=4)
        assert notebooks.images(nb) >= 1, f"{path.name}: run `make notebooks` and commit the outputs"
        assert notebooks.problems(nb) == [], path.name


def test_charts_find_a_cjk_font():
    from jixiao import charts

    assert charts.setup() in charts.CJK_FAMILIES
