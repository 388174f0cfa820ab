"""Bytes -> text (issue 7): encodings decode to the same rows, non-text is refused with a reason."""

from __future__ import annotations

import codecs
import time

import pytest

from ingest.decode import DecodeError, decode_bytes
from ingest.parse import parse_document
from tests.conftest import SAMPLES, sample_text


def _rows(text: str, name: str) -> tuple:
    parsed = parse_document(text, SAMPLES[name], name)
    projects = [(p.project_seq, p.project_name, p.source_line, dict(p.funding_printed)) for p in parsed.projects]
    indicators = [
        (i.project_seq, i.indicator_seq, i.source_line, i.level1, i.level2, i.indicator_name, i.target_text)
        for i in parsed.indicators
    ]
    return projects, indicators


def _refused(data: bytes) -> DecodeError:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    return info.value


# --------------------------------------------------------------------------- nothing to read
def test_empty_file():
    err = _refused(b"")
    assert err.code == "empty_file"
    assert "文件为空（0 字节）" in err.message and "期望" in err.message


def test_whitespace_only():
    err = _refused(b" \t\r\n\n   \r\n\t")
    assert err.code == "whitespace_only"
    assert "只有空白" in err.message and "期望" in err.message


def test_bom_only_is_empty():
    assert _refused(codecs.BOM_UTF8).code == "empty_file"


# --------------------------------------------------------------------------- not text
def test_pdf_bytes():
    err = _refused(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert err.code == "pdf_bytes"
    assert "「%PDF-1.7」" in err.message and "PDF 转文本" in err.message


def test_pdf_bytes_after_a_bom_or_blank_lines():
    assert _refused(codecs.BOM_UTF8 + b"\r\n%PDF-1.4\n...").code == "pdf_bytes"


@pytest.mark.parametrize(
    "head, what",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ],
)
def test_known_binary_formats_are_named(head, what):
    err = _refused(head + bytes(range(256)))
    assert err.code == "not_text" and what in err.message


def test_random_binary_is_not_text():
    data = bytes((i * 7919 + 13) % 256 for i in range(20000))
    err = _refused(data)
    assert err.code == "not_text" and "二进制" in err.message and err.line is not None


def test_dense_nul_bytes_are_binary():
    text = sample_text("pingluo")
    data = b"\x00".join(text.encode()[i : i + 20] for i in range(0, 4000, 20))  # a NUL every 20 bytes
    err = _refused(data)
    assert err.code == "not_text"
    assert "NUL" in err.message and "超过 1% 视为二进制" in err.message


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb18030_and_gbk_give_the_same_rows_as_utf8(sample, encoding):
    text = sample_text(sample)
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.encoding == "gb18030"
    assert decoded.text == text and decoded.warnings == ()
    assert _rows(decoded.text, sample) == _rows(text, sample)


@pytest.mark.parametrize(
    "prefix, encoding, label",
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
def test_byte_order_marks(sample, prefix, encoding, label):
    text = sample_text(sample)
    decoded = decode_bytes(prefix + text.encode(encoding))
    assert decoded.encoding == label
    assert decoded.text == text and decoded.warnings == ()


def test_utf16_without_bom_is_recognised_with_a_warning():
    text = sample_text("pingluo")
    decoded = decode_bytes(text.encode("utf-16-le"))
    assert decoded.text == text
    assert [w.code for w in decoded.warnings] == ["encoding_guessed"]
    assert "UTF-16LE" in decoded.warnings[0].message


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_keep_line_numbers(sample, newline):
    text = sample_text(sample)
    decoded = decode_bytes(text.replace("\n", newline).encode())
    assert decoded.text == text
    assert _rows(decoded.text, sample) == _rows(text, sample)


def test_mixed_line_endings():
    decoded = decode_bytes(b"a\r\nb\rc\nd")
    assert decoded.text == "a\nb\nc\nd"


def test_sparse_nul_bytes_are_removed_with_their_lines():
    text = sample_text("pingluo")
    lines = text.split("\n")
    lines[6] = lines[6][:3] + "\x00" + lines[6][3:]
    lines[29] = "\x00" + lines[29]
    decoded = decode_bytes("\n".join(lines).encode())
    assert decoded.text == text
    (warning,) = decoded.warnings
    assert warning.code == "control_chars_removed" and warning.line == 7
    assert "2 个 NUL 字节" in warning.message and "第 7、30 行" in warning.message


def test_a_few_damaged_bytes_keep_utf8_and_name_the_line():
    text = sample_text("ningxia")
    data = text.encode()
    cut = data.index("\n".join(text.split("\n")[:99]).encode()) + len("\n".join(text.split("\n")[:99]).encode())
    damaged = data[: cut + 1] + b"\xff\xfe" + data[cut + 1 :]  # two stray bytes at the start of line 100
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "utf-8"
    (warning,) = decoded.warnings
    assert warning.code == "invalid_bytes_replaced" and warning.line == 100
    assert "不是有效的 UTF-8" in warning.message and "�" in decoded.text.split("\n")[99]


def test_mixed_utf8_and_gb18030_halves():
    text = sample_text("ningxia")
    lines = text.split("\n")
    half = len(lines) // 2
    data = "\n".join(lines[:half]).encode() + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    decoded = decode_bytes(data)
    assert decoded.text == text
    (warning,) = decoded.warnings
    assert warning.code == "mixed_encoding" and warning.line >= half
    assert "GB18030" in warning.message
    assert _rows(decoded.text, "ningxia") == _rows(text, "ningxia")


def test_a_10_mb_line_decodes_quickly():
    data = sample_text("pingluo").encode() + b"\n" + "很长".encode() * 1_700_000
    started = time.perf_counter()
    decoded = decode_bytes(data)
    assert time.perf_counter() - started < 5
    assert decoded.text.endswith("很长")


@pytest.mark.parametrize("sample", ["pingluo"])
def test_a_gb18030_bom_is_read_and_dropped(sample):
    text = sample_text(sample)
    decoded = decode_bytes(b"\x84\x31\x95\x33" + text.encode("gb18030"))
    assert decoded.encoding == "gb18030-bom" and decoded.text == text


@pytest.mark.parametrize(
    "resave",
    [
        lambda t: t.replace("\n", "\r\n"),  # CRLF
        lambda t: "\n".join(line + "  \t" for line in t.split("\n")),  # trailing white space
        lambda t: t.replace("\n", "\n\n") + "\n\n\n",  # blank lines
    ],
    ids=["crlf", "trailing", "blank_lines"],
)
def test_identity_text_ignores_what_a_resave_changes(resave):
    from ingest.decode import identity_text

    text = sample_text("pingluo")
    assert identity_text(decode_bytes(resave(text).encode("utf-8")).text) == identity_text(text)


def test_identity_text_keeps_what_the_document_says():
    from ingest.decode import identity_text

    text = sample_text("pingluo")
    assert identity_text(text.replace("13.49", "14.49", 1)) != identity_text(text)
    cell = "项目名称\t政府长聘人员经费"
    assert cell in text
    assert identity_text(text.replace(cell, "项目名称  政府长聘人员经费")) != identity_text(text)  # a cell boundary
