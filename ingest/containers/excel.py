"""Excel workbooks (.xlsx with openpyxl, .xls with xlrd) -> lines (I/O-free: bytes in).

Every sheet in workbook order, every row top to bottom; a merged range prints its text at
its top-left cell and leaves the covered cells empty (as a TAB extraction prints them); a
sheet may hold one table or several. ``Line.number`` is the row's place in the workbook's
reading order (sheets one after another), ``Line.sheet`` the sheet and ``Cell.ref`` the
cell's address (``B7``). Values are read as stored: text as is, a number in its shortest
exact form (``13.49``, ``36``), a date as ``2025-01-31``; a formula gives its cached value.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from ingest.containers.grid import ContainerError, SpanCell, to_line
from ingest.tables import Line


def value_text(value: object) -> str:
    """A cell value as printed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def col_letter(col: int) -> str:
    """1 -> A, 28 -> AB."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _sheet_lines(
    name: str, values: dict[tuple[int, int], object], merges: list[tuple[int, int, int, int]], start: int
) -> list[Line]:
    """Rows of one sheet: ``values`` by (row, col), 1-based; ``merges`` as (r1, c1, r2, c2)."""
    if not values:
        return []
    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in merges}
    covered = {
        (r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    } - set(spans)
    rows = sorted({r for r, _ in values} | {r for r, _ in spans})
    first_col = min(c for _, c in values)
    last_col = max(c for _, c in values)
    out: list[Line] = []
    for k, r in enumerate(range(rows[0], rows[-1] + 1)):
        row: list[SpanCell | None] = []
        for c in range(first_col, last_col + 1):
            if (r, c) in covered:
                row.append(None)
                continue
            rs, cs = spans.get((r, c), (1, 1))
            row.append(SpanCell(value_text(values.get((r, c))), rs, cs, ref=f"{col_letter(c)}{r}"))
        out.append(to_line(start + k, row, sheet=name))
    return out


def read_xlsx(data: bytes) -> list[Line]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as err:  # a damaged or encrypted zip: say so, never a traceback
        raise ContainerError(
            "container_unreadable",
            f"无法作为 Excel（.xlsx）工作簿打开（{type(err).__name__}）；期望一个完整的 .xlsx 文件",
        ) from None
    out: list[Line] = []
    for sheet in book.worksheets:
        values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
        merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
        out.extend(_sheet_lines(sheet.title, values, merges, start=len(out) + 1))
    return out


def read_xls(data: bytes) -> list[Line]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as err:
        raise ContainerError(
            "container_unreadable",
            f"无法作为 Excel 97-2003（.xls）工作簿打开（{type(err).__name__}）；期望一个完整的 .xls 文件",
        ) from None
    out: list[Line] = []
    for sheet in book.sheets():
        values: dict[tuple[int, int], object] = {}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                value: object = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                values[(r + 1, c + 1)] = value
        merges = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sheet.merged_cells]
        out.extend(_sheet_lines(sheet.name, values, merges, start=len(out) + 1))
    return out
