"""Write a synthetic corpus: ``<out>/<file>.txt`` per document and ``<out>/truth.json``.

``truth.json`` is ``{"generator": …, "documents": [<truth>, …]}``, written one document at a
time so a 10,000-document corpus never sits in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from jixiao.synth.render import SynthDocument

TRUTH_FILE = "truth.json"


def write_corpus(docs: Iterable[SynthDocument], out_dir: Path, meta: dict | None = None) -> int:
    """Write every document and the truth; returns how many documents were written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / TRUTH_FILE).open("w", encoding="utf-8") as truth:
        head = json.dumps({"generator": meta or {}}, ensure_ascii=False)
        truth.write(head[:-1] + ', "documents": [\n')
        for doc in docs:
            (out_dir / doc.file_name).write_text(doc.text, encoding="utf-8")
            truth.write(
                (",\n" if count else "") + json.dumps(doc.truth, ensure_ascii=False, separators=(",", ":"))
            )
            count += 1
        truth.write("\n]}\n")
    return count


def read_truth(out_dir: Path) -> list[dict]:
    """The truth of a written corpus, one dict per document (as ``SynthDocument.truth``)."""
    return json.loads((Path(out_dir) / TRUTH_FILE).read_text(encoding="utf-8"))["documents"]


def synth_command(n: int, out_dir: Path, seed: int, layouts: str) -> int:
    """``jixiao synth``: write ``n`` documents and their truth; exit code 0, or 2 on bad usage."""
    import sys

    from jixiao import exitcodes
    from jixiao.synth import LAYOUTS, iter_corpus

    chosen = tuple(x.strip() for x in layouts.split(",") if x.strip())
    unknown = [x for x in chosen if x not in LAYOUTS]
    if n < 0 or not chosen or unknown:
        print(
            f"jixiao synth: --documents must be >= 0 and --layouts a list of {', '.join(LAYOUTS)}",
            file=sys.stderr,
        )
        return exitcodes.USAGE
    meta = {"seed": seed, "documents": n, "layouts": list(chosen)}
    count = write_corpus(iter_corpus(n, seed, chosen), out_dir, meta)
    print(f"wrote {count} documents and {TRUTH_FILE} to {out_dir}")
    return exitcodes.PUBLISHED
