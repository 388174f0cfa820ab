"""Read a table's header block: key/value cells found by their labels, not positions (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.tables import Line
from ingest.vocabulary import header_label, split_label_value

_DEPT_CODE = re.compile(r"^(?P<name>.*?)\s*(?:[-－—–‐]+|[（(])\s*(?P<code>\d{3,})\s*[)）]?\s*$")
_ATTRIBUTE = re.compile(r"^\s*(?P<code>\d{2,4})\s*[-－—–‐]*\s*(?P<label>.*?)\s*$")


@dataclass
class HeaderValue:
    text: str
    line: int


@dataclass
class Header:
    fields: dict[str, HeaderValue] = field(default_factory=dict)
    money_unit: str | None = None
    transfer_label: str | None = None
    unlabelled: list[HeaderValue] = field(default_factory=list)
    duplicates: list[tuple[str, HeaderValue]] = field(default_factory=list)


def _put(header: Header, key: str, value: HeaderValue) -> None:
    if key in header.fields:
        header.duplicates.append((key, value))
    else:
        header.fields[key] = value


def read_header(lines: list[Line]) -> Header:
    """Walk the cells left to right; a label opens a field, the next value cell fills it.

    ``资金总额`` resolves to the side last opened (``本级资金`` -> own_level_total,
    ``转移…资金`` -> transfer_total); a label whose value cell is blank gives ``''``.
    """
    header = Header()
    side: str | None = None
    for line in lines:
        pending: str | None = None
        for cell in line.cells:
            kind = header_label(cell.text)
            if kind is None:
                split = split_label_value(cell.text)
                if split is not None:
                    label, value = split
                    if pending is not None:
                        _put(header, pending, HeaderValue("", line.number))
                    kind = header_label(label)
                    assert kind is not None
                    pending = _resolve(kind[1], side)
                    _put(header, pending, HeaderValue(value.strip(), line.number))
                    pending = None
                    continue
                if pending is not None:
                    _put(header, pending, HeaderValue(cell.text, line.number))
                    pending = None
                else:
                    header.unlabelled.append(HeaderValue(cell.text, line.number))
                continue
            if pending is not None:
                _put(header, pending, HeaderValue("", line.number))
                pending = None
            what, name = kind
            if what == "side":
                side = name
                if name == "transfer":
                    header.transfer_label = cell.text
            elif what == "group":
                header.money_unit = name or header.money_unit
            else:
                pending = _resolve(name, side)
        if pending is not None:
            _put(header, pending, HeaderValue("", line.number))
    return header


def _resolve(name: str, side: str | None) -> str:
    if name == "side_total":
        return "transfer_total" if side == "transfer" else "own_level_total"
    return name


def split_department(text: str) -> tuple[str, str | None]:
    """``平罗县应急管理局--032001`` -> (``平罗县应急管理局``, ``032001``)."""
    m = _DEPT_CODE.match(text)
    if m and m.group("name").strip():
        return m.group("name").strip(), m.group("code")
    return text.strip(), None


def split_attribute(text: str) -> tuple[str | None, str | None]:
    """``0101--一年期项目`` / ``02-经常性项目`` / ``0101—一年期项目`` -> (code, label)."""
    m = _ATTRIBUTE.match(text)
    if not m:
        return None, text.strip() or None
    return m.group("code"), m.group("label") or None
