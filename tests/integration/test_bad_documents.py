"""Bad documents get a clear reason and lose nothing (issue 7): one test per case.

Each case builds a damaged document from the samples and checks what a user sees: the
outcome (loaded / loaded_with_warnings / quarantined), the reason code, and a reason
sentence that names the file, the line when there is one, and what was expected. The
file-system cases go through ``jixiao.reading``; the folder cases through
``ingest_folder``; one end-to-end refresh checks the exit code, the summary,
``jixiao quarantine`` and the warehouse's ``ops`` tables.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import duckdb
import pytest

from ingest.writer import document_rows
from jixiao import exitcodes, reading, registry
from jixiao.landing import DocumentOutcome, ingest_folder, land_document
from jixiao.reading import Unreadable, read_document
from jixiao.registry import document_id_for
from tests.conftest import DOCUMENTS, SAMPLES, sample_text
from tests.lake_support import live_ids

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
PINGLUO = sample_text("pingluo")
NINGXIA = sample_text("ningxia")
P_LINES = PINGLUO.split("\n")
GRID_CAPTION = next(i for i, line in enumerate(P_LINES) if line.startswith("名称"))  # 0-based


def land(lake: Path, name: str, data: bytes) -> DocumentOutcome:
    return land_document(Path(name), data, document_id_for(data), lake)


def landed(lake: Path, table: str, data: bytes) -> list[dict]:
    return document_rows(lake, table, document_id_for(data)).to_pylist()


def issues(lake: Path, data: bytes) -> list[tuple[int | None, str, str]]:
    return [(r["source_line"], r["issue_code"], r["message"]) for r in landed(lake, "raw_parse_issues", data)]


def comparable(rows: list[dict]) -> list[dict]:
    drop = {"document_id", "source_file"}
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


def quarantined(outcome: DocumentOutcome, code: str, name: str) -> str:
    assert outcome.status == "quarantined", outcome
    assert outcome.reason_code == code, outcome
    assert outcome.reason.startswith(name), outcome.reason
    assert "期望" in outcome.reason, outcome.reason  # says what was expected
    assert not outcome.rows
    return outcome.reason


def lines(rows: list[str]) -> bytes:
    return "\n".join(rows).encode()


@pytest.fixture
def lake(tmp_path) -> Path:
    return tmp_path / "lake"


# =========================================================================== nothing to read
def test_empty_file(lake):
    reason = quarantined(land(lake, "empty.txt", b""), "empty_file", "empty.txt")
    assert reason.startswith("empty.txt：文件为空（0 字节）")
    assert not (lake / "raw").exists()  # nothing written


def test_whitespace_only(lake):
    reason = quarantined(land(lake, "blank.txt", b"  \n\t\t\n\r\n   "), "whitespace_only", "blank.txt")
    assert "只有空白" in reason


def test_text_with_no_tables(lake):
    data = "关于公开2025年部门预算的说明\n各单位：\n\n请按要求公开。\n".encode()
    reason = quarantined(land(lake, "notice.txt", data), "no_tables", "notice.txt")
    assert "全文 5 行都没有找到“项目名称”表头" in reason
    assert "「关于公开2025年部门预算的说明」" in reason  # the text as printed
    assert "期望每个项目以“项目名称”开头的表格" in reason


# =========================================================================== not text
def test_binary_content_under_a_txt_name(lake):
    data = bytes((i * 7919 + 13) % 256 for i in range(50_000))
    reason = quarantined(land(lake, "blob.txt", data), "not_text", "blob.txt")
    assert "二进制" in reason


def test_office_file_under_a_txt_name(lake):
    data = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 4
    reason = quarantined(land(lake, "table.txt", data), "not_text", "table.txt")
    assert "ZIP 压缩包（.docx/.xlsx/.wps 等 Office 文件也是这种格式）" in reason


def test_pdf_bytes_under_a_txt_name(lake):
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + bytes(
        range(256)
    )
    # read as a PDF whatever its name (the reader is chosen by content); these bytes are no whole PDF
    reason = quarantined(land(lake, "scan.txt", data), "pdf_unreadable", "scan.txt")
    assert "文件内容是 PDF（以「%PDF-1.7」开头），但无法作为 PDF 打开" in reason


# =========================================================================== encodings
@pytest.mark.parametrize(
    "encoding, prefix, expected_encoding",
    [
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ],
)
def test_encodings_load_the_same_rows_as_utf8(lake, sample, encoding, prefix, expected_encoding):
    text = sample_text(sample)
    utf8 = text.encode()
    other = prefix + text.encode(encoding)
    assert land(lake, "utf8.txt", utf8).status == "loaded"
    outcome = land(lake, f"{encoding}.txt", other)
    assert outcome.status == "loaded" and outcome.reason is None
    assert landed(lake, "raw_documents", other)[0]["encoding"] == expected_encoding
    for table in ("raw_projects", "raw_indicators"):
        assert comparable(landed(lake, table, other)) == comparable(landed(lake, table, utf8)), table


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_endings(lake, newline):
    utf8 = PINGLUO.encode()
    other = PINGLUO.replace("\n", newline).encode()
    land(lake, "lf.txt", utf8)
    assert land(lake, "crlf.txt", other).status == "loaded"
    for table in ("raw_projects", "raw_indicators"):
        assert comparable(landed(lake, table, other)) == comparable(landed(lake, table, utf8)), table


def test_a_few_nul_bytes_are_removed_and_reported(lake):
    rows = list(P_LINES)
    rows[15] = rows[15].replace("开展", "开\x00展", 1)  # line 16, inside an indicator name
    data = lines(rows)
    outcome = land(lake, "nul.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "control_chars_removed"
    assert outcome.reason.startswith("nul.txt 第 16 行：有 1 个 NUL 字节（\\x00），已删除")
    assert len(landed(lake, "raw_indicators", data)) == 77
    assert not any("\x00" in r["line_printed"] for r in landed(lake, "raw_indicators", data))


def test_dense_nul_bytes_mean_binary(lake):
    data = b"\x00".join(PINGLUO.encode()[i : i + 30] for i in range(0, len(PINGLUO.encode()), 30))
    reason = quarantined(land(lake, "nuls.txt", data), "not_text", "nuls.txt")
    assert "NUL 字节" in reason and "超过 1% 视为二进制" in reason


# =========================================================================== damaged tables
def test_table_cut_off_mid_grid(lake):
    # pingluo line 145 is inside project 6's grid (before its 满意度指标 row): the file ends there.
    data = lines(P_LINES[:145])
    outcome = land(lake, "cut.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "table_truncated"
    assert "cut.txt 第 " in outcome.reason and "表格可能在此被截断" in outcome.reason
    assert "期望指标表以“满意度指标”结束" in outcome.reason
    projects = landed(lake, "raw_projects", data)
    assert len(projects) == 6 and "table_truncated" in projects[-1]["parse_flags"]
    cut_rows = landed(lake, "raw_indicators", data)
    assert all(r["source_line"] <= 145 for r in cut_rows)  # rows before the cut, none invented


def test_table_cut_off_mid_line(lake):
    data = PINGLUO[: PINGLUO.index("\t1 次")].encode()  # ends inside a grid row, before its value
    outcome = land(lake, "cutline.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "table_truncated"
    assert "没有指标值：表格可能在此被截断" in outcome.reason
    assert "「警示教育片」" in outcome.reason  # the row as printed


def test_header_block_with_no_indicator_grid(lake):
    data = lines(P_LINES[:GRID_CAPTION])
    reason = quarantined(land(lake, "header.txt", data), "no_indicators", "header.txt")
    assert "找到 1 个项目表头（第 7 行「政府长聘人员经费」），但没有任何一行指标" in reason
    assert "期望每个表头块之后有“一级指标 二级指标 三级指标 指标值”标题行及指标行" in reason


def test_one_project_without_grid_in_a_sound_document(lake):
    grid_end = next(i for i in range(GRID_CAPTION, len(P_LINES)) if P_LINES[i].startswith("##"))
    data = lines(P_LINES[:GRID_CAPTION] + P_LINES[grid_end:])  # project 1 loses its whole grid
    outcome = land(lake, "nogrid.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "grid_missing"
    assert outcome.reason.startswith(
        "nogrid.txt 第 7 行：项目「政府长聘人员经费」的表头之后没有指标表，只载入表头"
    )
    projects = landed(lake, "raw_projects", data)
    assert len(projects) == 8 and "grid_missing" in projects[0]["parse_flags"]
    assert projects[0]["annual_total_printed"] == "13.49"  # its printed money still loads


def test_indicator_grid_with_no_header(lake):
    data = lines(P_LINES[GRID_CAPTION : GRID_CAPTION + 14])
    reason = quarantined(land(lake, "grid.txt", data), "grid_without_header", "grid.txt")
    assert reason.startswith(
        "grid.txt 第 1 行：从该行起有 8 行像指标表（如「名称 一级指标 二级指标 三级指标 指标值」）"
    )
    assert "期望每个指标表之前有以“项目名称”开头的表头块" in reason


def test_orphan_grid_before_the_first_table_is_reported_not_loaded(lake):
    data = lines(P_LINES[GRID_CAPTION : GRID_CAPTION + 14] + P_LINES)
    outcome = land(lake, "orphan.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "grid_without_header"
    assert len(landed(lake, "raw_indicators", data)) == 77  # not 77 + the orphan rows


@pytest.mark.parametrize(
    "printed, why",
    [("十三万", "是汉字数字"), ("13,49", "含逗号"), ("13.49万", "带有单位「万」")],
)
def test_funding_cell_that_is_not_a_number(lake, printed, why):
    data = PINGLUO.replace("年度资金总额:\t13.49", f"年度资金总额:\t{printed}", 1).encode()
    outcome = land(lake, "money.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "funding_not_number"
    assert outcome.reason.startswith(f"money.txt 第 10 行：“年度资金总额”的值「{printed}」{why}")
    assert "期望阿拉伯数字，单位为表头所示的万元" in outcome.reason
    project = landed(lake, "raw_projects", data)[0]
    assert project["annual_total_printed"] == printed and project["annual_total_line"] == 10
    assert "funding_not_number" in project["parse_flags"]


def test_duplicated_lines(lake):
    rows = list(P_LINES)
    # a header line and a grid row each printed twice in a row, and a grid row repeated later
    rows = rows[:8] + [rows[7]] + rows[8:16] + [rows[15]] + rows[16:]
    data = lines(rows)
    outcome = land(lake, "dup.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "line_repeated"
    assert outcome.reason.startswith("dup.txt 第 9 行：该行「主管部门及代码 平罗县应急管理局--032001")
    assert "与上一行完全相同，只保留第一行" in outcome.reason
    assert [c for _, c, _ in issues(lake, data)] == ["line_repeated", "line_repeated"]
    assert len(landed(lake, "raw_indicators", data)) == 77  # no invented row
    assert len(landed(lake, "raw_projects", data)) == 8


def test_repeated_grid_row_further_down_is_flagged(lake):
    rows = list(P_LINES)
    rows = rows[:20] + [rows[16]] + rows[20:]  # line 17's row again as line 21
    data = lines(rows)
    outcome = land(lake, "again.txt", data)
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "indicator_line_repeated"
    assert "与第 17 行完全相同，两行都保留并标记 duplicate_line" in outcome.reason
    flagged = [r for r in landed(lake, "raw_indicators", data) if "duplicate_line" in r["parse_flags"]]
    assert [r["source_line"] for r in flagged] == [21]


# =========================================================================== size
def test_very_long_line_is_skipped_quickly(lake):
    data = PINGLUO.encode() + b"\n" + b"x" * 10_000_000
    started = time.perf_counter()
    outcome = land(lake, "long.txt", data)
    assert time.perf_counter() - started < 10
    assert outcome.status == "loaded_with_warnings" and outcome.reason_code == "line_too_long"
    assert outcome.reason.startswith(
        "long.txt 第 200 行：该行有 10,000,000 个字符，超过每行 20,000 个字符的上限"
    )
    assert len(landed(lake, "raw_indicators", data)) == 77


def test_very_long_line_of_cells_costs_no_memory(lake):
    data = PINGLUO.encode() + b"\n" + b"ab\t" * 3_000_000  # 3 million cells on one line
    tracemalloc.start()
    try:
        outcome = land(lake, "cells.txt", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.reason_code == "line_too_long"
    assert peak < 10 * len(data)  # splitting it into cells would take gigabytes


def test_a_document_that_is_one_long_line(lake):
    reason = quarantined(land(lake, "oneline.txt", b"y" * 10_000_000), "line_too_long", "oneline.txt")
    assert reason.startswith("oneline.txt 第 1 行：该行有 10,000,000 个字符")


def test_very_large_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 21 MB that take no disk
        fh.truncate(21 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(Unreadable) as info:
            read_document(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.code == "too_large"
    assert info.value.message.startswith("文件有 21.0 MB，超过单个文档 20.0 MB 的上限，未读取")
    assert "JIXIAO_MAX_DOCUMENT_MB" in info.value.message
    assert peak < 1024 * 1024  # not read


def test_size_cap_is_configurable_and_enforced_by_land_document(lake, monkeypatch):
    monkeypatch.setenv(reading.MAX_DOCUMENT_ENV, "0.01")  # about 10 KB
    reason = quarantined(land(lake, "p.txt", PINGLUO.encode()), "too_large", "p.txt")
    assert reason.startswith("p.txt：文件有 0.0 MB，超过单个文档 0.0 MB 的上限")


def test_large_document_loads_with_bounded_memory(lake):
    data = (NINGXIA * 30).encode()  # 1.9 MB, 750 projects
    tracemalloc.start()
    try:
        outcome = land(lake, "big.txt", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.status == "loaded" and outcome.rows["raw_projects"] == 750
    assert peak < 40 * len(data)


def test_more_projects_than_the_warehouse_can_key(lake):
    data = (NINGXIA * 40).encode()  # 1,000 projects: ids are zero-padded to three digits
    reason = quarantined(land(lake, "many.txt", data), "too_many_rows", "many.txt")
    assert reason.startswith("many.txt：有 1,000 个项目，超过仓库每个文档 999 个项目的编号上限")


def test_more_indicator_rows_in_one_project_than_the_warehouse_can_key(lake):
    rows = P_LINES[: GRID_CAPTION + 2] + [f"\t\t培训第 {i} 期\t{i} 次" for i in range(1, 1001)]
    reason = quarantined(land(lake, "rows.txt", lines(rows)), "too_many_rows", "rows.txt")
    assert reason.startswith(
        "rows.txt 第 7 行：项目「政府长聘人员经费」有 1,001 行指标，超过仓库每个项目 999 行指标的编号上限"
    )


# =========================================================================== the file system
def test_file_that_disappears_before_it_is_read(tmp_path):
    gone = tmp_path / "gone.txt"
    gone.write_text(PINGLUO, encoding="utf-8")
    gone.unlink()
    with pytest.raises(Unreadable) as info:
        read_document(gone)
    assert info.value.code == "file_vanished"
    assert info.value.message.startswith("列出文件夹时还在，读取时已不存在")


def test_file_that_changes_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(PINGLUO.encode()[:5000])
    real_read = os.read
    calls = {"n": 0}

    def read_and_append(fd, n):
        calls["n"] += 1
        if calls["n"] == 1:  # the writer finishes while the first read is under way
            with path.open("ab") as fh:
                fh.write(PINGLUO.encode()[5000:])
            time.sleep(0.01)
        return real_read(fd, n)

    monkeypatch.setattr(reading.os, "read", read_and_append)
    assert read_document(path) == PINGLUO.encode()


def test_file_that_keeps_changing_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "busy.txt"
    path.write_bytes(PINGLUO.encode())
    real_read = os.read

    def read_and_append(fd, n):
        with path.open("ab") as fh:
            fh.write(b"\n")
        return real_read(fd, n)

    monkeypatch.setattr(reading.os, "read", read_and_append)
    with pytest.raises(Unreadable) as info:
        read_document(path)
    assert info.value.code == "file_changed"
    assert "在读取过程中一直被改写" in info.value.message and "下次刷新会重新读取" in info.value.message


def test_unreadable_file_permissions(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_bytes(PINGLUO.encode())
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads through chmod 000: make the kernel's answer the one a normal user gets
        real_open = os.open

        def denied(p, flags, *args, **kw):
            if Path(p) == path:
                raise PermissionError(13, "Permission denied", str(p))
            return real_open(p, flags, *args, **kw)

        monkeypatch.setattr(reading.os, "open", denied)
    try:
        with pytest.raises(Unreadable) as info:
            read_document(path)
    finally:
        path.chmod(0o644)
    assert info.value.code == "permission_denied"
    assert info.value.message.startswith("没有读取权限（Permission denied）")


def test_directory_named_like_a_document(tmp_path):
    folder = tmp_path / "x.txt"
    folder.mkdir()
    with pytest.raises(Unreadable) as info:
        read_document(folder)
    assert info.value.code == "not_a_file"
    assert info.value.message.startswith("这个名字是一个文件夹，不是普通文件")


def test_broken_symlink(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(Unreadable) as info:
        read_document(link)
    assert info.value.code == "broken_symlink"
    assert "nowhere.txt" in info.value.message


def test_fifo_named_like_a_document_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(Unreadable) as info:
        read_document(fifo)
    assert time.perf_counter() - started < 1
    assert info.value.code == "not_a_file" and "命名管道" in info.value.message


def test_socket_named_like_a_document(tmp_path):
    sock = socket.socket(socket.AF_UNIX)
    path = tmp_path / "s.txt"
    try:
        sock.bind(str(path))
    except OSError:
        pytest.skip("cannot bind a unix socket here")
    try:
        with pytest.raises(Unreadable) as info:
            read_document(path)
    finally:
        sock.close()
    assert info.value.code == "not_a_file" and "套接字" in info.value.message


# =========================================================================== the folder
def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, data in files.items():
        (docs / name).write_bytes(data)
    return docs


def test_duplicate_documents_load_once(tmp_path):
    docs = _folder(
        tmp_path, {"a.txt": PINGLUO.encode(), "b.txt": PINGLUO.encode(), "c.txt": NINGXIA.encode()}
    )
    report = ingest_folder(docs, tmp_path / "lake")
    by_name = {o.source_file: o for o in report.outcomes}
    assert by_name["a.txt"].status == "loaded" and by_name["c.txt"].status == "loaded"
    assert by_name["b.txt"].status == "duplicate" and by_name["b.txt"].reason_code == "duplicate_content"
    assert "a.txt" in by_name["b.txt"].reason  # names the file loaded instead
    assert not report.count("quarantined")


def test_bad_documents_do_not_stop_the_others(tmp_path):
    docs = _folder(
        tmp_path,
        {
            "pingluo.txt": PINGLUO.encode("gb18030"),
            "ningxia.txt": NINGXIA.encode(),
            "empty.txt": b"",
            "scan.txt": b"%PDF-1.5\n...",
            "notes.md": "# 说明\n没有表格。\n".encode(),
        },
    )
    report = ingest_folder(docs, tmp_path / "lake")
    status = {o.source_file: (o.status, o.reason_code) for o in report.outcomes}
    assert status == {
        "pingluo.txt": ("loaded", None),
        "ningxia.txt": ("loaded", None),
        "empty.txt": ("quarantined", "empty_file"),
        "scan.txt": ("quarantined", "pdf_unreadable"),
        "notes.md": ("quarantined", "no_tables"),
    }


def test_file_that_disappears_during_the_refresh_does_not_stop_it(tmp_path, monkeypatch):
    docs = _folder(tmp_path, {"a.txt": PINGLUO.encode(), "gone.txt": NINGXIA.encode()})
    real = registry.list_documents

    def listed_then_deleted(folder):
        paths = real(folder)
        (folder / "gone.txt").unlink()  # deleted after the folder was listed, before it is read
        return paths

    monkeypatch.setattr(registry, "list_documents", listed_then_deleted)
    report = ingest_folder(docs, tmp_path / "lake")
    by_name = {o.source_file: o for o in report.outcomes}
    assert by_name["a.txt"].status == "loaded"
    assert by_name["gone.txt"].status == "quarantined" and by_name["gone.txt"].reason_code == "file_vanished"
    assert by_name["gone.txt"].reason.startswith("gone.txt：列出文件夹时还在，读取时已不存在")


def test_directory_fifo_and_broken_symlink_named_like_documents_are_reported(tmp_path):
    docs = _folder(tmp_path, {"a.txt": PINGLUO.encode()})
    (docs / "folder.txt").mkdir()
    os.mkfifo(docs / "pipe.txt")
    (docs / "link.txt").symlink_to(docs / "missing.txt")
    report = ingest_folder(docs, tmp_path / "lake")
    by_name = {o.source_file: (o.status, o.reason_code) for o in report.outcomes}
    assert by_name == {
        "a.txt": ("loaded", None),
        "folder.txt": ("quarantined", "not_a_file"),
        "pipe.txt": ("quarantined", "not_a_file"),
        "link.txt": ("quarantined", "broken_symlink"),
    }


def test_too_large_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_MAX_DOCUMENT_MB", "0.01")
    docs = _folder(tmp_path, {"big.txt": NINGXIA.encode()})
    report = ingest_folder(docs, tmp_path / "lake")
    (outcome,) = report.outcomes
    assert (outcome.status, outcome.reason_code) == ("quarantined", "too_large")
    assert outcome.reason.startswith("big.txt：文件有")


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads through chmod 000 (the reading-level test covers it)"
)
def test_unreadable_file_in_the_folder_does_not_stop_the_refresh(tmp_path):
    docs = _folder(tmp_path, {"a.txt": PINGLUO.encode(), "secret.txt": NINGXIA.encode()})
    (docs / "secret.txt").chmod(0)
    try:
        report = ingest_folder(docs, tmp_path / "lake")
    finally:
        (docs / "secret.txt").chmod(0o644)
    by_name = {o.source_file: o for o in report.outcomes}
    assert by_name["a.txt"].status == "loaded"
    assert by_name["secret.txt"].status == "quarantined" and "secret.txt" in by_name["secret.txt"].reason


def test_a_published_document_that_turns_bad_keeps_its_rows(tmp_path):
    lake = tmp_path / "lake"
    docs = _folder(tmp_path, {"pingluo.txt": PINGLUO.encode(), "ningxia.txt": NINGXIA.encode()})
    ingest_folder(docs, lake)
    good_id = document_id_for(PINGLUO.encode())
    (docs / "pingluo.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))  # replaced by its PDF
    report = ingest_folder(docs, lake)
    outcome = next(o for o in report.outcomes if o.source_file == "pingluo.txt")
    assert outcome.status == "quarantined" and outcome.reason_code == "pdf_unreadable"
    assert document_rows(lake, "raw_projects", good_id).num_rows  # the old rows stay
    assert good_id in live_ids(lake)
    assert good_id not in report.removed


# =========================================================================== end to end
@pytest.mark.slow
def test_refresh_with_bad_documents_publishes_the_good_ones_and_exits_5(tmp_path):
    docs = _folder(
        tmp_path,
        {
            **{name: (DOCUMENTS / name).read_bytes() for name in SAMPLES.values()},
            "copy_of_pingluo.txt": (DOCUMENTS / SAMPLES["pingluo"]).read_bytes(),
            "empty.txt": b"",
            "scan.txt": b"%PDF-1.7\n" + bytes(range(256)),
            # a GB18030 copy of pingluo with one funding cell (财政拨款) printed as 十三万
            "money.txt": _with_chinese_funding(PINGLUO).encode("gb18030"),
            # a copy of ningxia whose first 年度资金总额 is printed 90万 (not a plain number)
            "money_province.txt": _with_unit_in_annual_total(
                (DOCUMENTS / SAMPLES["ningxia"]).read_text(encoding="utf-8")
            ).encode("utf-8"),
        },
    )
    warehouse = tmp_path / "out" / "jixiao.duckdb"
    proc = subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == exitcodes.QUARANTINED, proc.stdout + proc.stderr
    out = proc.stdout
    assert "Quarantine: 2 document(s) not loaded (exit code 5)" in out
    assert "[empty_file] empty.txt：文件为空（0 字节）" in out
    assert "[pdf_unreadable] scan.txt：文件内容是 PDF" in out
    assert "Warnings: 2 document(s) loaded with warnings" in out

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        files = {r[0] for r in con.execute("select source_file from marts.dim_document").fetchall()}
        bad = con.execute(
            "select source_file, reason_code, reason from ops.run_documents "
            "where status = 'quarantined' order by source_file"
        ).fetchall()
    finally:
        con.close()
    # the two copies of pingluo load once (under the first name), the other is reported
    assert files == {"copy_of_pingluo.txt", SAMPLES["ningxia"], "money.txt", "money_province.txt"}
    assert (
        f"duplicate              {SAMPLES['pingluo']} — 与「copy_of_pingluo.txt」内容完全相同，只载入一次"
        in out
    )
    assert [(f, c) for f, c, _ in bad] == [("empty.txt", "empty_file"), ("scan.txt", "pdf_unreadable")]

    listing = subprocess.run(
        [JIXIAO, "quarantine", "--warehouse", str(warehouse), "--warnings"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listing.returncode == 0, listing.stderr
    assert "2 document(s) quarantined (not loaded):" in listing.stdout
    assert (
        "empty.txt  [DOC-02 empty_file]" in listing.stdout
        and "scan.txt  [DOC-15 pdf_unreadable]" in listing.stdout
    )
    assert "money.txt  [funding_not_number]" in listing.stdout
    assert "第 11 行 [funding_not_number] “其中: 财政拨款”的值「十三万」是汉字数字" in listing.stdout


def _with_chinese_funding(text: str) -> str:
    """The first 财政拨款 value of a document printed as 十三万 (as some offices write it)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        for j, cell in enumerate(cells[:-1]):
            if "财政拨款" in cell and cells[j + 1].strip():
                cells[j + 1] = "十三万"
                lines[i] = "\t".join(cells)
                return "\n".join(lines)
    raise AssertionError("no 财政拨款 cell")


def _with_unit_in_annual_total(text: str) -> str:
    """The first 其中：年度资金总额 value printed with its unit (``90万``): kept as printed, not
    counted, reported (PLB-03), and the document still publishes (COV-03 accepts a reported cell)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        for j, cell in enumerate(cells[:-1]):
            if "年度资金总额" in cell and cells[j + 1].strip():
                cells[j + 1] = cells[j + 1].strip() + "万"
                lines[i] = "\t".join(cells)
                return "\n".join(lines)
    raise AssertionError("no 年度资金总额 cell")
