"""``jixiao`` — the one command-line entry point."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")

from jixiao import exitcodes  # noqa: E402
from jixiao.paths import DEFAULT_DOCUMENTS, layout_for  # noqa: E402


def _paths(p: argparse.ArgumentParser, documents: bool = False) -> None:
    if documents:
        p.add_argument("--documents", type=Path, default=DEFAULT_DOCUMENTS, help="folder of documents (.txt)")
    p.add_argument("--warehouse", help="DuckDB file to serve (default: $JIXIAO_DUCKDB_PATH or build/jixiao.duckdb)")
    p.add_argument("--lake", help="raw Parquet folder (default: 'lake' beside the warehouse)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _paths(sub.add_parser("refresh", help="ingest -> build -> validate -> publish"), documents=True)
    _paths(sub.add_parser("ingest", help="parse documents into the raw Parquet lake"), documents=True)
    _paths(sub.add_parser("build", help="dbt build from the lake into <warehouse>.next"))
    validate_p = sub.add_parser(
        "validate", help="run the quality gate on a warehouse (reads it; renders Data Docs beside it)",
        description="Exit codes: 0 no critical rule failed, 2 no such warehouse, 3 a critical rule failed.",
    )
    _paths(validate_p)
    validate_p.add_argument("--rules", action="store_true", help="list the rule catalogue and exit")
    _paths(sub.add_parser("rollback", help="serve the previous warehouse again"))
    args = parser.parse_args(argv)
    layout = layout_for(args.warehouse, args.lake)

    if args.command == "refresh":
        from jixiao.refresh import refresh
        from jixiao.summary import format_summary

        result = refresh(args.documents, layout)
        print(format_summary(result, layout.warehouse))
        return result.exit_code
    if args.command == "ingest":
        from jixiao.landing import ingest_folder

        report = ingest_folder(args.documents, layout.lake)
        for o in report.outcomes:
            print(f"{o.status:<22} {o.source_file} {o.rows or ''} {o.reason or ''}")
        return exitcodes.QUARANTINED if report.count("quarantined") else exitcodes.PUBLISHED
    if args.command == "build":
        from jixiao.refresh import build_next

        print(f"built {build_next(layout)}")
        return exitcodes.PUBLISHED
    if args.command == "validate":
        from jixiao.quality.project import load_catalogue
        from jixiao.quality.report import format_catalogue, format_gate

        if args.rules:
            print("\n".join(format_catalogue(load_catalogue())))
            return exitcodes.PUBLISHED
        if not layout.warehouse.exists():
            print(f"jixiao validate: no warehouse at {layout.warehouse}", file=sys.stderr)
            return exitcodes.USAGE
        from jixiao.gate import run_gate

        report = run_gate(layout.warehouse, layout, record=False)  # never writes the warehouse
        print("\n".join(format_gate(report)))
        return exitcodes.PUBLISHED if report.passed else exitcodes.GATE_FAILED
    if args.command == "rollback":
        from jixiao.publish import rollback

        ok = rollback(layout)
        print("rolled back to the previous warehouse" if ok else "no previous warehouse to roll back to")
        return exitcodes.PUBLISHED if ok else exitcodes.ERROR
    return exitcodes.USAGE


if __name__ == "__main__":
    sys.exit(main())
