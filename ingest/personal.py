"""Personal data is never stored: names and phone numbers of project leads are removed (pure).

Forms print a project lead's name and phone number (项目负责人及电话, 联系电话, 填表人). Before any
family reads a document, ``redact_lines`` replaces the value cells after such a label, a value
printed in the label's own cell (``填表人:张三``) and any phone number with ``REDACTED``, in the
cells and in the line as printed, so no row, issue message or ``line_printed`` can carry them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.cells import Cell, label_key
from ingest.memo import text_cache
from ingest.tables import Line

REDACTED = "[已略去]"
# Labels whose value is a person or a phone number (folded keys).
PERSONAL_LABEL = re.compile(
    r"^(?:项目)?(?:负责人|联系人|填表人|填报人|经办人|单位负责人|联系电话|电话|手机|项目负责人及(?:联系)?电话|负责人及电话)$"
)
_IN_CELL = re.compile(
    r"((?:项目|单位)?(?:负责人|联系人|填表人|填报人|经办人)(?:及(?:联系)?电话)?|联系电话|手机)\s*[:：]\s*([^\s:：|]+)"
)
_PHONE = re.compile(r"(?<![\d.])(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?![\d.])")


@text_cache()  # cells recur; both are pure str -> immutable
def _is_personal_label(text: str) -> bool:
    return bool(PERSONAL_LABEL.match(label_key(text)))


@text_cache()
def redact_cell(text: str) -> str:
    """A cell with an in-cell personal value and any phone number replaced."""
    text = _IN_CELL.sub(lambda m: f"{m.group(1)}:{REDACTED}", text)
    return _PHONE.sub(REDACTED, text)


def redact_line(line: Line) -> Line:
    cells: list[Cell] = []
    raw = line.raw
    after_label = False
    for cell in line.cells:
        if after_label and not _is_personal_label(cell.text):
            raw = raw.replace(cell.text, REDACTED, 1)
            cells.append(replace(cell, text=REDACTED))
            after_label = False
            continue
        after_label = _is_personal_label(cell.text)
        text = redact_cell(cell.text)
        if text != cell.text:
            raw = raw.replace(cell.text, text, 1)
        cells.append(replace(cell, text=text) if text != cell.text else cell)
    if raw == line.raw and cells == line.cells:
        return line
    return Line(line.number, raw, cells, page=line.page, sheet=line.sheet)  # provenance kept


def redact_lines(lines: list[Line]) -> list[Line]:
    return [redact_line(line) for line in lines]
