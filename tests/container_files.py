"""Render a TAB-text sample as the files users bring: markdown, HTML, xlsx, PDF (test support).

Tables are the runs of consecutive lines that contain a TAB; other lines are text (headings,
titles, dates). Merges: a first- or second-column cell spans down over the rows below it that
leave that column (and every column before it) empty; a cell followed only by empty cells
spans to the table's right edge. The readers must turn every rendering back into the cells
the TAB text has.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ingest.cells import clean_cell


@dataclass
class Block:
    rows: list[list[str]] | None = None  # a table: cells as printed (tags removed)
    bold: list[list[bool]] | None = None
    text: str | None = None  # a text line


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for raw in text.split("\n"):
        if "\t" in raw:
            parts = raw.split("\t")
            cells = [clean_cell(p) for p in parts]
            bold = ["<b>" in p for p in parts]
            if out and out[-1].rows is not None:
                out[-1].rows.append(cells)
                out[-1].bold.append(bold)
            else:
                out.append(Block(rows=[cells], bold=[bold]))
        else:
            out.append(Block(text=raw))
    for b in out:
        if b.rows is not None:
            width = max(len(r) for r in b.rows)
            for r, f in zip(b.rows, b.bold, strict=True):
                r.extend([""] * (width - len(r)))
                f.extend([False] * (width - len(f)))
    return out


def spans(rows: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) of an anchor cell -> (rowspan, colspan); covered cells are not keys."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    width = len(rows[0])
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text or (r, c) in covered:
                continue
            rs = 1
            if c in (0, 1):
                while (
                    r + rs < len(rows)
                    and all(not rows[r + rs][k] for k in range(c + 1))
                    and any(rows[r + rs][c + 1 :])
                ):
                    rs += 1
            cs = 1
            if rs == 1:
                while c + cs < width and not row[c + cs] and (r, c + cs) not in covered:
                    cs += 1
                if c + cs < width:
                    cs = 1  # only a cell followed by nothing but empty cells spans right
            out[(r, c)] = (rs, cs)
            covered |= {(r + i, c + j) for i in range(rs) for j in range(cs)} - {(r, c)}
    return out


def _br(text: str) -> str:
    """Break a long cell as a converter wraps it (between two CJK characters)."""
    if len(text) < 40:
        return text
    cut = next((i for i in range(20, len(text) - 1) if text[i - 1] >= "\u4e00" and text[i] >= "\u4e00"), None)
    return text if cut is None else f"{text[:cut]}<br>{text[cut:]}"


def to_markdown(text: str, *, html_tables: bool = False) -> str:
    """Pipe tables (merged cells empty, labels bold, ``<br>`` in long cells, page-break
    comments before each ``##`` title), or HTML tables with spans when ``html_tables``."""
    out: list[str] = []
    page = 1
    for b in blocks(text):
        if b.text is not None:
            if b.text.startswith("## "):
                page += 1
                out += [f"<!-- page {page} -->", ""]
            out.append(b.text)
            continue
        out.append("")
        if html_tables:
            out += html_table(b.rows).split("\n")
        else:
            for k, (row, bold) in enumerate(zip(b.rows, b.bold, strict=True)):
                cells = [f"**{_br(c)}**" if f and c else _br(c) for c, f in zip(row, bold, strict=True)]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
                if k == 0:
                    out.append("|" + "---|" * len(row))
        out.append("")
    return "\n".join(out)


def html_table(rows: list[list[str]]) -> str:
    sp = spans(rows)
    out = ['<table border="1" cellspacing="0">']
    for r, row in enumerate(rows):
        tds = []
        for c, text in enumerate(row):
            if (r, c) in sp:
                rs, cs = sp[(r, c)]
                attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                tds.append(f"<td{attrs}>{escape(text).replace(chr(10), '<br>')}</td>")
            elif not text and not _covered(sp, r, c):
                tds.append("<td></td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _covered(sp: dict, r: int, c: int) -> bool:
    return any(
        r0 <= r < r0 + rs and c0 <= c < c0 + cs and (r0, c0) != (r, c) for (r0, c0), (rs, cs) in sp.items()
    )


def to_html(text: str) -> str:
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8"><title>预算绩效目标表</title></head><body>']
    for b in blocks(text):
        if b.text is not None:
            if b.text.strip():
                tag = "h2" if b.text.startswith("## ") else "p"
                out.append(f"<{tag}>{escape(b.text.lstrip('#').strip())}</{tag}>")
        else:
            out.append(html_table(b.rows))
    out.append("</body></html>")
    return "\n".join(out)


def to_xlsx(text: str, path: Path, *, sheet_per_table: bool = False, borders: bool = True) -> Path:
    """Tables with merged cells; text lines as rows of one cell. ``sheet_per_table`` starts a
    new sheet at each ``##`` title (named like a budget-system export, 部门项目支出绩效目标05-2)."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "部门项目支出绩效目标05-1"
    side = Side(style="thin")
    box = Border(left=side, right=side, top=side, bottom=side)
    r = 1
    for b in blocks(text):
        if b.text is not None:
            if sheet_per_table and b.text.startswith("## ") and r > 1:
                ws = book.create_sheet(f"部门项目支出绩效目标05-{len(book.worksheets) + 1}")
                r = 1
            if b.text.strip():
                ws.cell(r, 1, b.text.lstrip("#").strip())
            r += 1
            continue
        sp = spans(b.rows)
        for i, row in enumerate(b.rows):
            for c, val in enumerate(row):
                cell = ws.cell(r + i, c + 1)
                if borders:
                    cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if val and (i, c) in sp:
                    cell.value = val
        for (i, c), (rs, cs) in sp.items():
            if rs > 1 or cs > 1:
                ws.merge_cells(start_row=r + i, start_column=c + 1, end_row=r + i + rs - 1, end_column=c + cs)
        for i, row in enumerate(b.rows):  # LibreOffice keeps the stored height: make wrapped text fit
            ws.row_dimensions[r + i].height = 16 * max(
                _wrapped_lines(row, c, sp.get((i, c), (1, 1))[1]) for c in range(len(row))
            )
        r += len(b.rows)
    for ws in book.worksheets:
        for letter, width in zip("ABCDEF", _WIDTHS, strict=True):
            ws.column_dimensions[letter].width = width
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    book.save(path)
    return path


_WIDTHS = (16, 16, 24, 30, 24, 12)


def _wrapped_lines(row: list[str], c: int, colspan: int) -> int:
    width = sum(_WIDTHS[c : c + colspan]) - 2
    size = sum(2 if ord(ch) > 0x2000 else 1 for ch in row[c])
    return max(1, -(-size // max(width, 1)))


def to_pdf(source: Path, outdir: Path) -> Path:
    """LibreOffice headless: ``soffice --headless --convert-to pdf`` (needs a CJK font)."""
    return convert(source, outdir, "pdf")


def to_xls(source: Path, outdir: Path) -> Path:
    """An Excel 97-2003 workbook, saved by LibreOffice headless from the xlsx (merges kept)."""
    return convert(source, outdir, "xls")


def convert(source: Path, outdir: Path, fmt: str) -> Path:
    """``soffice --headless --convert-to <fmt>`` into ``outdir``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to make the PDF and xls test files"
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / f"{source.stem}.{fmt}"
