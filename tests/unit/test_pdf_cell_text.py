"""``cell_text``: a PDF cell's printed lines joined with the whitespace the text layer holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.containers.grid import SpanCell
from ingest.containers.pdf import _place_orphans, _Run, _State, blocks, cell_text


def _line(text: str, top: float, x0: float = 153.4, width: float = 9.7) -> list[dict]:
    """Characters laid left to right as LibreOffice prints them (a space is a narrow glyph)."""
    out, x = [], x0
    for ch in text:
        w = 2.1 if ch == " " else width
        out.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + 9.7})
        x += w
    return out


def test_a_wrap_at_a_space_keeps_the_space():
    # pingluo page 1: "1名专家经费补助标准 " ends a line (its space glyph is printed), "3000元/人" starts the next
    chars = _line("1名专家经费补助标准 ", 423.6) + _line("3000元/人", 437.7)
    assert cell_text(chars) == "1名专家经费补助标准 3000元/人"


def test_a_wrap_inside_a_word_joins_with_nothing():
    assert (
        cell_text(_line("平罗县应急管理局--", 279.2) + _line("032001", 291.0)) == "平罗县应急管理局--032001"
    )
    assert cell_text(_line("2746", 10) + _line("元", 24)) == "2746元"


def test_characters_are_read_top_to_bottom_left_to_right_whatever_their_order():
    chars = _line("强化执法保障", 73.3) + _line("建设", 87.4)
    assert cell_text(list(reversed(chars))) == "强化执法保障建设"


def test_a_gap_without_a_space_glyph_is_a_space():
    chars = _line("2025", 10) + _line("年底", 10, x0=153.4 + 4 * 9.7 + 5)
    assert cell_text(chars) == "2025 年底"


_TEXT = st.text(alphabet="应急管理局0123456789元AP-/", min_size=1, max_size=12)


@given(st.lists(st.tuples(_TEXT, st.booleans()), min_size=1, max_size=5))
def test_lines_join_with_exactly_the_printed_spaces(parts):
    chars, expected = [], ""
    for k, (text, space) in enumerate(parts):
        printed = text + (" " if space else "")
        chars += _line(printed, 100 + 14 * k)
        expected += printed
    assert cell_text(chars) == expected


def test_blocks_split_where_the_printed_lines_stop_following_each_other():
    cell = _line("绩效指标", 533.9)
    title = _line("部门项目支出预算绩效目标表", 560.0)
    wrapped = _line("强化执法保障", 73.3) + _line("建设", 87.4)  # a cell's two lines, 4.4 pt apart
    assert [cell_text(b) for b in blocks(cell + title)] == ["绩效指标", "部门项目支出预算绩效目标表"]
    assert [cell_text(b) for b in blocks(wrapped)] == ["强化执法保障建设"]


def _cut_run(holder_text: str) -> tuple[_Run, _State]:
    """A merged cell of column 0 with no lines drawn, rows 100-200, reaching the table's bottom."""
    run = _Run(SpanCell(holder_text), 100.0, 200.0, open_top=False, open_bottom=True)
    return run, _State(edges=[54.0, 152.5, 251.1])


def test_a_cut_cells_loose_text_goes_to_its_top_cell_when_it_is_empty():
    run, state = _cut_run("")
    chars = _line("产出指标", 150, x0=55)
    placed, notes = _place_orphans(chars, [(None, {0: [run]})], state)
    assert run.holder.text == "产出指标" and placed == {id(c) for c in chars} and not notes


def test_a_repeat_of_the_cells_text_is_dropped_and_a_different_text_is_kept_and_said():
    run, state = _cut_run("产出指标")
    again = _line("产出指标", 205, x0=55)  # printed again just below the table
    placed, notes = _place_orphans(again, [(None, {0: [run]})], state)
    assert placed == {id(c) for c in again} and not notes and run.holder.text == "产出指标"
    other = _line("效益指标", 150, x0=55)  # inside the run: not the cell's text
    placed, notes = _place_orphans(other, [(None, {0: [run]})], state)
    assert not placed and [code for code, _ in notes] == ["pdf_merged_cell_cut"]
    assert run.holder.text == "产出指标"  # never merged into the cell
