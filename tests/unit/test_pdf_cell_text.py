"""``cell_text``: a PDF cell's printed lines joined with the whitespace the text layer holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.containers.pdf import blocks, cell_text


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
