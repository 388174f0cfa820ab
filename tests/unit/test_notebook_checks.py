"""``jixiao.notebooks.problems``: errors and unexpected empty results fail a notebook."""

from __future__ import annotations

import nbformat

from jixiao.notebooks import MAY_BE_EMPTY, images, problems


def _nb(*outputs, tags=()):
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = list(outputs)
    cell.metadata["tags"] = list(tags)
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    return nb


def _result(text):
    return nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=1)


def test_an_error_is_a_problem():
    err = nbformat.v4.new_output("error", ename="CatalogException", evalue="no table fct_x", traceback=[])
    assert problems(_nb(err)) == ["cell 0: CatalogException: no table fct_x"]


def test_an_empty_frame_is_a_problem_unless_tagged():
    empty = _result("Empty DataFrame\nColumns: [a]\nIndex: []")
    assert problems(_nb(empty)) == ["cell 0: empty result"]
    assert problems(_nb(empty, tags=[MAY_BE_EMPTY])) == []
    assert problems(_nb(_result("   a\n0  1"))) == []


def test_images_are_counted():
    png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    assert images(_nb(png, _result("x"))) == 1
