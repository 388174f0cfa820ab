"""What follows a publish: the DuckDB 1.x copy (``jixiao.compat``) and PostgreSQL (``jixiao.pgserve``),
as a command (``jixiao publish-postgres``) and as the last steps of ``refresh``."""

from __future__ import annotations

import os
import sys

from jixiao import exitcodes
from jixiao.paths import Layout
from jixiao.pgserve import DSN_ENV, READER_ROLE, PgPublishError, describe_dsn, publish_postgres, served_run


def publish_command(layout: Layout, dsn: str | None, reader: str = READER_ROLE) -> int:
    dsn = dsn or os.environ.get(DSN_ENV)
    if not dsn:
        print(f"jixiao publish-postgres: no DSN (--dsn or ${DSN_ENV})", file=sys.stderr)
        return exitcodes.USAGE
    if not layout.warehouse.exists():
        print(f"jixiao publish-postgres: no warehouse at {layout.warehouse}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        report = publish_postgres(layout.warehouse, dsn, reader=reader, log=lambda _m: None)
    except PgPublishError as err:
        print(f"jixiao publish-postgres: {err}", file=sys.stderr)
        return exitcodes.ERROR
    print(f"{report.line()} ({describe_dsn(dsn)})")
    return exitcodes.PUBLISHED


def after_refresh(layout: Layout, served_run_id: str | None) -> tuple[str, str]:
    """The optional PostgreSQL step of a refresh (``$JIXIAO_PG_DSN`` set): publish when
    PostgreSQL does not serve the run DuckDB serves. Returns (outcome, one-line message);
    outcome is ``skipped``, ``unchanged``, ``published`` or ``failed``. Never raises."""
    dsn = os.environ.get(DSN_ENV)
    if not dsn or not served_run_id or not layout.warehouse.exists():
        return "skipped", ""
    try:
        if served_run(dsn) == served_run_id:
            return "unchanged", f"postgres: already serves run {served_run_id}"
        report = publish_postgres(layout.warehouse, dsn, log=lambda _m: None)
    except PgPublishError as err:
        return "failed", f"postgres: {err}; the DuckDB warehouse stays published"
    except Exception as err:  # the PostgreSQL step must never hide the refresh's own outcome
        return "failed", f"postgres: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    return "published", report.line()


def refresh_step(layout: Layout, result) -> int:
    """What follows a refresh: PostgreSQL when a warehouse is served (the DuckDB 1.x copy was
    written by the refresh, under its lock: its failure is reported here),
    then status.json (and ``ops.refresh_status`` in PostgreSQL) with the final outcome. The
    refresh's exit code stands unless a step fails (then 1, with a one-line reason on stderr)."""
    from jixiao import status_file
    from jixiao.runlog import read_build

    code, outcome, message = result.exit_code, "skipped", ""
    if result.outcome in ("published", "no_change"):
        compat_failed = result.compat_error  # written under the refresh lock
        build = read_build(layout.warehouse)
        outcome, message = after_refresh(layout, build["run_id"] if build else None)
        if compat_failed:
            outcome, message = "failed", compat_failed
        if outcome == "failed":
            print(f"jixiao refresh: {message}", file=sys.stderr)
            code = exitcodes.ERROR
        elif message:
            print(message)
    status = dict(result.status or {})
    if status:
        status.update(exit_code=code, ok=code in (exitcodes.PUBLISHED, exitcodes.QUARANTINED),
                      postgres={"outcome": outcome, "message": message})
        try:
            status_file.write(layout, status)
        except OSError as err:
            print(f"jixiao refresh: could not write status.json: {err}", file=sys.stderr)
        _record_in_postgres(status, quiet=outcome == "failed")  # one line per failure
    return code


def _record_in_postgres(status: dict, quiet: bool = False) -> None:
    """The status row in PostgreSQL ``ops.refresh_status`` (best effort: status.json has it)."""
    from jixiao.pgserve import record_status

    dsn = os.environ.get(DSN_ENV)
    if not dsn:
        return
    try:
        record_status(dsn, status)
    except Exception as err:  # PostgreSQL down: the failure is already in status.json
        if not quiet:
                print(f"jixiao refresh: postgres: status not recorded: {type(err).__name__}", file=sys.stderr)


def compat_step(layout: Layout) -> str:
    """Write ``<warehouse>.v1.duckdb`` unless current; '' or a one-line reason it failed."""
    from jixiao.compat import ensure_compat_copy

    try:
        written, path = ensure_compat_copy(layout.warehouse)
    except Exception as err:  # never undo or hide the publish itself
        text = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return f"DuckDB 1.x copy not written: {type(err).__name__}: {text}; the warehouse stays published"
    if written:
        print(f"DuckDB 1.5+ copy: {path}")
    return ""
