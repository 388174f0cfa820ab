"""Read a table's header block: key/value cells found by their labels, not positions (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.tables import Line
from ingest.vocabulary import header_label, split_label_value

# Both patterns are anchored to a short end/start of the cell so that a pathological cell
# (a 20,000-character run of dashes or spaces) costs linear, not quadratic, time.
_DEPT_CODE_TAIL = re.compile(r"(?:[-－—–‐]+|[（(])\s*(?P<code>\d{3,})\s*[)）]?\s*$")
_DASHES = "-－—–‐"
_ATTRIBUTE = re.compile(r"\s*(?P<code>\d{2,4})\s*[-－—–‐]*")
_TAIL = 256  # a department code and its separator fit in the last 256 characters


@dataclass
class HeaderValue:
    text: str
    line: int
    label: str | None = None  # the label cell as printed (tags removed, trailing colon kept off)


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
    Every value keeps the label it was printed under (for messages that quote it).
    """
    header = Header()
    side: str | None = None
    for line in lines:
        pending: tuple[str, str] | None = None  # (field, label as printed)
        for cell in line.cells:
            kind = header_label(cell.text)
            if kind is None:
                split = split_label_value(cell.text)
                if split is not None:
                    label, value = split
                    if pending is not None:
                        _put(header, pending[0], HeaderValue("", line.number, pending[1]))
                        pending = None
                    what, name = header_label(label) or ("", "")
                    if what == "field":
                        _put(
                            header,
                            _resolve(name, side),
                            HeaderValue(value.strip(), line.number, _printed(label)),
                        )
                        continue
                    if what == "side":
                        side = name
                    header.unlabelled.append(HeaderValue(cell.text, line.number))
                    continue
                if pending is not None:
                    _put(header, pending[0], HeaderValue(cell.text, line.number, pending[1]))
                    pending = None
                else:
                    header.unlabelled.append(HeaderValue(cell.text, line.number))
                continue
            if pending is not None:
                _put(header, pending[0], HeaderValue("", line.number, pending[1]))
                pending = None
            what, name = kind
            if what == "side":
                side = name
                if name == "transfer":
                    header.transfer_label = cell.text
            elif what == "group":
                header.money_unit = name or header.money_unit
            else:
                pending = (_resolve(name, side), _printed(cell.text))
        if pending is not None:
            _put(header, pending[0], HeaderValue("", line.number, pending[1]))
    return header


def _printed(label: str) -> str:
    """A label cell as printed, without the colon that ends it: ``年度资金总额:`` -> ``年度资金总额``."""
    return label.strip().rstrip(":：").strip()


def _resolve(name: str, side: str | None) -> str:
    if name == "side_total":
        return "transfer_total" if side == "transfer" else "own_level_total"
    return name


def split_department(text: str) -> tuple[str, str | None]:
    """``平罗县应急管理局--032001`` -> (``平罗县应急管理局``, ``032001``)."""
    offset = max(0, len(text) - _TAIL)
    m = _DEPT_CODE_TAIL.search(text, offset)
    if m:
        name = text[: m.start()].strip()
        if offset:  # the window may have cut a run of dashes in two
            name = name.rstrip(_DASHES).rstrip()
        if name:
            return name, m.group("code")
    return text.strip(), None


def split_attribute(text: str) -> tuple[str | None, str | None]:
    """``0101--一年期项目`` / ``02-经常性项目`` / ``0101—一年期项目`` -> (code, label)."""
    m = _ATTRIBUTE.match(text)
    if not m:
        return None, text.strip() or None
    return m.group("code"), text[m.end() :].strip() or None


_CODE_PREFIX = re.compile(
    r"^\s*(?:[(（\[【]\s*(?P<bracketed>\d{2,})\s*[)）\]】]|(?P<dashed>\d{2,})\s*[-－—–‐]+)\s*"
)


def split_code_prefix(text: str) -> tuple[str | None, str | None]:
    """``(433)乌海市供销合作社联合社`` / ``820001-井研县马踏镇人民政府`` / ``[610001]…`` -> (code, name)."""
    m = _CODE_PREFIX.match(text)
    if not m:
        return None, text.strip() or None
    return m.group("bracketed") or m.group("dashed"), text[m.end() :].strip() or None
