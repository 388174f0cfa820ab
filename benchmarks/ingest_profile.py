"""Ingest CPU per document: ``parse_for_landing`` over a synthetic corpus in one process.

Prints figures; it is not a test. Run:
    .venv/bin/python benchmarks/ingest_profile.py [documents] [--seed S] [--steps] [--profile [TOP]] [--pool]

``--steps`` prints the CPU of each step (decode, parse, judge, to_records, Parquet encoding)
instead of the whole; run it in its own process, so the parser's caches start as cold as in
the whole run.

``--profile`` adds cProfile's top functions by own (tottime) and cumulative time; ``--pool``
times a worker pool's start (``jixiao.landing``'s forkserver context, with the preload) to
its first parsed document.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import time
from pathlib import Path

from jixiao.landing import parse_for_landing
from jixiao.synth import generate_corpus


def _corpus(documents: int, seed: int) -> list[tuple[str, bytes]]:
    return [(d.file_name, d.text.encode("utf-8")) for d in generate_corpus(documents, seed)]


def _parse_all(corpus: list[tuple[str, bytes]]) -> None:
    for name, data in corpus:
        parse_for_landing(Path(name), data, name)


def _cpu_per_document(corpus: list[tuple[str, bytes]]) -> None:
    size = sum(len(data) for _, data in corpus)
    wall, cpu = time.perf_counter(), time.process_time()
    _parse_all(corpus)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = len(corpus)
    print(
        f"{n} documents ({size / 1e6:.1f} MB, {size / n / 1e3:.1f} KB each) in one process: "
        f"{cpu * 1e3 / n:.1f} ms CPU per document, {size / 1e6 / cpu:.2f} MB/s of CPU, "
        f"wall {wall:.2f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )


def _phases(corpus: list[tuple[str, bytes]]) -> None:
    """CPU per document of each step of ``parse_for_landing``, run one step at a time."""
    from ingest.containers import read_container
    from ingest.parse import parse_document
    from ingest.records import to_records
    from ingest.verdict import judge
    from ingest.writer import encode_document

    spent = dict.fromkeys(("decode", "parse", "judge", "to_records", "encode"), 0.0)

    def timed(step: str, fn, *args, **kwargs):
        t0 = time.process_time()
        out = fn(*args, **kwargs)
        spent[step] += time.process_time() - t0
        return out

    for name, data in corpus:
        decoded = timed("decode", read_container, data)
        parsed = timed("parse", parse_document, decoded.parse_input, name, name)
        timed("judge", judge, parsed, decoded.as_text, name)
        records = timed("to_records", to_records, parsed, sha256="", byte_size=len(data), encoding="utf-8")
        timed("encode", encode_document, records)
    n = len(corpus)
    print("CPU ms per document by step: " + ", ".join(f"{k} {v * 1e3 / n:.1f}" for k, v in spent.items()))


def _profile(corpus: list[tuple[str, bytes]], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(_parse_all, corpus)
    stats = pstats.Stats(profiler)
    for key in ("tottime", "cumulative"):
        print(f"\n--- top {top} by {key} ---")
        stats.sort_stats(key).print_stats(top)


def _pool_start(workers: int = 2) -> None:
    """Wall time from a pool's start until each worker has parsed one document."""
    from concurrent.futures import ProcessPoolExecutor

    from jixiao.landing import WORKER_PRELOAD, pool_context

    corpus = _corpus(workers, 99)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=pool_context()) as pool:
        futures = [pool.submit(parse_for_landing, Path(name), data, name) for name, data in corpus]
        for f in futures:
            f.result()
        first = time.perf_counter() - t0
    print(
        f"worker pool ({workers} workers, preload {', '.join(WORKER_PRELOAD)}): {first:.2f} s to {workers} parsed documents"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("documents", type=int, nargs="?", default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", type=int, nargs="?", const=25, default=0, metavar="TOP")
    ap.add_argument("--pool", action="store_true")
    ap.add_argument(
        "--steps", action="store_true", help="CPU by step instead of the whole (same corpus, cold)"
    )
    args = ap.parse_args()
    corpus = _corpus(args.documents, args.seed)
    _parse_all(_corpus(5, args.seed + 1))  # warm: imports, compiled patterns (other documents)
    if args.steps:
        _phases(corpus)
    else:
        _cpu_per_document(corpus)
    if args.profile:
        _profile(corpus, args.profile)
    if args.pool:
        _pool_start()


if __name__ == "__main__":
    main()
