"""Variant tests: the samples re-printed with the extraction's quirks give the same rows.

Each transform changes how a line is printed (tags, punctuation width, spaces inside
labels, trailing TABs, column drift, dashes, line endings) but not what it says; the
parser must return the same projects and indicator rows (compared after folding width
and whitespace, which is exactly what the transforms touch).
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.cells import fold, split_cells, strip_tags
from ingest.parse import parse_document
from ingest.vocabulary import default_label_map, header_label
from tests.conftest import SAMPLES, sample_text

LABELS = default_label_map()


def _is_label(text: str) -> bool:
    return LABELS.is_label(text) or header_label(text) is not None


def _norm(text: str | None) -> str | None:
    return None if text is None else fold(strip_tags(text))


def signature(text: str, name: str) -> tuple:
    parsed = parse_document(text, SAMPLES[name], name)
    projects = [
        (
            p.project_seq,
            _norm(p.project_name),
            p.source_line,
            p.page_count,
            p.department_code,
            _norm(p.department_name),
            p.attribute_code,
            _norm(p.implementing_unit),
            tuple(sorted((k, _norm(v)) for k, v in p.funding_printed.items())),
        )
        for p in parsed.projects
    ]
    indicators = [
        (
            i.project_seq,
            i.indicator_seq,
            i.source_line,
            i.level1,
            i.level2,
            _norm(i.level1_printed),
            _norm(i.level2_printed),
            _norm(i.indicator_name),
            _norm(i.target_text),
        )
        for i in parsed.indicators
    ]
    d = parsed.document
    return (d.publisher, d.admin_level, d.fiscal_year, d.published_on), projects, indicators


# --- transforms of one line (rng decides where) ---------------------------------------


def wrap_tags(line: str, rng: random.Random) -> str:
    return "\t".join(f"<b>{c}</b>" if c.strip() and rng.random() < 0.7 else c for c in line.split("\t"))


_WIDTH = str.maketrans({":": "：", "(": "（", ")": "）", "：": ":", "（": "(", "）": ")"})


def swap_width(line: str, rng: random.Random) -> str:
    return line.translate(_WIDTH) if rng.random() < 0.8 else line


def space_inside_labels(line: str, rng: random.Random) -> str:
    out = []
    for c in line.split("\t"):
        t = strip_tags(c).strip()
        if len(t) >= 3 and _is_label(t) and rng.random() < 0.8:
            k = rng.randrange(1, len(t) - 1)
            c = t[:k] + " " + t[k:]  # the label's own text, tags dropped
        out.append(c)
    return "\t".join(out)


def pad_cells(line: str, rng: random.Random) -> str:
    return "\t".join(f" {c}  " if c.strip() and rng.random() < 0.5 else c for c in line.split("\t"))


def trailing_tabs(line: str, rng: random.Random) -> str:
    if not line.strip():
        return line
    return line.rstrip("\t") + "\t" * rng.randrange(0, 4)


def drift(line: str, rng: random.Random) -> str:
    """Shift an indicator row one column left or right (rows whose name and target both print)."""
    cells = split_cells(line)
    rest = [c for c in cells if not _is_label(c.text)]
    if len(rest) < 2 or _is_label(rest[-1].text) or not line.startswith("\t"):
        return line
    return line[1:] if rng.random() < 0.5 else "\t" + line


def dashes(line: str, rng: random.Random) -> str:
    if "--" in line or "-一年期" in line or "-经常性" in line:
        dash = rng.choice(["-", "--", "—", "－"])
        return line.replace("--", dash).replace("-一年期", dash + "一年期").replace("-经常性", dash + "经常性")
    return line


TRANSFORMS = [wrap_tags, swap_width, space_inside_labels, pad_cells, trailing_tabs, drift, dashes]


def apply(text: str, chosen: list, seed: int, crlf: bool) -> str:
    rng = random.Random(seed)
    lines = text.split("\n")
    for t in chosen:
        lines = [t(line, rng) for line in lines]
    return ("\r\n" if crlf else "\n").join(lines)


BASE = {name: signature(sample_text(name), name) for name in SAMPLES}


def test_each_transform_alone_gives_the_same_rows():
    for name in SAMPLES:
        for t in TRANSFORMS:
            varied = apply(sample_text(name), [t], seed=7, crlf=False)
            assert varied != sample_text(name) or t is dashes and name == "ningxia"
            assert signature(varied, name) == BASE[name], f"{t.__name__} on {name}"


def test_crlf_and_cr_line_endings():
    for name in SAMPLES:
        text = sample_text(name)
        assert signature(text.replace("\n", "\r\n"), name) == BASE[name]
        assert signature(text.replace("\n", "\r"), name) == BASE[name]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    chosen=st.lists(st.sampled_from(TRANSFORMS), min_size=1, max_size=len(TRANSFORMS), unique=True),
    seed=st.integers(0, 2**16),
    crlf=st.booleans(),
)
def test_combined_variants_give_the_same_rows(name, chosen, seed, crlf):
    varied = apply(sample_text(name), chosen, seed, crlf)
    assert signature(varied, name) == BASE[name]
