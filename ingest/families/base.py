"""What a template family is: its markers (how it is recognised) and its reader (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.rows import ParsedDocument
from ingest.tables import Line
from ingest.vocabulary import LabelMap

Reader = Callable[[list[Line], str, str, LabelMap | None], ParsedDocument]
Test = Callable[["Sheet"], int | None]  # the line number where the marker is seen, or None


class Sheet:
    """A document's lines with their cell keys indexed once, for every family's markers."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.first_keys: dict[str, int] = {}  # key of a line's first cell -> its first line
        self.any_keys: dict[str, int] = {}  # key of any cell -> its first line
        for line in lines:
            keys = line.keys
            if keys:
                self.first_keys.setdefault(keys[0], line.number)
            for key in keys:
                self.any_keys.setdefault(key, line.number)
        # Every key on a line of its own (keys are folded: no whitespace, so no newline): one
        # MULTILINE search tells a marker that no key matches it, without a search per key.
        self.first_text = "\n".join(self.first_keys)
        self.any_text = "\n".join(self.any_keys)


@dataclass(frozen=True)
class Marker:
    """One thing a family's documents show: what it is (for reasons), its weight, its test."""

    name: str
    test: Test
    weight: float = 1.0
    required: bool = False


@dataclass(frozen=True)
class Recognition:
    family: Family
    score: float  # matched weight / total weight, 0..1
    seen: list[tuple[str, int]] = field(default_factory=list)  # (marker, line)
    missing: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)

    @property
    def recognised(self) -> bool:
        return not self.missing_required and self.score >= MIN_SCORE


# A family is recognised when every required marker is seen and at least this share of its
# markers' weight: below it, the document is not read as that family.
MIN_SCORE = 0.6


@dataclass(frozen=True)
class Family:
    name: str  # the template_family value: ningxia, inner_mongolia, …
    title: str  # in Chinese, for reasons
    markers: tuple[Marker, ...]
    read: Reader

    def recognise(self, sheet: Sheet) -> Recognition:
        seen: list[tuple[str, int]] = []
        missing: list[str] = []
        missing_required: list[str] = []
        matched = 0.0
        for marker in self.markers:
            where = marker.test(sheet)
            if where is None:
                missing.append(marker.name)
                if marker.required:
                    missing_required.append(marker.name)
            else:
                seen.append((marker.name, where))
                matched += marker.weight
        total = sum(m.weight for m in self.markers) or 1.0
        return Recognition(self, matched / total, seen, missing, missing_required)


# ------------------------------------------------------------------ marker tests (shared)


def _first_line(rx: re.Pattern, screen: re.Pattern, keys: dict[str, int], text: str) -> int | None:
    """The first line of a key ``rx`` matches. A key that matches also matches in ``text`` (the
    keys one per line) under ``screen`` (``rx`` with ``^``/``$`` at line ends; the markers'
    patterns look nowhere past a key), so a miss there is a miss for every key; a hit is
    checked key by key."""
    if not screen.search(text):
        return None
    return min((n for key, n in keys.items() if rx.search(key)), default=None)


def first_cell(pattern: str) -> Test:
    """A line whose first cell (width and spaces folded) matches ``pattern``."""
    rx, screen = re.compile(pattern), re.compile(pattern, re.MULTILINE)

    def test(sheet: Sheet) -> int | None:
        return _first_line(rx, screen, sheet.first_keys, sheet.first_text)

    return test


def any_cell(pattern: str) -> Test:
    """A line with any cell (folded) matching ``pattern``."""
    rx, screen = re.compile(pattern), re.compile(pattern, re.MULTILINE)

    def test(sheet: Sheet) -> int | None:
        return _first_line(rx, screen, sheet.any_keys, sheet.any_text)

    return test


def caption_with(*words: str) -> Test:
    """A grid caption line: a line whose cells include every one of ``words`` (folded)."""

    def test(sheet: Sheet) -> int | None:
        if not all(w in sheet.any_keys for w in words):
            return None
        for line in sheet.lines:
            keys = set(line.keys)
            if all(w in keys for w in words):
                return line.number
        return None

    return test
