"""Parser throughput and memory on the samples and on a large synthetic folder.

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/parse_speed.py [copies]
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from ingest.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "documents").glob("*.txt"))


def main(copies: int = 200) -> None:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SAMPLES]
    size = sum(len(t.encode("utf-8")) for _, t in texts)

    t0 = time.perf_counter()
    rows = 0
    for _ in range(copies):
        for name, text in texts:
            parsed = parse_document(text, name, "bench")
            rows += len(parsed.projects) + len(parsed.indicators)
    elapsed = time.perf_counter() - t0
    docs = copies * len(texts)
    print(f"parsed {docs} documents ({size * copies / 1e6:.1f} MB) in {elapsed:.2f} s: "
          f"{docs / elapsed:.0f} documents/s, {size * copies / 1e6 / elapsed:.1f} MB/s, {rows / elapsed:,.0f} rows/s")

    # One very large document: the provincial sample's tables (cover text dropped) repeated
    # 100 times (~6 MB, 2,500 projects, 44,700 indicator rows).
    provincial = texts[0][1]
    tables = provincial[provincial.index("# 2025年自治区本级部门项目支出预算绩效目标表"):]
    big = "\n".join(tables for _ in range(100))
    t0 = time.perf_counter()
    parsed = parse_document(big, "big.txt", "big")
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    parse_document(big, "big.txt", "big")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"one {len(big.encode('utf-8')) / 1e6:.1f} MB document: {len(parsed.projects)} projects, "
          f"{len(parsed.indicators)} indicator rows in {elapsed:.2f} s, peak Python memory {peak / 1e6:.0f} MB "
          f"({peak / len(big.encode('utf-8')):.0f}x the text)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
