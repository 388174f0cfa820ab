"""What a refresh costs on a synthetic corpus (issue 12's benchmark): prints figures, not a test.

    .venv/bin/python benchmarks/corpus_refresh.py 1000 [--seed 1] [--keep DIR] [--corpus DIR]

For N generated documents (``jixiao synth``, both layouts) it measures, each as a real
``jixiao refresh`` process: the full refresh by step, add one document, change one, remove one,
a no-op; peak RSS (the largest single process of the refreshes so far: getrusage of the
children, so dbt's process is included); the lake and warehouse
sizes; ingest MB/s against the floor of reading + splitting the same files in plain Python on
all cores (measured in the same run); and p50 / p95 of ten analyst queries on the warehouse.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jixiao.runlog import read_runs  # noqa: E402
from jixiao.synth import LAYOUTS, generate_document, iter_corpus  # noqa: E402
from jixiao.synth.writer import write_corpus  # noqa: E402

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
STEPS = ("ingest", "check_lake", "build", "validate", "publish")
QUERIES = {
    "funding by department and level": "select admin_level, department_name, sum(annual_total_yuan) "
    "from marts.mart_funding_rollup where rollup_by = 'department' group by all",
    "share quantified by department": "select department_name, avg(share_quantified) from marts.mart_project_scorecard "
    "group by all",
    "one project's full sheet": "select * from marts.dim_project p join marts.fct_project_funding f using (project_id) "
    "join marts.fct_indicator_target i using (project_id) where p.project_id = (select min(project_id) "
    "from marts.dim_project)",
    "anomalies per rule": "select rule_id, count(*) from marts.fct_anomaly group by all",
    "top projects": "select project_name, annual_total_yuan from marts.dim_project join marts.fct_project_funding "
    "using (project_id) order by 2 desc limit 20",
    "targets per level 2": "select level2, count(*), avg(is_quantified::int) from marts.fct_indicator_target group by all",
    "documents by year": "select fiscal_year, count(*) from marts.dim_document group by all",
    "money targets over 1 million": "select count(*) from marts.fct_indicator_target where value_yuan > 1000000",
    "missing categories": "select count(*) from marts.mart_project_scorecard where len(missing_level2_categories) > 0",
    "own level vs transferred": "select sum(own_level_yuan), sum(transferred_down_yuan) from marts.mart_funding_rollup "
    "where rollup_by = 'fiscal_year'",
}


def _split(path: Path) -> int:
    return sum(len(line.split("\t")) for line in path.read_text(encoding="utf-8").split("\n"))


def read_split_floor(docs: Path) -> float:
    """MB/s of reading + decoding + splitting every file into cells, on all cores."""
    files = sorted(docs.glob("*.txt"))
    size = sum(p.stat().st_size for p in files)
    t = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_split, files, chunksize=64))
    return size / 1e6 / (time.perf_counter() - t)


def refresh(docs: Path, warehouse: Path) -> dict:
    t = time.perf_counter()
    proc = subprocess.Popen([JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 5):
        raise SystemExit(f"refresh failed ({proc.returncode}):\n{out[-3000:]}\n{err[-3000:]}")
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    run = read_runs(warehouse.parent / "lake")[-1]
    return {"wall": wall, "rss_mb": rss_mb, **{s: run.get(f"{s}_s") for s in STEPS}}


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def query_times(warehouse: Path, repeats: int = 10) -> dict[str, tuple[float, float]]:
    import duckdb

    out = {}
    for name, sql in QUERIES.items():
        times = []
        for _ in range(repeats):
            con = duckdb.connect(str(warehouse), read_only=True)
            t = time.perf_counter()
            try:
                con.execute(sql).fetchall()
            except duckdb.Error as err:  # a renamed column: say which query, keep the other figures
                print(f"  query {name}: {type(err).__name__}: {err}".splitlines()[0])
                break
            finally:
                times.append((time.perf_counter() - t) * 1000)
                con.close()
        times.sort()
        out[name] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    return out


def _line(case: str, r: dict) -> str:
    steps = " ".join(f"{s}={r[s]:.1f}" for s in STEPS if r.get(s) is not None)
    return f"{case:<22} {r['wall']:8.1f} s   peak RSS {r['rss_mb']:7.0f} MB   {steps}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("documents", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--corpus", type=Path, help="copy this `jixiao synth --documents N --seed S` folder instead of generating")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-corpus-"))
    docs, warehouse = root / "docs", root / "out" / "jixiao.duckdb"
    t = time.perf_counter()
    if args.corpus:  # the same N and seed, generated once (100,000 documents take minutes)
        shutil.copytree(args.corpus, docs, ignore=shutil.ignore_patterns("truth.json"))
    else:
        write_corpus(iter_corpus(args.documents, seed=args.seed), docs)
    (docs / "truth.json").unlink(missing_ok=True)
    size = _size_mb(docs)
    print(f"{args.documents} documents, {size:.0f} MB, {'copied' if args.corpus else 'generated'} in {time.perf_counter() - t:.0f} s; {os.cpu_count()} CPUs")
    floor = read_split_floor(docs)
    full = refresh(docs, warehouse)
    print(_line("full refresh", full))
    print(f"{'':<22} ingest {size / full['ingest']:.2f} MB/s against a read+split floor of {floor:.1f} MB/s "
          f"({floor / (size / full['ingest']):.1f}x)")
    extra = generate_document(args.seed + 1, args.documents, LAYOUTS, 0)  # not in the corpus
    (docs / ("added_" + extra.file_name)).write_text(extra.text, encoding="utf-8")
    print(_line("add 1 document", refresh(docs, warehouse)))
    victim = sorted(docs.glob("synth_*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("年度", "年度 ", 1), encoding="utf-8")
    print(_line("change 1 document", refresh(docs, warehouse)))
    victim.unlink()
    print(_line("remove 1 document", refresh(docs, warehouse)))
    print(_line("no-op", refresh(docs, warehouse)))
    print(f"lake {_size_mb(warehouse.parent / 'lake'):.0f} MB "
          f"({sum(1 for _ in (warehouse.parent / 'lake' / 'raw').rglob('*.parquet'))} Parquet files), "
          f"warehouse {_size_mb(warehouse.resolve()):.0f} MB")
    for name, (p50, p95) in query_times(warehouse).items():
        print(f"  query {name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
