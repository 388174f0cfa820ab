"""What the quality gate costs on a built warehouse, full against incremental: prints figures.

    .venv/bin/python benchmarks/gate_cost.py WAREHOUSE [--lake DIR] [--document ID]

WAREHOUSE: a published warehouse (e.g. ``benchmarks/corpus_refresh.py 1000 --keep /tmp/b12d``
leaves ``/tmp/b12d/out/jixiao.duckdb``). It is copied beside itself (``gate_cost.duckdb``) and
gated there as a refresh gates its built file: the full gate (``documents=None``: ``check_lake``
then the warehouse suites, recorded, so the copy keeps its per-document results), then the
incremental gate told one document (``documents={ID}``, default: the first document) starting
from the copy's results. Each step's wall time is printed with the GX part (context, suites,
Data Docs) apart. ``--incremental-only``: only the incremental gate, on the copy an earlier
run recorded. With a gate that has no ``documents`` parameter (an older checkout on
``PYTHONPATH``) only the full gate runs.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import shutil
import sys
import time
from pathlib import Path

import duckdb

TIMES: dict[str, float] = {}


def _timed(owner, name: str, label: str) -> None:
    fn = getattr(owner, name, None)
    if fn is None:
        return

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - t

    setattr(owner, name, wrapper)


def _instrument() -> None:
    from great_expectations.core import validation_definition
    from great_expectations.data_context.data_context import abstract_data_context

    from jixiao import gate
    from jixiao.quality import docs

    _timed(validation_definition.ValidationDefinition, "run", "GX suite runs")
    _timed(abstract_data_context.AbstractDataContext, "build_data_docs", "GX Data Docs rendering")
    _timed(docs, "finish_site", "Data Docs finishing (jixiao)")
    _timed(gate, "open_context", "GX context")


def _step(label: str, fn):
    TIMES.clear()
    t = time.perf_counter()
    report = fn()
    wall = time.perf_counter() - t
    parts = ", ".join(f"{k} {v:.2f}" for k, v in sorted(TIMES.items(), key=lambda kv: -kv[1]))
    failed = len(report.failed_critical)
    print(
        f"{label:<34} {wall:7.2f} s   ({parts or 'no GX'})  rules {len(report.results)}, critical failures {failed}"
    )
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("warehouse", type=Path)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--document")
    ap.add_argument("--incremental-only", action="store_true", help="reuse the copy an earlier run recorded")
    args = ap.parse_args()
    import great_expectations  # noqa: F401  (imported once, outside every figure)

    from jixiao import gate
    from jixiao.paths import layout_for

    _instrument()
    layout = layout_for(args.warehouse, args.lake)
    copy = args.warehouse.resolve().with_name("gate_cost.duckdb")
    if not (args.incremental_only and copy.exists()):
        shutil.copyfile(args.warehouse.resolve(), copy)
        copy.chmod(0o644)
    con = duckdb.connect(str(copy), read_only=True)
    docs = con.execute("select count(*), min(document_id) from marts.dim_document").fetchall()[0]
    con.close()
    document = args.document or docs[1]
    print(f"{docs[0]} documents in {args.warehouse}; incremental: document {document}")

    if not args.incremental_only:
        lake = _step("check_lake, every row", lambda: gate.check_lake(layout, record=False))
        _step(
            "validate, every row (recorded)",
            lambda: gate.run_gate(copy, layout, suites=gate.warehouse_suites(), prior=lake, record=True),
        )
    if "documents" not in inspect.signature(gate.run_gate).parameters:
        return
    one = {document}
    lake = _step(
        "check_lake, one document", lambda: gate.check_lake(layout, record=False, documents=one, base=copy)
    )
    _step(
        "validate, one document",
        lambda: gate.run_gate(
            copy, layout, suites=gate.warehouse_suites(), prior=lake, record=False, documents=one, base=copy
        ),
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))
    main()
