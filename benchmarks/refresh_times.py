"""Wall-clock cost of a scheduled refresh on the samples: full, no-op, one document changed.

Each refresh is a real ``jixiao refresh`` process into a temporary folder; the per-step times
come from the run log (``<lake>/history``). Prints figures; it is not a test.

Run: .venv/bin/python benchmarks/refresh_times.py [repeats] [copies]

``copies`` > 1 makes a bigger folder: each sample ``copies`` times, each copy made distinct (a
different first line), so the full refresh parses ``copies`` x 2 documents and the
one-document change still parses one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jixiao.runlog import read_runs  # noqa: E402

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
SAMPLES = sorted((ROOT / "documents").glob("*.txt"))
STEPS = ("ingest", "check_lake", "build", "validate", "publish")


def refresh(docs: Path, warehouse: Path, *extra: str) -> tuple[float, dict]:
    t = time.perf_counter()
    proc = subprocess.run([JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse), *extra],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 5):
        raise SystemExit(f"refresh failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall, read_runs(warehouse.parent / "lake")[-1]


def fill(docs: Path, copies: int) -> None:
    for p in SAMPLES:
        text = p.read_text(encoding="utf-8")
        for c in range(copies):
            name = p.name if c == 0 else f"{p.stem}_copy{c:04d}{p.suffix}"
            body = text if c == 0 else f"（副本 {c}）\n" + text
            (docs / name).write_text(body, encoding="utf-8")


def main(repeats: int = 3, copies: int = 1) -> None:
    results: dict[str, list[tuple[float, dict]]] = {"full": [], "no-op": [], "one document changed": []}
    for i in range(repeats):
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
            docs = Path(tmp) / "docs"
            docs.mkdir()
            fill(docs, copies)
            warehouse = Path(tmp) / "out" / "jixiao.duckdb"
            results["full"].append(refresh(docs, warehouse))
            results["no-op"].append(refresh(docs, warehouse))
            edited = docs / SAMPLES[-1].name
            # one more character in the document's title line: a new version of one document
            edited.write_text(edited.read_text(encoding="utf-8").replace("\n", f"（第{i + 2}版）\n", 1),
                              encoding="utf-8")
            results["one document changed"].append(refresh(docs, warehouse))
    size = sum(p.stat().st_size for p in SAMPLES) * copies
    print(f"jixiao refresh on {len(SAMPLES) * copies} documents ({len(SAMPLES)} samples x {copies}, {size / 1e3:.0f} kB), "
          f"median of {repeats}, {os.cpu_count()} CPUs")
    print(f"{'case':<22} {'wall':>7}   " + "  ".join(f"{s:>8}" for s in STEPS) + "   outcome, documents parsed")
    for case, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        steps = []
        for s in STEPS:
            values = [r.get(f"{s}_s") for _, r in runs if r.get(f"{s}_s") is not None]
            steps.append(f"{statistics.median(values):7.2f}s" if values else f"{'-':>8}")
        last = runs[-1][1]
        parsed = sum(last.get(f"documents_{k}") or 0 for k in ("added", "changed", "renamed", "reparsed"))
        print(f"{case:<22} {wall:6.2f}s   " + "  ".join(steps) + f"   {last['outcome']}, {parsed} parsed")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
