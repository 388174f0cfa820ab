"""Memoising the parser's pure text functions, with a bounded memory (pure).

Budget tables print the same few thousand texts over and over (``100%``, ``≥95%``, ``数量指标``,
whole grid lines), in every project and every document a worker parses, so the text → value
functions of the parser (folding, label keys, lexing a target, reading a number, splitting a
line into cells) are cached. Only results that cannot be changed are cached (strings, tuples,
frozen dataclasses), so a cached value is safe to share between callers. Texts longer than
``MAX_CHARS`` are computed each time: a cache holds at most ``size`` entries of at most
``MAX_CHARS`` characters, whatever documents come.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

SIZE = 1 << 15  # entries per cache
MAX_CHARS = 512  # longer texts (a 年度总体目标, an over-long line) are not kept

R = TypeVar("R")


def text_cache(size: int = SIZE) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache a pure function whose first argument is a text (``str`` or None)."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize=size)(fn)

        @wraps(fn)
        def call(text, *args, **kwargs):
            if text is not None and len(text) > MAX_CHARS:
                return fn(text, *args, **kwargs)
            return cached(text, *args, **kwargs)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return decorate
