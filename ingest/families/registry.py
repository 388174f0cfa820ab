"""The template families the reader knows, and which one a document is (pure).

``FAMILIES`` is the one list: adding a family is one module with its ``FAMILY`` and one
entry here. Families are tried most specific first; the best-scoring recognised family
reads the document (ties go to the earlier entry).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.families import (
    fujian,
    hubei,
    hunan,
    inner_mongolia,
    ningxia,
    rural,
    sichuan_flat,
    side_by_side,
    transfer_region,
    two_grid,
)
from ingest.families.base import Family, Recognition, Sheet
from ingest.tables import Line
from ingest.vocabulary import LabelMap, is_grid_caption_line

FAMILIES: tuple[Family, ...] = (
    transfer_region.FAMILY,
    inner_mongolia.FAMILY,
    sichuan_flat.FAMILY,
    hunan.FAMILY,
    rural.FAMILY,
    side_by_side.FAMILY,
    fujian.FAMILY,
    hubei.FAMILY,
    two_grid.FAMILY,
    ningxia.FAMILY,
)

# Read when no family is recognised and the document shows no indicator grid at all: its own
# checks then say what is missing (no 项目名称 table, an orphan grid, …).
FALLBACK: Family = ningxia.FAMILY


@dataclass(frozen=True)
class Choice:
    family: Family | None  # None: an indicator grid of a family the reader does not know
    recognitions: list[Recognition]  # every family's, best first
    grid_line: int | None = None  # where the unknown grid shows (for the reason)


def recognise(lines: list[Line], labels: LabelMap) -> Choice:
    sheet = Sheet(lines)
    results = sorted(
        (f.recognise(sheet) for f in FAMILIES),
        key=lambda r: (r.recognised, r.score),
        reverse=True,
    )
    best = results[0]
    if best.recognised:
        return Choice(best.family, results)
    grid = _indicator_grid_line(lines, labels)
    return Choice(None if grid is not None else FALLBACK, results, grid)


def _indicator_grid_line(lines: list[Line], labels: LabelMap) -> int | None:
    """The first line that looks like an indicator grid: a caption or a level-1 label cell."""
    for line in lines:
        if is_grid_caption_line(line.keys) or any(labels.as_level1(c.text) for c in line.cells[:5]):
            return line.number
    return None
