"""Cells of an extracted line: tag stripping, splitting and label keys (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.memo import text_cache

_TAG = re.compile(r"</?\s*[a-zA-Z][a-zA-Z0-9]*\s*/?>")
_SPACE = re.compile(r"\s+")
_REQUIRED_SUFFIX = re.compile(r"\((?:必填|选填|非必填)[^()]*\)$")


@dataclass(frozen=True)
class Cell:
    """One non-empty cell of a line: its column index and its text as printed (tags removed).

    Container readers (``ingest.containers``) add where the cell was printed: ``ref``, the
    cell's address in its sheet (``B7``, Excel) and ``span``, the (rows, columns) a merged
    cell covers at its top-left cell (HTML ``rowspan``/``colspan``, Excel and PDF merges).
    A cell covered by a merge is an empty cell, as a TAB extraction prints it.
    """

    col: int
    text: str
    ref: str | None = None
    span: tuple[int, int] = (1, 1)


def strip_tags(text: str) -> str:
    """Remove HTML-like tags (``<b>``, ``</b>``) that the PDF extraction adds."""
    return _TAG.sub("", text) if "<" in text else text


def clean_cell(text: str) -> str:
    """A cell as printed: tags removed, outer whitespace trimmed, inner text untouched."""
    return strip_tags(text).strip()


def split_cells(line: str) -> list[Cell]:
    """Split a TAB-separated line into its non-empty cells, keeping column positions."""
    return list(_split_cells(line))  # a list of its own; the cells (frozen) are shared


@text_cache()  # grid lines recur across a corpus's documents
def _split_cells(line: str) -> tuple[Cell, ...]:
    out: list[Cell] = []
    for col, raw in enumerate(line.split("\t")):
        if not raw:
            continue  # an empty column (most of a grid's): nothing to clean
        text = clean_cell(raw)
        if col == 0:
            text = text.lstrip("#").strip()
        if text:
            out.append(Cell(col, text))
    return tuple(out)


@text_cache()
def fold(text: str) -> str:
    """Fold full-width characters to half-width (NFKC) and drop all whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@text_cache()
def label_key(text: str) -> str:
    """The lookup key of a printed label.

    Folds width and whitespace, removes tags and Markdown ``#``, a leading ``其中:``,
    a trailing colon and a trailing ``(必填…)`` suffix: ``<b>数量指标 (必填硬性指标)</b>``,
    ``数量指标（必填硬性指标）`` and ``数量指标`` all give ``数量指标``.
    """
    key = fold(strip_tags(text)).lstrip("#")
    key = re.sub(r"^其中[:：]?", "", key)
    key = key.rstrip(":：")
    key = _REQUIRED_SUFFIX.sub("", key)
    return key.rstrip(":：")


def line_text(cells: list[Cell]) -> str:
    """All cells of a line joined by single spaces (for messages and noise checks)."""
    return " ".join(c.text for c in cells)
