"""PDF documents -> lines, with pdfplumber; text-layer problems become reasons (bytes in, pure).

Each page in order: the ruled tables pdfplumber finds (``find_tables``, lines strategy),
their merged cells empty below and right of the text, and the text lines outside the tables
(titles, dates), top to bottom. ``Line.number`` is the line's place in reading order,
``Line.page`` its page. Before any row is read, the text layer is checked, and a PDF whose
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


def _table_rows(table, chars: list[dict]) -> list[list[SpanCell]]:
    """A pdfplumber table as rows of cells; a cell covered by a merge (``None``) is empty."""
    return [
        [SpanCell("" if box is None else cell_text(_inside(chars, box))) for box in row.cells]
        for row in table.rows
    ]


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
        out: list[Line] = []
        warnings: list[DecodeWarning] = []
        last = _Columns()
        for number, (page, tables) in enumerate(zip(pages, found, strict=True), start=1):
            out.extend(_page_lines(page, tables, number, len(out) + 1, last, warnings))
    return out, warnings


class _Columns:
    """The column edges of the last table that starts at the left edge: a table
    continued on the next page whose first columns are a merged cell cut by the page break
    starts further right (LibreOffice draws no lines for the cut part) and is shifted back."""

    def __init__(self) -> None:
        self.edges: list[float] = []

    def offset(self, table) -> int:
        x0 = table.bbox[0]
        if not self.edges or x0 <= self.edges[0] + EDGE_TOLERANCE:
            return 0
        return next((k for k, e in enumerate(self.edges) if abs(e - x0) <= EDGE_TOLERANCE), 0)

    def remember(self, table, offset: int) -> None:
        if offset == 0:
            self.edges = sorted({round(c[0], 1) for row in table.rows for c in row.cells if c is not None})


EDGE_TOLERANCE = 2.0  # points: how far a continued table's left edge may be from a column edge


def _page_lines(
    page, tables, page_number: int, start: int, columns: _Columns, warnings: list[DecodeWarning]
) -> list[Line]:
    """Text lines outside tables and table rows, top to bottom."""
    items: list[tuple[float, object]] = []
    shifted: dict[int, int] = {}  # id of a continued table's first row -> columns it was shifted by
    for table in tables:
        offset = columns.offset(table)
        rows = [[SpanCell("")] * offset + row for row in _table_rows(table, page.chars)]
        for row, cells in zip(table.rows, rows, strict=True):
            items.append((row.bbox[1], cells))
        if offset and rows:
            shifted[id(rows[0])] = offset
        columns.remember(table, offset)
    boxes = [t.bbox for t in tables]
    for line in page.extract_text_lines():
        mid = (line["top"] + line["bottom"]) / 2
        if any(
            x0 <= line["x0"] + 1 and line["x1"] - 1 <= x1 and top <= mid <= bottom
            for x0, top, x1, bottom in boxes
        ):
            continue
        items.append((line["top"], line["text"]))
    items.sort(key=lambda item: item[0])
    out: list[Line] = []
    for k, (_, item) in enumerate(items):
        number = start + k
        if id(item) in shifted:
            warnings.append(_shift_warning(number, page_number, shifted[id(item)]))
        out.append(
            text_line(number, item, page=page_number)
            if isinstance(item, str)
            else to_line(number, item, page=page_number)
        )
    return out


def _shift_warning(line: int, page: int, offset: int) -> DecodeWarning:
    return DecodeWarning(
        line,
        "pdf_table_continued_shifted",
        f"第 {page} 页的表格从第 {offset + 1} 列才有框线（上一页的合并单元格被分页截断），已按上一页表格的列对齐，"
        "被截断的合并单元格的文字可能单独成行；请对照 PDF 核对此页的指标行（期望每页的表格都有完整的框线）",
    )
