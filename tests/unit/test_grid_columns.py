"""A grid column the reader does not know is never read as the target: the document is held back.

Cases: the real Inner Mongolia excerpt with 指标性质 / 指标方向 / 目标值 / 计量单位 / 分值 / 备注
columns (tests/fixtures/wild), the samples re-printed with a 权重, 备注 or 指标方向 column, and a
weight column with no caption over it. The samples themselves load exactly as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse import parse_document
from ingest.verdict import judge
from tests.conftest import SAMPLES, golden_indicators, sample_text

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"
EXPECTED = "（期望“一级指标 二级指标 三级指标 指标值”四列）"


def _verdict(text: str, name: str):
    parsed = parse_document(text, name, document_id=name)
    return parsed, judge(parsed, text, name)


def _reprint(sample: str, caption, row) -> str:
    """The sample with every caption line and every indicator row (golden lines) re-printed."""
    rows = {r["source_line"] for r in golden_indicators(sample)}
    lines = sample_text(sample).split("\n")
    for i, line in enumerate(lines):
        if "一级指标" in line and "三级指标" in line:
            lines[i] = caption(line)
        elif i + 1 in rows:
            lines[i] = row(line)
    return "\n".join(lines)


def _last_cell_first(line: str, extra: str) -> str:
    """Insert ``extra`` as a cell before the line's last non-empty cell."""
    cells = line.rstrip("\t").split("\t")
    return "\t".join([*cells[:-1], extra, cells[-1]])


def test_the_inner_mongolia_form_is_read_by_its_family_and_its_weights_are_never_targets():
    text = (WILD / "wuhai_2021_weight_column.txt").read_text(encoding="utf-8")
    parsed, verdict = _verdict(text, "wuhai.txt")
    assert parsed.document.template_family == "inner_mongolia"
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "loaded_with_warnings",
        "column_header_mismatch",
        13,
    )
    first = parsed.indicators[0]  # line 14: 出差人数 正向 = 8 (no unit) 4
    assert (first.indicator_name, first.target_text, first.weight_printed) == ("出差人数", "=8", "4")
    assert all(i.target_text != i.weight_printed for i in parsed.indicators if i.source_line != 14)


def test_the_same_form_without_its_caption_is_held_back_too():
    lines = (WILD / "wuhai_2021_weight_column.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:12] + lines[13:])  # the caption line (13) is gone: line 13 is the first row
    _, verdict = _verdict(text, "wuhai.txt")
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "unknown_grid_column", 13)
    assert "11 行指标中有 11 行在指标值之后还多一格数字" in verdict.reason
    assert "如第 13 行「出差人数」最后一格「4」" in verdict.reason  # the weight, not a target
    assert "可能是分值或权重" in verdict.reason and EXPECTED in verdict.reason


@pytest.mark.parametrize(
    "column, caption, row",
    [
        ("权重", lambda c: c.rstrip("\t") + "\t权重", lambda r: r.rstrip("\t") + "\t10"),
        ("备注", lambda c: c.rstrip("\t") + "\t备注", lambda r: r),
        ("指标方向", lambda c: _last_cell_first(c, "指标方向"), lambda r: _last_cell_first(r, "正向")),
    ],
)
def test_a_sample_with_an_extra_captioned_column_is_held_back(sample, column, caption, row):
    text = _reprint(sample, caption, row)
    first_caption = next(i for i, ln in enumerate(text.split("\n"), 1) if "一级指标" in ln)
    _, verdict = _verdict(text, "x.txt")
    assert (verdict.status, verdict.reason_code) == ("quarantined", "unknown_grid_column")
    assert verdict.reason.startswith(
        f"x.txt 第 {first_caption} 行：指标表有一列“{column}”，解析器不认识这一列{EXPECTED}；"
        f"整份文档暂不载入，以免把{column}当作指标值"
    )


def test_a_weight_column_with_no_caption_is_held_back():
    """ningxia with its captions gone and a bare weight after every row's value."""
    text = _reprint("ningxia", lambda c: "", lambda r: r.rstrip("\t") + "\t5")
    first_row = min(r["source_line"] for r in golden_indicators("ningxia"))
    _, verdict = _verdict(text, "x.txt")
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "quarantined",
        "unknown_grid_column",
        first_row,
    )
    assert "最后一格「5」" in verdict.reason


def test_without_captions_and_without_a_weight_the_sample_still_loads():
    text = _reprint("ningxia", lambda c: "", lambda r: r)
    parsed, verdict = _verdict(text, "x.txt")
    assert verdict.status == "loaded" and len(parsed.indicators) == 447


def test_the_samples_have_no_unknown_column(sample):
    parsed, verdict = _verdict(sample_text(sample), SAMPLES[sample])
    assert verdict.status == "loaded"
    assert not [i for i in parsed.issues if i.code == "unknown_grid_column"]


def test_a_caption_repeated_on_a_new_page_is_checked_too():
    """pingluo's first grid printed its caption again (new page) with a 分值 column."""
    lines = sample_text("pingluo").split("\n")
    caption = next(i for i, ln in enumerate(lines) if "一级指标" in ln)
    lines.insert(caption + 3, lines[caption].rstrip("\t") + "\t分值")
    _, verdict = _verdict("\n".join(lines), "x.txt")
    assert (verdict.reason_code, verdict.line) == ("unknown_grid_column", caption + 4)
    assert "“分值”" in verdict.reason
