"""Bytes -> text: BOMs, UTF-8, GB18030; a clear error for what is not text (pure)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


class DecodeError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document; line endings normalised to ``\\n``."""
    if data.startswith(b"%PDF"):
        raise DecodeError("pdf_bytes", "文件内容是 PDF（以 %PDF 开头），不是抽取后的文本；请先用 PDF 转文本工具抽取")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc)
            return Decoded(_normalise(text), enc)
    try:
        text = data.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
            enc = "gb18030"
        except UnicodeDecodeError:
            raise DecodeError(
                "not_text",
                f"无法按 UTF-8 或 GB18030 解码（第 {utf8_error.start} 字节起不是文本），可能是二进制文件",
            ) from None
    return Decoded(_normalise(text), enc)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
