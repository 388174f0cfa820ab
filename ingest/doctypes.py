"""Documents that look like target tables but are another kind of document (pure).

Self-evaluations (自评表), a unit's overall targets (整体支出绩效目标) and transfer-payment
regional tables (转移支付区域绩效目标) are published in the same channels, with the same
grids. Each type is recognised by its own words; ``DOCUMENT_TYPES`` is the one list. A
transfer-payment regional table is read by its family (``ingest.families.transfer_region``,
``ingest.parse.LOOK_ALIKE_FAMILIES``) when that family recognises it; the other types are not
project target tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.cells import fold
from ingest.tables import Line


@dataclass(frozen=True)
class DocumentType:
    code: str  # the reason code the document is held back with
    name: str  # in Chinese, for the reason
    pattern: re.Pattern  # words in a cell (folded) that only this type prints


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(
        "self_evaluation_table",
        "绩效自评表（目标值与实际完成值、得分）",
        re.compile(r"自评表|全年实际值|实际完成值|全年执行数|实际完成情况"),
    ),
    DocumentType(
        "unit_overall_table",
        "部门（单位）整体绩效目标表（不是项目支出绩效目标表）",
        re.compile(r"整体(?:支出)?绩效目标|部门整体|单位整体"),
    ),
    DocumentType(
        "transfer_region_table",
        "转移支付区域绩效目标表（按资金和地区）",
        re.compile(r"转移支付.*区域绩效目标|区域绩效目标表"),
    ),
)


# Any type's words: one search per cell; the types are told apart only where it matches.
_ANY_TYPE = re.compile("|".join(f"(?:{kind.pattern.pattern})" for kind in DOCUMENT_TYPES))


@dataclass(frozen=True)
class TypeSeen:
    kind: DocumentType
    line: int
    printed: str  # the cell that names it


def document_type(lines: list[Line]) -> TypeSeen | None:
    """The first look-alike type whose words a cell prints, or None for a target table."""
    for line in lines:
        for cell in line.cells:
            key = fold(cell.text)
            if not _ANY_TYPE.search(key):
                continue
            for kind in DOCUMENT_TYPES:
                if kind.pattern.search(key):
                    return TypeSeen(kind, line.number, cell.text)
    return None
