"""PDF documents -> lines, with pdfplumber; text-layer problems become reasons (bytes in, pure).

Each page in order: the ruled tables pdfplumber finds (``find_tables``, lines strategy),
their merged cells empty below and right of the text, and the text lines outside the tables
(titles, dates), top to bottom. ``Line.number`` is the line's place in reading order,
``Line.page`` its page. A cell's text is built from its characters (``cell_text``), so a wrap
at a space keeps the space. A merged cell cut by a page break has no lines drawn for its cut
part (a run of rows with no ruled cell in that column); its text, printed loose in that
column (inside the table, beside it, above the first or below the last table on the page,
often once on each page), is put back in the run's top cell, where a TAB extraction prints
it, or dropped when it repeats that cell; a different text inside the run is kept as a line
of its own with a ``pdf_merged_cell_cut`` warning. Before any row is read, the text layer is checked, and a PDF whose
text cannot be trusted is refused with its own reason, never read into wrong rows:

* ``pdf_no_text_layer``: no characters on any page (a scan: OCR is needed first);
* ``pdf_text_garbled``: ``(cid:NNN)`` glyphs or private-use characters in the text (a font
  without a Unicode map: the Chinese comes out as codes);
* ``pdf_table_unruled``: text but no ruled table (tables drawn without lines cannot be cut
  into cells reliably).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from ingest.containers.grid import ContainerError, SpanCell, text_line, to_line
from ingest.decode import DecodeWarning
from ingest.tables import Line

_CID = re.compile(r"\(cid:\d+\)")
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")
GARBLED_MIN_SHARE = 0.01  # share of (cid:) / private-use glyphs above which the text is garbled
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def check_text_layer(page_texts: list[str], ruled_tables: int) -> ContainerError | None:
    """Why the text layer cannot be read (pure), or None when it can."""
    text = "".join(page_texts)
    visible = re.sub(r"\s", "", text)
    if not visible:
        return ContainerError(
            "pdf_no_text_layer",
            f"PDF 共 {len(page_texts)} 页，没有文字层（是扫描或图片），无法读取；需要先做 OCR 文字识别，"
            "期望带文字层的 PDF（从 Word/Excel 导出或打印为 PDF）",
        )
    bad = len(_CID.findall(text)) + len(_PRIVATE.findall(text))
    if bad and bad / max(len(visible), 1) > GARBLED_MIN_SHARE:
        page = next(i for i, t in enumerate(page_texts, start=1) if _CID.search(t) or _PRIVATE.search(t))
        sample = (_CID.search(text) or _PRIVATE.search(text)).group(0)
        return ContainerError(
            "pdf_text_garbled",
            f"PDF 的文字层是乱码：{bad} 个字形没有对应的汉字（如「{sample}」，第一个在第 {page} 页，"
            "字体缺少 Unicode 映射），按文字读取会得到错误的行，未载入；期望文字可复制的 PDF，或先做 OCR",
        )
    if ruled_tables == 0:
        return ContainerError(
            "pdf_table_unruled",
            "PDF 有文字，但没有一张带表格线的表格（表格没有画线，无法可靠地切分单元格），未载入；"
            "期望表格有框线的 PDF，或改用 Excel/文本版本",
        )
    return None


def _table_rows(table, chars: list[dict], taken: set[int]) -> list[list[SpanCell]]:
    """A pdfplumber table as rows of cells; a cell covered by a merge (``None``) is empty.
    The ids of the characters read into a cell are added to ``taken``."""
    in_table = _inside(chars, table.bbox)
    out: list[list[SpanCell]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_row = _inside(in_table, (table.bbox[0], top, table.bbox[2] + 1, bottom))
        cells = []
        for box in row.cells:
            inside = [] if box is None else _inside(in_row, box)
            taken.update(id(c) for c in inside)
            cells.append(SpanCell(cell_text(inside)))
        out.append(cells)
    return out


def _inside(chars: list[dict], box: tuple[float, float, float, float]) -> list[dict]:
    """The characters whose centre lies in ``box`` (as pdfplumber assigns them to cells)."""
    x0, top, x1, bottom = box
    return [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom
    ]


LINE_TOLERANCE = 3.0  # points: characters whose tops differ by less are on one printed line
WORD_GAP = 3.0  # points: a gap wider than this between two characters of a line is a space


def cell_text(chars: list[dict]) -> str:
    """A cell's text from its characters (pure): printed lines top to bottom, each left to right.
    Lines are joined with exactly the whitespace the text layer holds: a space glyph at the
    end of a line (a wrap at a space, ``1名专家经费补助标准 3000元/人``) is kept, and a
    wrap inside a word or between CJK characters joins with nothing."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(c["top"] - lines[-1][0]["top"]) < LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    out = ""
    for line in lines:
        prev = None
        for c in sorted(line, key=lambda c: c["x0"]):
            if (
                prev is not None
                and c["x0"] - prev["x1"] > WORD_GAP
                and c["text"] != " "
                and prev["text"] != " "
            ):
                out += " "
            out += c["text"]
            prev = c
    return out


def read_pdf(data: bytes) -> tuple[list[Line], list[DecodeWarning]]:
    """The PDF's lines, and a warning for every table continued with its first columns cut."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as err:
        version = data.lstrip()[:8].decode("ascii", "replace").strip()
        raise ContainerError(
            "pdf_unreadable",
            f"文件内容是 PDF（以「{version}」开头），但无法作为 PDF 打开（{type(err).__name__}），"
            "文件可能损坏、不完整或加密；期望一个完整、未加密的 PDF（或抽取后的文本）",
        ) from None
    with pdf:
        page_texts = [page.extract_text() or "" for page in pages]
        found = [page.find_tables(_TABLE_SETTINGS) for page in pages]
        problem = check_text_layer(page_texts, sum(len(t) for t in found))
        if problem is not None:
            raise problem
        state = _State()
        for number, (page, tables) in enumerate(zip(pages, found, strict=True), start=1):
            _read_page(page, tables, number, state)
    return state.lines()


EDGE_TOLERANCE = 2.0  # points: how far a continued table's left edge may be from a column edge
BAND = 24.0  # points: how far above/below a table a cut merged cell's text may be printed


@dataclass
class _Item:
    """A table row or a text line on a page, numbered once every page is read."""

    page: int
    top: float
    cells: list[SpanCell] | None = None
    text: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, message) warnings


@dataclass
class _Run:
    """Rows of one column that have no ruled cell of their own: a merged cell whose lines
    LibreOffice did not draw (it is cut by a page break). ``holder`` is the cell of its top row,
    where a TAB extraction prints the merged text; ``top``/``bottom`` its vertical extent."""

    holder: SpanCell
    top: float
    bottom: float
    open_top: bool  # continues a run from the previous page
    open_bottom: bool  # reaches the bottom of the table
    ruled: bool = False  # a drawn cell reaching the table's bottom (its text may be printed again)
    below: float = 0.0  # how far below the table its text may be printed
    above: float = 0.0  # how far above the table (first on its page) its text may be printed
    rows: range = range(0)  # the table's rows it covers


@dataclass
class _State:
    """What a page needs from the pages before it: the column edges of the last table that
    starts at the left edge, the runs open at the bottom of the last table, and the items."""

    edges: list[float] = field(default_factory=list)
    open: dict[int, _Run] = field(default_factory=dict)
    items: list[_Item] = field(default_factory=list)

    def offset(self, table) -> int:
        """How many columns a continued table lacks at its left (their lines were not drawn)."""
        x0 = table.bbox[0]
        if not self.edges or x0 <= self.edges[0] + EDGE_TOLERANCE:
            return 0
        return next((k for k, e in enumerate(self.edges) if abs(e - x0) <= EDGE_TOLERANCE), 0)

    def column(self, x: float) -> int | None:
        """The column (by the remembered edges) that an x position falls in."""
        inside = [k for k, e in enumerate(self.edges) if e - EDGE_TOLERANCE <= x]
        return inside[-1] if inside else None

    def lines(self) -> tuple[list[Line], list[DecodeWarning]]:
        out: list[Line] = []
        warnings: list[DecodeWarning] = []
        for number, item in enumerate(self.items, start=1):
            if item.cells is None:
                out.append(text_line(number, item.text, page=item.page))
            else:
                out.append(to_line(number, item.cells, page=item.page))
            warnings.extend(DecodeWarning(number, code, message) for code, message in item.notes)
        return out, warnings


def _read_page(page, tables, page_number: int, state: _State) -> None:
    """Table rows, cut merged cells' text put back in their top cell, and the text lines
    outside tables, top to bottom."""
    items: list[_Item] = []
    runs: list[tuple[object, dict[int, list[_Run]]]] = []
    taken: set[int] = set()  # characters read into a drawn cell
    for k, table in enumerate(tables):
        offset = state.offset(table)
        rows = [[SpanCell("") for _ in range(offset)] + row for row in _table_rows(table, page.chars, taken)]
        table_items = [
            _Item(page_number, row.bbox[1], cells) for row, cells in zip(table.rows, rows, strict=True)
        ]
        if offset and table_items:
            table_items[0].notes.append(_shift_note(page_number, offset))
        continued = state.open if k == 0 else {}
        table_runs = _runs(table, offset, rows, continued, state)
        if k == 0:
            _continued_rows(table_runs)
        runs.append((table, table_runs))
        if offset == 0:
            state.edges = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})
        state.open = {c: r[-1] for c, r in table_runs.items() if r and r[-1].open_bottom}
        items.extend(table_items)
    if runs:
        for run in (r for rs in runs[-1][1].values() for r in rs if r.open_bottom):
            run.below = page.height - run.bottom
    orphans = [ch for ch in page.chars if not ch["text"].isspace() and id(ch) not in taken]
    placed, notes = _place_orphans(orphans, runs, state)
    boxes = [t.bbox for t in tables]
    loose = page.filter(
        lambda obj: obj.get("object_type") != "char" or (id(obj) not in placed and not _in_any(obj, boxes))
    )
    for line in loose.extract_text_lines():
        items.append(_Item(page_number, line["top"], text=line["text"]))
    items.sort(key=lambda item: item.top)
    if notes and items:
        items[0].notes.extend(notes)
    state.items.extend(items)


def _continued_rows(table_runs) -> None:
    """The first table on a page: its runs continued from the last page may print their text
    up to the page's top (LibreOffice prints a cut merged cell's text on each part)."""
    for run in (r for rs in table_runs.values() for r in rs if r.open_top):
        run.above = float("inf")  # LibreOffice may print it even above the page (negative y)


def _in_any(ch: dict, boxes) -> bool:
    return any(_inside([ch], box) for box in boxes)


def _runs(table, offset: int, rows, continued: dict[int, _Run], state: _State) -> dict[int, list[_Run]]:
    """Per column, the runs of rows with no ruled cell (a merge whose lines were not drawn)."""
    width = offset + max((len(r.cells) for r in table.rows), default=0)
    out: dict[int, list[_Run]] = {}
    last = len(table.rows) - 1
    for c in range(width):
        runs: list[_Run] = []
        start = None
        for i, row in enumerate(table.rows):
            ruled = c >= offset and row.cells[c - offset] is not None
            covered = c >= offset and not ruled and _covered_by_ruled(table, i, c - offset)
            if ruled or covered:
                if start is not None:
                    runs.append(_run(table, rows, start, i - 1, c, continued, last))
                    start = None
            elif start is None:
                start = i
        if start is not None:
            runs.append(_run(table, rows, start, last, c, continued, last))
        elif c >= offset:
            runs.extend(_ruled_tail(table, rows, c, offset))
        out[c] = runs
    return out


def _ruled_tail(table, rows, c: int, offset: int) -> list[_Run]:
    """The drawn cell of column ``c`` that reaches the table's bottom, as a run whose text
    LibreOffice may print again below the table or on the next page."""
    for j in range(len(table.rows) - 1, -1, -1):
        box = table.rows[j].cells[c - offset]
        if box is not None:
            if box[3] < table.bbox[3] - EDGE_TOLERANCE:
                return []
            return [_Run(rows[j][c], box[1], box[3], open_top=False, open_bottom=True, ruled=True)]
    return []


def _covered_by_ruled(table, i: int, c: int) -> bool:
    """Whether cell (i, c) lies inside a ruled cell of a row above (a drawn merge) or left."""
    for j in range(i, -1, -1):
        row = table.rows[j]
        for k in range(c, -1, -1):
            box = row.cells[k]
            if box is None:
                continue
            x0, top, x1, bottom = box
            target = table.rows[i].bbox
            col_x = _col_x(table, c)
            if col_x is not None and x0 <= col_x < x1 and top <= (target[1] + target[3]) / 2 < bottom:
                return True
            break
    return False


def _col_x(table, c: int) -> float | None:
    """The middle of column ``c`` of a table (from any row that has a ruled cell there)."""
    for row in table.rows:
        box = row.cells[c] if c < len(row.cells) else None
        if box is not None:
            return (box[0] + min(box[2], box[0] + 5)) / 2
    return None


def _run(table, rows, start: int, end: int, c: int, continued: dict[int, _Run], last: int) -> _Run:
    top, bottom = table.rows[start].bbox[1], table.rows[end].bbox[3]
    prior = continued.get(c) if start == 0 else None
    holder = prior.holder if prior is not None else rows[start][c]
    return _Run(
        holder, top, bottom, open_top=prior is not None, open_bottom=end == last, rows=range(start, end + 1)
    )


def _place_orphans(orphans, runs, state: _State) -> tuple[set[int], list[tuple[str, str]]]:
    """Characters in no ruled cell that lie in a run (or just above a continued one, just below
    one reaching the table's bottom) are that merged cell's text: put in its top cell when it
    is empty, dropped when they repeat it (printed again on the next page), else said."""
    groups: dict[int, tuple[_Run, list[dict]]] = {}
    for ch in orphans:
        run = _run_at(ch, runs, state)
        if run is not None:
            groups.setdefault(id(run), (run, []))[1].append(ch)
    placed: set[int] = set()
    notes: list[tuple[str, str]] = []
    for run, chars in groups.values():
        for block in sorted(blocks(chars), key=lambda blk: _distance(blk, run)):
            text = cell_text(block).strip()
            inside = _distance(block, run) == 0
            if run.holder.text.strip() == text or (not run.ruled and not run.holder.text.strip()):
                run.holder.text = run.holder.text or text
                placed.update(id(ch) for ch in block)
            elif inside and not run.ruled:
                notes.append(("pdf_merged_cell_cut", _cut_message(run.holder.text, text)))
    return placed, notes


BLOCK_GAP = 0.6  # share of the font size: a wider gap between two printed lines starts a new block


def blocks(chars: list[dict]) -> list[list[dict]]:
    """Characters cut into blocks of printed lines that follow each other closely (pure): the
    lines of one cell's text, apart from a title printed further below the table."""
    out: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if out and c["top"] - max(d["bottom"] for d in out[-1]) < BLOCK_GAP * (c["bottom"] - c["top"]):
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _distance(block: list[dict], run: _Run) -> float:
    """How far a block lies outside a run's drawn extent (0 inside)."""
    top, bottom = min(c["top"] for c in block), max(c["bottom"] for c in block)
    return max(run.top - bottom, top - run.bottom, 0.0)


def _run_at(ch: dict, runs, state: _State) -> _Run | None:
    y = (ch["top"] + ch["bottom"]) / 2
    c = state.column((ch["x0"] + ch["x1"]) / 2)
    if c is None:
        return None
    for _table, table_runs in runs:
        for run in table_runs.get(c, []):
            top = run.top - (max(BAND, run.above) if run.open_top else 0)
            bottom = run.bottom + (max(BAND, run.below) if run.open_bottom else 0)
            if top <= y < bottom and (run.open_top or run.open_bottom):
                return run
    return None


def _cut_message(kept: str, other: str) -> str:
    return (
        f"分页截断的合并单元格在两页上印的文字不同（「{kept}」与「{other}」），已保留前一页的文字，"
        "另一段作为单独的文字行；请对照 PDF 核对这一段的指标行"
    )


def _shift_note(page: int, offset: int) -> tuple[str, str]:
    return (
        "pdf_table_continued_shifted",
        f"第 {page} 页的表格从第 {offset + 1} 列才有框线（上一页的合并单元格被分页截断），已按上一页表格的列对齐，"
        "被截断的合并单元格的文字已放回它的第一行；请对照 PDF 核对此页的指标行（期望每页的表格都有完整的框线）",
    )
