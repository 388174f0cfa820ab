"""The parser's text caches (ingest.memo): same answers as the uncached functions, bounded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest import memo
from ingest.cells import fold, label_key, split_cells
from ingest.numbers import read_number
from ingest.values import lex_target

# Texts like the ones printed in target cells and grid lines: signs, digits, units, TABs, tags.
_ALPHABET = st.sampled_from(
    list("0123456789.,%‰≥≤<>=~-－ 　\t万千亿元个人次年月日底前以上以下每家《》<b>/NaNe")
)
texts = st.text(_ALPHABET, max_size=40)


def test_a_short_text_is_computed_once_and_a_long_one_every_time():
    calls: list[str] = []

    @memo.text_cache(size=4)
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    long_text = "x" * (memo.MAX_CHARS + 1)
    got = [shout("ab"), shout("ab"), shout(long_text), shout(long_text)]
    assert got == ["AB", "AB", long_text.upper(), long_text.upper()]
    assert calls == ["ab", long_text, long_text]
    assert shout.cache_info().currsize == 1


def test_the_cache_holds_at_most_its_size():
    @memo.text_cache(size=3)
    def same(text: str) -> str:
        return text

    for i in range(10):
        same(str(i))
    assert same.cache_info().currsize == 3


@given(texts, st.one_of(st.none(), st.integers(2000, 2030)))
def test_lex_target_cached_equals_uncached(text, year):
    first = lex_target(text, default_year=year)
    assert lex_target(text, default_year=year) == first == lex_target.__wrapped__(text, default_year=year)


@given(texts)
def test_text_functions_cached_equal_uncached(text):
    assert fold(text) == fold.__wrapped__(text)
    assert label_key(text) == label_key.__wrapped__(text)
    assert read_number(text) == read_number.__wrapped__(text)


@given(st.lists(texts, max_size=6).map("\t".join))
def test_split_cells_gives_each_caller_its_own_list(line):
    cells = split_cells(line)
    cells.append(None)  # a caller changing its list changes no other caller's
    assert split_cells(line) == cells[:-1]
