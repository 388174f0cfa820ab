"""Container readers: each quirk by hand, reader choice by content, PDF text-layer reasons."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.containers import ContainerError, read_container, sniff_text
from ingest.containers.excel import col_letter, read_xlsx, value_text
from ingest.containers.grid import SpanCell, place
from ingest.containers.markup import join_br, read_html, read_markdown, split_pipe_row
from ingest.containers.pdf import check_text_layer
from ingest.decode import DecodeError


def cells(lines):
    return [[(c.col, c.text) for c in line.cells] for line in lines if line.cells]


def test_pipe_table_merged_cells_bold_br_and_separator():
    md = "# 标题\n\n| **项目名称** | 应急<br>演练 |  |\n|---|---|---|\n|  | **其中: 财政拨款** | 36 |\n"
    lines = read_markdown(md)
    assert cells(lines) == [
        [(0, "标题")],
        [(0, "项目名称"), (1, "应急演练")],
        [(1, "其中: 财政拨款"), (2, "36")],
    ]
    assert [line.number for line in lines if line.cells] == [1, 3, 5]  # the separator line is skipped


def test_pipe_escaped_bar_and_stars_as_printed():
    assert split_pipe_row(r"| a \| b | c |") == [r"a \| b", "c"]
    lines = read_markdown("| 数量 | ***户、***间 |\n|---|---|\n| x \\| y | \\*\\* |\n")
    assert cells(lines) == [[(0, "数量"), (1, "***户、***间")], [(0, "x | y"), (1, "**")]]


def test_page_break_comments_set_the_page():
    md = "| a | b |\n|---|---|\n<!-- PageBreak -->\n| c | d |\n<!-- page 7 -->\n| e | f |\n"
    assert [line.page for line in read_markdown(md) if line.cells] == [1, 2, 7]


def test_br_joins_cjk_without_space_and_words_with_one():
    assert join_br(["平罗县应急管理局--", "032001"]) == "平罗县应急管理局--032001"
    assert join_br(["2746", "元"]) == "2746元"
    assert join_br(["Level", "one"]) == "Level one"


def test_html_rowspan_and_colspan_leave_covered_cells_empty():
    html = (
        '<table>\n<tr><td rowspan="2">产出指标</td><td>数量指标</td><td>次数</td></tr>\n'
        '<tr><td>质量指标</td><td>合格</td></tr>\n<tr><td colspan="2">年度目标</td><td>x</td></tr>\n</table>'
    )
    lines = read_html(html)
    assert cells(lines) == [
        [(0, "产出指标"), (1, "数量指标"), (2, "次数")],
        [(1, "质量指标"), (2, "合格")],
        [(0, "年度目标"), (2, "x")],
    ]
    assert lines[0].cells[0].span == (2, 1) and lines[2].cells[0].span == (1, 2)
    assert [line.number for line in lines] == [2, 3, 4]


def test_html_text_outside_tables_and_two_tables_do_not_share_spans():
    html = (
        "<html><head><title>t</title></head><body><h2>2025年预算绩效目标表</h2>\n"
        '<table><tr><td rowspan="5">a</td></tr></table>\n<table><tr><td>b</td><td>c</td></tr></table></body></html>'
    )
    assert cells(read_html(html)) == [[(0, "2025年预算绩效目标表")], [(0, "a")], [(0, "b"), (1, "c")]]


@given(
    st.lists(
        st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    )
)
def test_place_puts_every_anchor_once_and_covers_its_span(rows):
    spanned = [[SpanCell(f"{r}.{k}", rs, cs) for k, (rs, cs) in enumerate(row)] for r, row in enumerate(rows)]
    grid = place(spanned)
    anchors = [c for row in grid for c in row if c is not None]
    assert sorted(a.text for a in anchors) == sorted(c.text for row in spanned for c in row)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                for dc in range(1, cell.colspan):
                    assert grid[r][c + dc] is None


def test_xlsx_merged_cells_sheets_and_addresses():
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "部门项目支出绩效目标05-2"
    ws["B2"] = "绩效指标"
    ws.merge_cells("B2:B3")
    ws["C2"], ws["D2"] = "数量指标", 13.49
    ws["C3"], ws["D3"] = "质量指标", 36.0
    other = book.create_sheet("第二张表")
    other["A1"] = "项目名称"
    buf = io.BytesIO()
    book.save(buf)
    lines = read_xlsx(buf.getvalue())
    assert cells(lines) == [
        [(0, "绩效指标"), (1, "数量指标"), (2, "13.49")],
        [(1, "质量指标"), (2, "36")],
        [(0, "项目名称")],
    ]
    assert [(line.sheet, line.ref, line.number) for line in lines] == [
        ("部门项目支出绩效目标05-2", "B2", 1),
        ("部门项目支出绩效目标05-2", "C3", 2),
        ("第二张表", "A1", 3),
    ]
    assert lines[0].cells[0].span == (2, 1)


def test_value_text_keeps_numbers_as_printed():
    assert [value_text(v) for v in (13.49, 36.0, 0.1 + 0.2, 7, None, "12次")] == [
        "13.49",
        "36",
        "0.30000000000000004",
        "7",
        "",
        "12次",
    ]
    assert col_letter(1) == "A" and col_letter(28) == "AB"


def test_reader_chosen_by_content_not_name():
    assert sniff_text("a\tb\nc\td") == "text"
    assert sniff_text("| a | b |\n|---|---|\n| c | d |") == "markdown"
    assert sniff_text("text\n<table><tr><td>a</td></tr></table>") == "markdown"
    assert sniff_text("<!DOCTYPE html><html><table></table>") == "html"
    assert read_container("项目名称\t应急演练\n".encode()).container == "text"


def test_a_damaged_pdf_or_workbook_is_refused_with_a_reason():
    with pytest.raises(ContainerError) as err:
        read_container(b"%PDF-1.7\n garbage")
    assert err.value.code == "pdf_unreadable"
    with pytest.raises(DecodeError) as derr:  # a ZIP that is not a workbook: the decoder names it
        read_container(b"PK\x03\x04" + b"\x00" * 200)
    assert derr.value.code == "not_text"


def test_pdf_text_layer_problems():
    assert check_text_layer(["", " \n"], 0).code == "pdf_no_text_layer"
    assert "OCR" in check_text_layer([""], 0).message
    garbled = check_text_layer(["项目名称 (cid:1234)(cid:88)(cid:99)"], 3)
    assert garbled.code == "pdf_text_garbled" and "(cid:1234)" in garbled.message
    assert check_text_layer(["项目名称 \ue123\ue124 指标"], 3).code == "pdf_text_garbled"
    assert check_text_layer(["项目名称 应急演练"], 0).code == "pdf_table_unruled"
    assert check_text_layer(["项目名称 应急演练"], 1) is None


def test_a_scanned_pdf_says_ocr_is_needed():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buf, format="PDF")
    with pytest.raises(ContainerError) as err:
        read_container(buf.getvalue())
    assert err.value.code == "pdf_no_text_layer"


_CELL = st.text(alphabet=st.sampled_from("项目名称指标值数量12.5%≥ ab|*<&"), max_size=8).map(
    str.strip
)  # "<a>" is a tag everywhere


@given(st.lists(st.lists(_CELL, min_size=2, max_size=5), min_size=1, max_size=6))
def test_any_grid_comes_back_from_pipe_markdown_and_html(grid):
    from html import escape

    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    md = "\n".join(
        [
            "| " + " | ".join(c.replace("|", "\\|").replace("*", "\\*") for c in grid[0]) + " |",
            "|" + "---|" * width,
        ]
        + ["| " + " | ".join(c.replace("|", "\\|").replace("*", "\\*") for c in r) + " |" for r in grid[1:]]
    )
    html = "<table>\n" + "\n".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in grid
    )
    want = [[(k, c) for k, c in enumerate(r) if c] for r in grid]
    want = [r for r in want if r]
    assert cells(read_markdown(md)) == want
    assert cells(read_html(html + "\n</table>")) == want
