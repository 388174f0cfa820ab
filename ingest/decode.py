"""Bytes -> text: BOMs, UTF-8, GB18030/GBK, UTF-16; a clear reason for what is not text (pure).

``decode_bytes`` either returns the text (line endings normalised to ``\\n``) with the
warnings a reader should see, or raises ``DecodeError`` with a reason code and a sentence
saying what the bytes are instead and what was expected. Messages name lines where there
are lines; the caller prefixes the file name.

Decisions (see ``docs``/the issue note for the reasoning):

* Encodings, in order: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins; then UTF-16
  without a BOM when the NUL bytes fall on one byte parity (how ASCII-heavy UTF-16 looks);
  then UTF-8; then GB18030 (a superset of GBK and GB2312, which Chinese government
  offices still save text in). A UTF-8 file with a handful of damaged bytes stays UTF-8
  (damaged bytes become U+FFFD with a warning naming their lines) instead of being
  misread as GB18030 mojibake: GBK text read as UTF-8 fails on most Chinese characters,
  a damaged UTF-8 file on a few.
* NUL bytes and other control characters: a PDF-to-text tool sometimes emits a stray
  NUL (or another C0 control) for a glyph it cannot map; those are removed with a
  warning naming the lines. Binary content is dense with them (images, Office files and
  compressed data are typically 5-30 % NUL/control bytes), so above
  ``MAX_CONTROL_SHARE`` (1 %) of the characters the file is refused as ``not_text``.
* Known binary formats (PDF, ZIP/Office, OLE, images, archives) are named by their magic
  bytes so the reason says *what* was put under the ``.txt`` name.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

MAX_CONTROL_SHARE = 0.01  # above this share of control characters a file is binary, not text
_SHOW_LINES = 8  # how many line numbers a warning lists before "…"


class DecodeError(ValueError):
    """The bytes are not a text document; ``code`` is the reason code, ``message`` the sentence."""

    def __init__(self, code: str, message: str, line: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass(frozen=True)
class DecodeWarning:
    line: int | None
    code: str
    message: str


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[DecodeWarning, ...] = field(default=())


_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"),
    (b"\x84\x31\x95\x33", "gb18030", "GB18030"),  # U+FEFF in GB18030: Windows tools write it too
)

# (magic bytes, what the file is) for formats people put under a .txt name by mistake
_MAGIC = (
    (b"PK\x03\x04", "ZIP 压缩包（.docx/.xlsx/.wps 等 Office 文件也是这种格式）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 文件（.doc/.xls/.wps）"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"BZh", "bzip2 压缩文件"),
    (b"\xfd7zXZ\x00", "xz 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"\x7fELF", "可执行文件（ELF）"),
    (b"MZ", "Windows 可执行文件"),
    (b"{\\rtf", "RTF 富文本文件（不是抽取后的纯文本）"),
    (b"SQLite format 3\x00", "SQLite 数据库"),
    (b"PAR1", "Parquet 文件"),
)

_EXPECTED = "期望 PDF 抽取后的纯文本（UTF-8 或 GB18030/GBK 编码，单元格以 TAB 分隔）"

# C0 controls other than TAB, LF, VT, FF, CR; DEL; C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document; line endings normalised to ``\\n``; raise ``DecodeError`` if not text."""
    if not data:
        raise DecodeError("empty_file", f"文件为空（0 字节）；{_EXPECTED}")
    _refuse_known_binary(data)
    warnings: list[DecodeWarning] = []
    text, encoding = _decode(data, warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _remove_controls(text, warnings)
    if not text.strip():
        if text:
            raise DecodeError(
                "whitespace_only",
                f"文件只有空白（{len(data)} 字节的空格、TAB 或换行），没有任何文字；{_EXPECTED}",
            )
        raise DecodeError("empty_file", f"文件除字节顺序标记（BOM）或控制字符外没有内容；{_EXPECTED}")
    return Decoded(text, encoding, tuple(warnings))


def _refuse_known_binary(data: bytes) -> None:
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if stripped.startswith(b"%PDF"):
        version = stripped[:8].decode("ascii", "replace").strip()
        raise DecodeError(
            "pdf_bytes",
            f"文件内容是 PDF（以「{version}」开头），不是抽取后的文本；请先用 PDF 转文本工具抽取，{_EXPECTED}",
        )
    for magic, what in _MAGIC:
        # Short printable signatures (MZ, BZh, PAR1) could begin a text: trust them only with binary bytes.
        if data.startswith(magic) and (len(magic) > 3 and not magic.isalnum() or b"\x00" in head):
            space = " " if what[0].isascii() else ""
            raise DecodeError(
                "not_text", f"文件内容是{space}{what}，不是文本（文件头为 {magic[:4].hex(' ')}）；{_EXPECTED}"
            )


def _decode(data: bytes, warnings: list[DecodeWarning]) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text, errors = _decode_counting(data, codec, len(bom))
            if errors.count * 20 > max(len(text), 1):
                raise DecodeError(
                    "not_text",
                    f"文件以 {label} 字节顺序标记（BOM）开头，但有 {errors.count} 处字节不是有效的 {label}"
                    f"（第一处在此行），像是二进制内容；{_EXPECTED}",
                    errors.lines[0],
                )
            _damage_warning(errors, label, warnings)
            return text, {"utf-8": "utf-8-sig", "gb18030": "gb18030-bom"}.get(codec, codec)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text, errors = _decode_counting(data, utf16)
        if errors.count * 20 <= max(len(text), 1):
            label = utf16.upper().replace("UTF-16-", "UTF-16")
            warnings.append(
                DecodeWarning(
                    None,
                    "encoding_guessed",
                    f"文件没有字节顺序标记（BOM），按 NUL 字节的分布判断为 {label} 并据此解码（期望 UTF-8，或带 BOM 的 UTF-16）",
                )
            )
            _damage_warning(errors, label, warnings)
            return text, utf16

    utf8, utf8_errors = _decode_counting(data, "utf-8")
    if not utf8_errors.count:
        return utf8, "utf-8"
    ascii_bytes = len(data) - len(data.translate(None, _ASCII))
    good_non_ascii = len(utf8) - ascii_bytes - utf8_errors.count
    if utf8_errors.count * 20 <= good_non_ascii:
        # Mostly valid UTF-8 with a few damaged bytes: GB18030 would misread every character.
        _damage_warning(utf8_errors, "UTF-8", warnings)
        return utf8, "utf-8"
    mixed = _decode_mixed(data, warnings)
    if mixed is not None:
        return mixed, "utf-8+gb18030"
    gb, gb_errors = _decode_counting(data, "gb18030")
    if not gb_errors.count:
        return gb, "gb18030"
    if gb_errors.count * 20 <= max(len(gb), 1) and gb_errors.count < utf8_errors.count:
        _damage_warning(gb_errors, "GB18030", warnings)
        return gb, "gb18030"
    line = utf8_errors.lines[0] if utf8_errors.lines else 1
    raise DecodeError(
        "not_text",
        f"无法按 UTF-8 或 GB18030/GBK 解码：按 UTF-8 有 {utf8_errors.count} 处、按 GB18030 有 {gb_errors.count} 处"
        f"无效字节（第一处在此行，文件第 {utf8_errors.first_byte} 字节），像是二进制文件或其他编码；{_EXPECTED}",
        line,
    )


_LINE_BREAK = re.compile(rb"(\r\n|\r|\n)")
_THREE_BYTE_UTF8 = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def _decode_mixed(data: bytes, warnings: list[DecodeWarning]) -> str | None:
    """A file whose lines are partly UTF-8 and partly GB18030 (two files pasted together).

    A line is UTF-8 evidence when it decodes as UTF-8 and holds at least two 3-byte
    characters (GBK text almost never does); GB18030 evidence when it is not valid UTF-8.
    With at least two lines of each, every line is decoded on its own: UTF-8 if it can be,
    else GB18030. Returns None when the file is not mixed.
    """
    parts = _LINE_BREAK.split(data)
    lines = parts[0::2]
    utf8_lines = gb_lines = 0
    kinds: list[str] = []
    for raw in lines:
        if raw.isascii():
            kinds.append("ascii")
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            kinds.append("gb")
            gb_lines += 1
            continue
        kinds.append("utf8")
        if len(_THREE_BYTE_UTF8.findall(raw)) >= 2:
            utf8_lines += 1
    if utf8_lines < 2 or gb_lines < 2:
        return None
    out: list[str] = []
    gb_numbers: list[int] = []
    damaged: list[int] = []
    for number, (raw, kind) in enumerate(zip(lines, kinds, strict=True), start=1):
        if kind == "gb":
            text, errors = _decode_counting(raw, "gb18030")
            gb_numbers.append(number)
            if errors.count:
                damaged.append(number)
        else:
            text = raw.decode("utf-8") if kind == "utf8" else raw.decode("ascii")
        out.append(text)
    runs = _runs(gb_numbers, kinds)
    warnings.append(
        DecodeWarning(
            gb_numbers[0],
            "mixed_encoding",
            f"文件混用了两种编码：{len(gb_numbers)} 行（{runs}）按 GB18030/GBK 解码，其余按 UTF-8"
            f"{f'，其中{_short_list(damaged)}仍有无效字节，已替换为 �' if damaged else ''}"
            "（期望整份文件为同一种编码，常见于把两个文件拼在一起）",
        )
    )
    return "\n".join(out)


def _runs(numbers: list[int], kinds: list[str]) -> str:
    """``第 3–9、15 行`` for lines [3, 5, 9, 15] when only ASCII lines lie between 3 and 9."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and all(kinds[k - 1] == "ascii" for k in range(runs[-1][1] + 1, n)):
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    shown = "、".join(f"{a}–{b}" if a != b else str(a) for a, b in runs[:_SHOW_LINES])
    return f"第 {shown} 行{'等' if len(runs) > _SHOW_LINES else ''}"


def _short_list(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:_SHOW_LINES])
    return f"第 {shown} 行{'等' if len(numbers) > _SHOW_LINES else ''}"


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one byte parity (ASCII-heavy UTF-16), else None."""
    sample = data[:65536]
    if len(sample) < 4 or len(data) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.1 * half and even <= 0.01 * half:
        return "utf-16-le"
    if even >= 0.1 * half and odd <= 0.01 * half:
        return "utf-16-be"
    return None


class _Errors:
    """Invalid byte sequences seen while decoding: how many, and the lines of the first ones."""

    def __init__(self) -> None:
        self.count = 0
        self.positions: list[int] = []  # byte offsets of the first errors
        self.lines: list[int] = []  # their 1-based lines, sorted, unique

    @property
    def first_byte(self) -> int:
        return self.positions[0] if self.positions else 0


_ASCII = bytes(range(128))
_collector = threading.local()
_KEEP_POSITIONS = 64


def _count_and_replace(err: UnicodeError) -> tuple[str, int]:
    errors: _Errors = _collector.errors
    errors.count += 1
    if len(errors.positions) < _KEEP_POSITIONS:
        errors.positions.append(err.start)  # type: ignore[attr-defined]
    return "\ufffd", err.end  # type: ignore[attr-defined]


codecs.register_error("jixiao-count", _count_and_replace)


def _decode_counting(data: bytes, codec: str, skip: int = 0) -> tuple[str, _Errors]:
    """Decode ``data[skip:]`` replacing invalid bytes with U+FFFD; count them and find their lines."""
    errors = _Errors()
    _collector.errors = errors
    try:
        text = data[skip:].decode(codec, errors="jixiao-count")
    finally:
        _collector.errors = None
    if errors.count:
        if codec in ("utf-8", "gb18030"):  # LF/CR bytes never occur inside a multi-byte character
            lines = set(_lines_of_bytes(data, [skip + p for p in errors.positions]))
        else:
            unit = 4 if codec.startswith("utf-32") else 2
            lines = {
                _line_of_char(data[skip : skip + p - p % unit].decode(codec, errors="replace"))
                for p in errors.positions[: _SHOW_LINES * 2]
            }
        errors.lines = sorted(lines)
    return text, errors


def _damage_warning(errors: _Errors, label: str, warnings: list[DecodeWarning]) -> None:
    if not errors.count:
        return
    where = _lines_phrase(errors.lines, errors.count > len(errors.positions))
    warnings.append(
        DecodeWarning(
            errors.lines[0],
            "invalid_bytes_replaced",
            f"有 {errors.count} 处字节不是有效的 {label}{where}，已替换为 �（期望整份文件为同一种编码）",
        )
    )


def _remove_controls(text: str, warnings: list[DecodeWarning]) -> str:
    count = 0
    nul = 0
    first: list[int] = []
    for m in _CONTROL.finditer(text):
        count += 1
        if m.group() == "\x00":
            nul += 1
        if len(first) < _KEEP_POSITIONS:
            first.append(m.start())
    if not count:
        return text
    share = count / len(text)
    lines = sorted({text.count("\n", 0, pos) + 1 for pos in first})
    if nul == count:
        what = f"{nul} 个 NUL 字节（\\x00）"
    elif nul:
        what = f"{count} 个控制字符（其中 NUL 字节 {nul} 个）"
    else:
        what = f"{count} 个控制字符"
    if share > MAX_CONTROL_SHARE and count > 2:
        hint = "（可能是没有字节顺序标记的 UTF-16 文本，请另存为 UTF-8）" if nul / len(text) > 0.1 else ""
        raise DecodeError(
            "not_text",
            f"文件含 {what}，占全部字符的 {share:.1%}（第一个在此行），是二进制内容而不是文本{hint}"
            f"（偶发的少量控制字符会被删除，超过 {MAX_CONTROL_SHARE:.0%} 视为二进制）；{_EXPECTED}",
            lines[0],
        )
    warnings.append(
        DecodeWarning(
            lines[0],
            "control_chars_removed",
            f"有 {what}{_lines_phrase(lines, count > len(first))}，已删除（PDF 抽取偶尔产生；期望纯文本中没有控制字符）",
        )
    )
    return _CONTROL.sub("", text)


def _lines_phrase(lines: list[int], more: bool) -> str:
    """``（在第 7、30 行）`` when more than one line is concerned (the issue's line is the first)."""
    if len(lines) < 2 and not more:
        return ""
    shown = "、".join(str(n) for n in lines[:_SHOW_LINES])
    return f"（在第 {shown} 行{'等' if more or len(lines) > _SHOW_LINES else ''}）"


def _line_of_char(text: str) -> int:
    """1-based line at the end of ``text``, whose line breaks may be CRLF, CR or LF."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _lines_of_bytes(data: bytes, positions: list[int]) -> list[int]:
    """1-based lines of sorted byte offsets (none of which is a CR or LF byte), in one pass."""
    out: list[int] = []
    line, prev = 1, 0
    view = memoryview(data)
    for pos in sorted(positions):
        seg = bytes(view[prev:pos])
        line += seg.count(b"\n") + seg.count(b"\r") - seg.count(b"\r\n")
        prev = pos
        out.append(line)
    return out


def identity_text(text: str) -> str:
    """The text a document's identity is taken from (pure): the decoded text without what a
    re-save changes: line-ending style, trailing white space on a line, blank lines. The same
    document saved as GB18030 with CRLF and a BOM has the same identity text as the original."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(kept for kept in (line.rstrip() for line in lines) if kept)
