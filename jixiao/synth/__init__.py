"""Synthetic corpus of budget performance target tables, with the structured truth (pure).

``generate_corpus(n, seed)`` gives ``n`` distinct documents in the county and provincial
layouts of the two samples; each ``SynthDocument`` has ``.file_name``, ``.text``, ``.truth``
(what the parser and the marts must reproduce) and ``.spec`` (the plain-data spec it was
rendered from). To plant a fault, change the spec and render it again::

    doc = generate_document(7, 0)
    doc.spec.projects[0].funding.annual_total += 1          # money that no longer adds up
    doc.spec.projects[0].indicators[3].target = "≥ 9O%"     # a misprinted target
    faulty = render_document(doc.spec)

``write_corpus`` (in ``jixiao.synth.writer``) streams documents and ``truth.json`` to disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from jixiao.synth.generate import document_spec, rng_for
from jixiao.synth.render import SynthDocument, render_document
from jixiao.synth.spec import (
    COUNTY,
    FUNDING_KEYS,
    LAYOUTS,
    PROVINCIAL,
    DocumentSpec,
    Funding,
    IndicatorSpec,
    ProjectSpec,
)

__all__ = [
    "COUNTY",
    "FUNDING_KEYS",
    "LAYOUTS",
    "PROVINCIAL",
    "DocumentSpec",
    "Funding",
    "IndicatorSpec",
    "ProjectSpec",
    "SynthDocument",
    "generate_corpus",
    "generate_document",
    "generate_spec",
    "iter_corpus",
    "render_document",
]


def generate_spec(seed: int, index: int, layouts: Sequence[str] = LAYOUTS, attempt: int = 0) -> DocumentSpec:
    """The spec of document ``index`` of the corpus ``seed`` (layouts alternate by index)."""
    layout = layouts[index % len(layouts)]
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (expected one of {', '.join(LAYOUTS)})")
    return document_spec(rng_for(seed, index, attempt), index + 1, layout)


def generate_document(
    seed: int, index: int, layouts: Sequence[str] = LAYOUTS, attempt: int = 0
) -> SynthDocument:
    return render_document(generate_spec(seed, index, layouts, attempt))


def iter_corpus(n: int, seed: int, layouts: Sequence[str] = LAYOUTS) -> Iterator[SynthDocument]:
    """``n`` documents, one at a time; a document whose text repeats an earlier one is redrawn."""
    seen: set[bytes] = set()
    for index in range(n):
        for attempt in range(100):
            doc = generate_document(seed, index, layouts, attempt)
            digest = hashlib.sha256(doc.text.encode("utf-8")).digest()
            if digest not in seen:
                seen.add(digest)
                yield doc
                break
        else:  # pragma: no cover - 100 identical draws in a row cannot happen with these pools
            raise RuntimeError(f"could not draw a distinct document {index}")


def generate_corpus(n: int, seed: int, layouts: Sequence[str] = LAYOUTS) -> list[SynthDocument]:
    return list(iter_corpus(n, seed, layouts))
