"""``jixiao`` — the one command-line entry point."""

from __future__ import annotations

import argparse
import contextlib
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


def _wait(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="if another refresh holds the lock, wait up to SECONDS for it (default 0: exit 4 at once)")


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true",
                   help="one JSON object on stdout (the summary, status.json and this run's history row); no progress")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing but errors (stderr); the exit code and status.json say the rest")


@contextlib.contextmanager
def _locked(layout, wait: float, purpose: str):
    """The refresh locks (lake, then warehouse) for a single-step command; yields None (after
    saying why) if they are held."""
    from jixiao.lock import LockHeld, acquire_all

    try:
        locks = acquire_all([layout.lake_lock, layout.lock], wait, purpose=purpose)
    except LockHeld as err:
        print(f"jixiao {purpose}: {err}", file=sys.stderr)
        yield None
        return
    with locks:
        yield locks


def _export(layout, fmt: str, tables: list[str] | None, out: Path | None) -> int:
    from jixiao.escape import terminal
    from jixiao.export import ExportError, export
    from jixiao.reader import connect

    try:
        con = connect(layout.warehouse)
    except FileNotFoundError as err:
        print(f"jixiao export: {err}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        written = export(con, fmt, out or layout.warehouse.parent / "export", tables)
    except ExportError as err:
        print(f"jixiao export: {terminal(str(err))}", file=sys.stderr)
        return exitcodes.USAGE
    finally:
        con.close()
    for path in written:
        print(terminal(str(path)))
    return exitcodes.PUBLISHED


def _refresh(args: argparse.Namespace, layout) -> int:
    from jixiao import progress
    from jixiao.escape import one_line, terminal
    from jixiao.pgcli import refresh_step
    from jixiao.refresh import refresh
    from jixiao.summary import format_summary

    if not (args.json or args.quiet):
        progress.enable()  # a terminal only: logs and pipes stay free of progress lines
    with open(os.devnull, "w") as null, contextlib.ExitStack() as stack:
        if args.json or args.quiet:  # stdout holds the one JSON object, or nothing
            stack.enter_context(contextlib.redirect_stdout(sys.stderr if args.json else null))
        try:
            result = refresh(args.documents, layout, wait=args.wait, force=args.force,
                             allow_empty=args.allow_empty, rebind=args.rebind_lake)
        finally:
            progress.disable()
        if args.json:
            code = refresh_step(layout, result)
            from jixiao.jsonout import dumps, refresh_payload

            payload = dumps({**refresh_payload(layout, result), "exit_code": code})
        elif result.outcome in ("lock_held", "bad_input"):
            print(f"jixiao refresh: {terminal(result.message)}", file=sys.stderr)
            return refresh_step(layout, result)
        else:
            try:
                print(terminal(format_summary(result, layout.warehouse)))
            except Exception as err:  # the summary reads the served file; never turn a publish into a failure
                print(f"Result: {one_line(result.message)} (run {result.run_id}; "
                      f"summary unavailable: {one_line(err)})")
            if result.outcome == "failed":
                print(f"jixiao refresh: {one_line(result.message.splitlines()[0])}", file=sys.stderr)
            return refresh_step(layout, result)
    print(payload)
    return code


def _docs(layout) -> int:
    from jixiao import dbtdocs
    from jixiao.build import BuildError

    with _locked(layout, 0.0, "docs") as held:
        if held is None:
            return exitcodes.LOCK_HELD
        try:
            page = dbtdocs.build_for_served(layout, pass_fds=held.fds())
        except FileNotFoundError as err:
            print(f"jixiao docs: {err}", file=sys.stderr)
            return exitcodes.USAGE
        except BuildError as err:
            print(f"jixiao docs: {err}", file=sys.stderr)
            return exitcodes.ERROR
    print(f"dbt docs (models, lineage, every column):  {page.as_uri()}")
    data_docs = layout.data_docs / "index.html"
    if data_docs.exists():
        print(f"Data Docs (quality gate, every rule):      {data_docs.as_uri()}")
    return exitcodes.PUBLISHED


def main(argv: list[str] | None = None) -> int:
    """The CLI; an I/O error ends as one line on stderr (exit 1), never a traceback."""
    try:
        return _main(argv)
    except OSError as err:
        from jixiao.refresh import io_message

        print(f"jixiao: {io_message(err)}", file=sys.stderr)
        return exitcodes.ERROR


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    refresh_p = sub.add_parser(
        "refresh", help="ingest -> build -> validate -> publish (only what changed)",
        description="Exit codes: 0 published or nothing changed, 1 error, 2 bad input/usage, "
                    "3 quality gate failed, 4 another refresh holds the lock, 5 published but a document is quarantined.",
    )
    _paths(refresh_p, documents=True)
    _wait(refresh_p)
    refresh_p.add_argument("--force", action="store_true",
                           help="re-parse every document and rebuild even if nothing changed")
    refresh_p.add_argument("--allow-empty", action="store_true",
                           help="accept an empty documents folder (retracts every document); without it, exit 2")
    refresh_p.add_argument("--rebind-lake", action="store_true",
                           help="take over a lake bound to another warehouse (without it, exit 2)")
    _output(refresh_p)
    ingest_p = sub.add_parser("ingest", help="parse new or changed documents into the raw Parquet lake")
    _paths(ingest_p, documents=True)
    _wait(ingest_p)
    _paths(sub.add_parser("build", help="dbt build from the lake into <warehouse>.next"))
    validate_p = sub.add_parser(
        "validate", help="run the quality gate on a warehouse (reads it; renders Data Docs beside it)",
        description="Exit codes: 0 no critical rule failed, 2 no such warehouse, 3 a critical rule failed.",
    )
    _paths(validate_p)
    validate_p.add_argument("--rules", action="store_true", help="list the rule catalogue and exit")
    rollback_p = sub.add_parser("rollback", help="serve the previous warehouse again")
    _paths(rollback_p)
    _wait(rollback_p)
    status_p = sub.add_parser("status", help="what is served, and the last runs")
    _paths(status_p)
    status_p.add_argument("--runs", type=int, default=10, help="how many runs to list (default 10)")
    status_p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    # --- quarantine block (issue 7) -----------------------------------------------------
    quarantine_p = sub.add_parser(
        "quarantine", help="documents not loaded (and, with --warnings, loaded with warnings), with reasons",
        description="Reads the newest run's per-document outcomes; never takes the refresh lock. Exit code 0.",
    )
    _paths(quarantine_p)
    quarantine_p.add_argument("--warnings", action="store_true",
                              help="also list documents loaded with warnings, with every parse issue (line, code, reason)")
    quarantine_p.add_argument("--run", metavar="RUN_ID", help="a given run instead of the newest")
    # --- end of quarantine block ------------------------------------------------------------
    pg_p = sub.add_parser(
        "publish-postgres", help="copy marts, quality and ops of the served warehouse into PostgreSQL (atomic swap)",
        description="The writer's password comes from PGPASSWORD, PGPASSFILE or ~/.pgpass, never the DSN. "
                    "Exit codes: 0 published, 1 failed (PostgreSQL unchanged), 2 no DSN or no warehouse.",
    )
    _paths(pg_p)
    pg_p.add_argument("--dsn", help="libpq DSN or URI without a password (default: $JIXIAO_PG_DSN)")
    pg_p.add_argument("--reader-role", default="jixiao_reader", help="read-only role for BI users (created if missing)")
    docs_p = sub.add_parser(
        "docs", help="build the dbt docs site (lineage, every column) beside the Data Docs; print both addresses",
        description="Both sites work offline. Exit codes: 0 built, 1 dbt failed, 2 no warehouse, 4 a refresh holds the lock.",
    )
    _paths(docs_p)
    export_p = sub.add_parser(
        "export", help="write the published marts as xlsx (one sheet per table), csv (UTF-8 with BOM) or parquet",
        description="Reads the served warehouse read-only. Exit codes: 0 written, 2 no warehouse or an unknown table.",
    )
    _paths(export_p)
    from jixiao.export import FORMATS

    export_p.add_argument("--format", choices=FORMATS, default=FORMATS[0], help=f"default {FORMATS[0]}")
    export_p.add_argument("--tables", nargs="+", metavar="TABLE", help="mart tables to export (default: every table)")
    export_p.add_argument("--out", type=Path, help="output folder (default: 'export' beside the warehouse)")
    synth_p = sub.add_parser("synth", help="write a synthetic corpus of documents and its truth.json")
    synth_p.add_argument("--documents", type=int, required=True, metavar="N", help="how many documents")
    synth_p.add_argument("--out", type=Path, required=True, help="folder for <file>.txt and truth.json")
    synth_p.add_argument("--seed", type=int, default=1, help="corpus seed (same seed, same corpus)")
    synth_p.add_argument("--layouts", default="county,provincial", help="comma-separated: county,provincial")
    args = parser.parse_args(argv)
    if args.command == "synth":
        from jixiao.synth.writer import synth_command

        return synth_command(args.documents, args.out, args.seed, args.layouts)
    layout = layout_for(args.warehouse, args.lake)

    if args.command == "docs":
        return _docs(layout)
    if args.command == "export":
        return _export(layout, args.format, args.tables, args.out)

    if args.command == "publish-postgres":
        from jixiao.pgcli import publish_command

        return publish_command(layout, args.dsn, args.reader_role)

    if args.command == "quarantine":
        from jixiao.escape import terminal
        from jixiao.quarantine import format_quarantine, load_report

        print(terminal(format_quarantine(layout, load_report(layout, args.run), warnings=args.warnings)))
        return exitcodes.PUBLISHED

    if args.command == "refresh":
        return _refresh(args, layout)
    if args.command == "ingest":
        from jixiao.landing import ingest_folder

        with _locked(layout, args.wait, "ingest") as held:
            if held is None:
                return exitcodes.LOCK_HELD
            report = ingest_folder(args.documents, layout.lake)
        from jixiao.escape import one_line

        for o in report.outcomes:
            print(one_line(f"{o.status:<22} {o.source_file} {o.rows or ''} {o.reason or ''}"))
        return exitcodes.QUARANTINED if report.count("quarantined") else exitcodes.PUBLISHED
    if args.command == "build":
        from jixiao.refresh import build_next

        with _locked(layout, 0.0, "build") as held:
            if held is None:
                return exitcodes.LOCK_HELD
            print(f"built {build_next(layout, pass_fds=held.fds())}")
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
        from jixiao.publish import PublishError, rollback

        with _locked(layout, args.wait, "rollback") as held:
            if held is None:
                return exitcodes.LOCK_HELD
            try:
                ok = rollback(layout)
            except PublishError as err:
                print(f"jixiao rollback: {err}", file=sys.stderr)
                return exitcodes.ERROR
        print("rolled back to the previous warehouse" if ok else "no previous warehouse (different from the served one) to roll back to")
        return exitcodes.PUBLISHED if ok else exitcodes.ERROR
    if args.command == "status":
        if args.json:
            from jixiao.jsonout import dumps, status_payload

            print(dumps(status_payload(layout, args.runs)))
            return exitcodes.PUBLISHED
        from jixiao.status import format_status

        print(format_status(layout, args.runs))
        return exitcodes.PUBLISHED
    return exitcodes.USAGE


if __name__ == "__main__":
    sys.exit(main())
