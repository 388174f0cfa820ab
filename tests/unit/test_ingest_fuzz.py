"""Fuzz: damaged versions of the sample documents never crash the ingest (issue 7).

Random mutations of the two samples — dropped, duplicated, shuffled and truncated lines,
inserted TABs, random bytes, encoding swaps — go through ``land_document`` exactly as a
refresh lands a file. Every input must end as rows (loaded / loaded with warnings) or as a
quarantine entry with a reason code and a sentence naming the file; no exception escapes.
The rows must also be honest: every indicator row points at a line that prints exactly what
the row says (no invented rows), and every warning names a line or the whole file.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.decode import DecodeError, decode_bytes
from ingest.parse import parse_document
from ingest.writer import document_rows, segment_ids
from jixiao.landing import land_document
from jixiao.registry import document_id_for
from tests.conftest import SAMPLES, sample_text

TEXTS = {name: sample_text(name) for name in SAMPLES}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be")
STATUSES = {"loaded", "loaded_with_warnings", "quarantined"}


def _mutate_lines(lines: list[str], op: str, rnd: random.Random) -> list[str]:
    if not lines:
        return lines
    i = rnd.randrange(len(lines))
    j = min(len(lines), i + rnd.randint(1, 40))
    if op == "drop":
        return lines[:i] + lines[j:]
    if op == "duplicate":
        return lines[:j] + lines[i:j] + lines[j:]
    if op == "shuffle":
        chunk = lines[i:j]
        rnd.shuffle(chunk)
        return lines[:i] + chunk + lines[j:]
    if op == "truncate_lines":
        return lines[: rnd.randrange(len(lines) + 1)]
    if op == "cut_line":
        k = rnd.randrange(len(lines[i]) + 1)
        return lines[:i] + [lines[i][:k]]
    if op == "tabs":
        line = lines[i]
        k = rnd.randrange(len(line) + 1)
        return lines[:i] + [line[:k] + "\t" * rnd.randint(1, 4) + line[k:]] + lines[i + 1 :]
    if op == "swap_cells":
        cells = lines[i].split("\t")
        rnd.shuffle(cells)
        return lines[:i] + ["\t".join(cells)] + lines[i + 1 :]
    return lines


LINE_OPS = ("drop", "duplicate", "shuffle", "truncate_lines", "cut_line", "tabs", "swap_cells")
BYTE_OPS = ("random_bytes", "overwrite_bytes", "truncate_bytes", "nul_bytes", "mixed_encoding")


def _mutate_bytes(data: bytes, op: str, rnd: random.Random, text: str) -> bytes:
    k = rnd.randrange(len(data) + 1)
    if op == "random_bytes":
        return data[:k] + rnd.randbytes(rnd.randint(1, 64)) + data[k:]
    if op == "overwrite_bytes":
        n = rnd.randint(1, 64)
        return data[:k] + rnd.randbytes(n) + data[k + n :]
    if op == "truncate_bytes":
        return data[:k]
    if op == "nul_bytes":
        return data[:k] + b"\x00" * rnd.randint(1, 3) + data[k:]
    if op == "mixed_encoding":  # the second half saved in another encoding
        half = len(text) // 2
        return text[:half].encode("utf-8") + text[half:].encode("gb18030")
    return data


@st.composite
def damaged_documents(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(TEXTS)))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    lines = TEXTS[name].split("\n")
    for op in draw(st.lists(st.sampled_from(LINE_OPS), max_size=4)):
        lines = _mutate_lines(lines, op, rnd)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    for op in draw(st.lists(st.sampled_from(BYTE_OPS), max_size=2)):
        data = _mutate_bytes(data, op, rnd, text)
    return f"{name}_damaged.txt", data


def _check_rows_are_printed(name: str, data: bytes) -> None:
    """Every indicator row's line prints exactly that row; every project name is printed."""
    try:
        decoded = decode_bytes(data)
    except DecodeError as err:
        assert err.code and err.message
        return
    parsed = parse_document(decoded.text, name, "x")
    lines = decoded.text.split("\n")
    for row in parsed.indicators:
        assert lines[row.source_line - 1] == row.line_printed
        assert row.indicator_name in row.line_printed or row.target_text in row.line_printed
    for project in parsed.projects:
        if project.project_name:
            assert project.project_name in lines[project.source_line - 1]
    for issue in parsed.issues:
        assert issue.code and issue.message
        assert issue.line is None or 1 <= issue.line <= len(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged_documents())
def test_damaged_documents_end_as_rows_or_quarantine(tmp_path_factory, doc):
    name, data = doc
    lake = tmp_path_factory.mktemp("lake")
    doc_id = document_id_for(data)
    from pathlib import Path

    outcome = land_document(Path(name), data, doc_id, lake)
    assert outcome.status in STATUSES
    if outcome.status == "quarantined":
        assert outcome.reason_code and outcome.reason and outcome.reason.startswith(name)
        assert not segment_ids(lake, "raw_projects")  # nothing written
    else:
        assert outcome.rows["raw_projects"] >= 1 and outcome.rows["raw_indicators"] >= 1
        issues = document_rows(lake, "raw_parse_issues", doc_id).num_rows
        if outcome.status == "loaded":
            assert outcome.reason is None and issues == 0
        else:
            assert outcome.reason_code and outcome.reason.startswith(name) and issues >= 1
    _check_rows_are_printed(name, data)
