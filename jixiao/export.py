"""``jixiao export``: the published marts as files an analyst opens in Excel or any tool.

- ``xlsx``: one workbook, one sheet per table; row 1 the Chinese header, row 2 the column name
  (English, what SQL uses), both frozen; a ``说明 legend`` sheet with every column's full
  description (the same bilingual text as ``models/marts/*.yml``, read from the warehouse's
  column comments). Lists become text joined with 、 (like the ``<name>_text`` twins, which are
  then left out), money and counts stay numbers.
- ``csv``: one file per table, UTF-8 with a BOM (Excel on Chinese Windows reads it right), one
  header row of column names; the legend as ``_legend.csv``.
- ``parquet``: one file per table, DuckDB's types kept (lists stay lists).

Everything comes from a read-only ``jixiao.connect()``; the warehouse is never written.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

FORMATS = ("xlsx", "csv", "parquet")
SCHEMA = "marts"
LIST_SEPARATOR = "、"  # the separator of the `<name>_text` twins (macros/fold_text.sql list_text)
TEXT_TWIN_SUFFIX = "_text"
WORKBOOK_NAME = "jixiao_marts.xlsx"
LEGEND_SHEET = "说明 legend"
LEGEND_CSV = "_legend.csv"
LEGEND_HEADER = (
    "表 table",
    "工作表 sheet",
    "列 column",
    "中文列名 Chinese header",
    "类型 type",
    "说明 description",
)
EXCEL_MAX_ROWS = 1_048_576
EXCEL_SHEET_NAME_MAX = 31
MONEY_FORMAT = "#,##0.00"
HEADER_ROWS = 2
_CJK = re.compile(r"[\u3400-\u9fff]")
_LABEL_END = re.compile(r"[。：:；;，,]")
_EXAMPLE = re.compile(r"[（(](?:如|例如|e\.g\.)[^）)]*[）)]")


class ExportError(ValueError):
    """A request the export cannot serve (an unknown table, too many rows for a sheet)."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    comment: str | None

    @property
    def is_list(self) -> bool:
        return self.data_type.endswith("[]")

    @property
    def is_money(self) -> bool:
        return self.name.endswith("_yuan") or self.name.endswith("_wan")

    @property
    def zh_header(self) -> str:
        return zh_label(self.comment, self.name)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]


def zh_label(comment: str | None, fallback: str) -> str:
    """The Chinese header of a column: its description up to the first 。：；， without an example
    in brackets (``发布单位（如 平罗县应急管理局）。Publishing …`` -> ``发布单位``); the column name when
    the description does not start in Chinese."""
    if not comment:
        return fallback
    head = _balanced(_EXAMPLE.sub("", _LABEL_END.split(comment.strip(), maxsplit=1)[0])).strip()
    return head if head and _CJK.match(head) else fallback


def _balanced(text: str) -> str:
    """``text`` cut before a bracket it opens and never closes, without stray closing brackets."""
    depth, out, cut = 0, [], None
    for ch in text:
        if ch in "（(":
            if depth == 0:
                cut = len(out)
            depth += 1
        elif ch in "）)":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out[:cut] if depth and cut is not None else out)


def sheet_name(table: str) -> str:
    """An Excel sheet name (at most 31 characters): the table's, without ``mart_`` if too long."""
    if len(table) <= EXCEL_SHEET_NAME_MAX:
        return table
    short = table.removeprefix("mart_")
    return short[:EXCEL_SHEET_NAME_MAX]


def as_text(value: object) -> object:
    """A list as text joined with 、 (``['时效', '质量']`` -> ``时效、质量``); anything else as is."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    return value


def spreadsheet_columns(columns: Sequence[Column]) -> list[Column]:
    """The columns a sheet shows: a list column's ``_text`` twin is dropped (the list is text)."""
    lists = {c.name for c in columns if c.is_list}
    return [
        c
        for c in columns
        if not (c.name.endswith(TEXT_TWIN_SUFFIX) and c.name[: -len(TEXT_TWIN_SUFFIX)] in lists)
    ]


def excel_value(value: object) -> object:
    """A cell value openpyxl writes faithfully: lists as text, aware timestamps as ISO text."""
    value = as_text(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.isoformat()
    if isinstance(value, dt.time | dt.timedelta | dict):
        return str(value)
    return value


# --- reading the warehouse ------------------------------------------------------------------


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = ? and database_name = current_database() "
        "order by table_name",
        [SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def describe(con: duckdb.DuckDBPyConnection, table: str) -> Table:
    rows = con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where schema_name = ? and table_name = ? and database_name = current_database() order by column_index",
        [SCHEMA, table],
    ).fetchall()
    return Table(table, tuple(Column(n, t, c) for n, t, c in rows))


def choose_tables(available: Sequence[str], wanted: Iterable[str] | None) -> list[str]:
    """The tables to export, in the order asked (all marts when none is named)."""
    if not wanted:
        return list(available)
    names = [w.strip() for item in wanted for w in item.split(",") if w.strip()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ExportError(
            f"no such table in schema {SCHEMA}: {', '.join(unknown)} (tables: {', '.join(available)})"
        )
    return list(dict.fromkeys(names))


def _rows(con: duckdb.DuckDBPyConnection, table: Table, columns: Sequence[Column]) -> Iterator[tuple]:
    select = ", ".join(f'"{c.name}"' for c in columns)
    cursor = con.execute(f'select {select} from {SCHEMA}."{table.name}"')
    while batch := cursor.fetchmany(10_000):
        yield from batch


# --- writers ----------------------------------------------------------------------------------


def legend_rows(tables: Sequence[Table], spreadsheet: bool) -> Iterator[tuple[str, ...]]:
    for table in tables:
        columns = spreadsheet_columns(table.columns) if spreadsheet else table.columns
        for c in columns:
            yield table.name, sheet_name(table.name), c.name, c.zh_header, c.data_type, c.comment or ""


def write_xlsx(con: duckdb.DuckDBPyConnection, tables: Sequence[Table], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        columns = spreadsheet_columns(table.columns)
        ws = wb.create_sheet(sheet_name(table.name))
        ws.freeze_panes = f"A{HEADER_ROWS + 1}"
        for header in ([c.zh_header for c in columns], [c.name for c in columns]):
            row = []
            for text in header:
                cell = WriteOnlyCell(ws, value=text)
                cell.font = bold
                row.append(cell)
            ws.append(row)
        money = [c.is_money for c in columns]
        for n, values in enumerate(_rows(con, table, columns), start=HEADER_ROWS + 1):
            if n > EXCEL_MAX_ROWS:
                raise ExportError(
                    f"{table.name} has more rows than an Excel sheet holds ({EXCEL_MAX_ROWS:,}); "
                    "export it as csv or parquet"
                )
            row = []
            for value, is_money in zip(values, money, strict=True):
                cell = WriteOnlyCell(ws, value=excel_value(value))
                if is_money and isinstance(value, Decimal | int | float):
                    cell.number_format = MONEY_FORMAT
                row.append(cell)
            ws.append(row)
    legend = wb.create_sheet(LEGEND_SHEET)
    legend.freeze_panes = "A2"
    legend.append(list(LEGEND_HEADER))
    for row in legend_rows(tables, spreadsheet=True):
        legend.append(list(row))
    path = out / WORKBOOK_NAME
    _save_atomically(path, wb.save)
    return path


def write_csv(con: duckdb.DuckDBPyConnection, tables: Sequence[Table], out: Path) -> list[Path]:
    written = []
    for table in tables:
        columns = spreadsheet_columns(table.columns)
        path = out / f"{table.name}.csv"

        def save(tmp: str, table: Table = table, columns: list[Column] = columns) -> None:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([c.name for c in columns])
                for values in _rows(con, table, columns):
                    writer.writerow(["" if v is None else as_text(v) for v in values])

        _save_atomically(path, save)
        written.append(path)
    legend = out / LEGEND_CSV

    def save_legend(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(LEGEND_HEADER)
            writer.writerows(legend_rows(tables, spreadsheet=True))

    _save_atomically(legend, save_legend)
    return [*written, legend]


def write_parquet(con: duckdb.DuckDBPyConnection, tables: Sequence[Table], out: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    for table in tables:
        arrow = con.sql(f'select * from {SCHEMA}."{table.name}"').to_arrow_table()
        descriptions = {c.name: c.comment or "" for c in table.columns}
        fields = [f.with_metadata({"description": descriptions.get(f.name, "")}) for f in arrow.schema]
        arrow = arrow.cast(pa.schema(fields, arrow.schema.metadata))
        path = out / f"{table.name}.parquet"
        _save_atomically(path, lambda tmp, arrow=arrow: pq.write_table(arrow, tmp))
        written.append(path)
    return written


def _save_atomically(path: Path, save) -> None:
    """Write beside the target and rename, so a reader never opens half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        save(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export(
    con: duckdb.DuckDBPyConnection, fmt: str, out: Path, tables: Iterable[str] | None = None
) -> list[Path]:
    """Write the chosen marts of an open (read-only) connection in ``fmt`` under ``out``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    names = choose_tables(mart_tables(con), tables)
    described = [describe(con, n) for n in names]
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [write_xlsx(con, described, out)]
    if fmt == "csv":
        return write_csv(con, described, out)
    return write_parquet(con, described, out)
