"""Write a synthetic corpus with the analysis cases planted (jixiao.synth.plant) and plants.json.

    .venv/bin/python scripts/plant_corpus.py --documents 30 --seed 18 --out /tmp/planted
    .venv/bin/jixiao refresh --documents /tmp/planted/docs --warehouse /tmp/planted/wh/jixiao.duckdb

The documents go to OUT/docs, the generator's truth and the plants beside them (OUT/truth.json,
OUT/plants.json), so a refresh reads only the documents.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from jixiao.synth import generate_corpus, render_document
from jixiao.synth.plant import plant_corpus
from jixiao.synth.writer import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    specs, plants = plant_corpus(
        [d.spec for d in generate_corpus(args.documents, seed=args.seed)], seed=args.seed
    )
    docs = args.out / "docs"
    write_corpus([render_document(s) for s in specs], docs)
    (docs / "truth.json").replace(args.out / "truth.json")
    rows = [dataclasses.asdict(p) for p in plants]
    (args.out / "plants.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(specs)} documents in {docs}, {len(plants)} plants in {args.out / 'plants.json'}")


if __name__ == "__main__":
    main()
