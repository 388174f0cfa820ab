"""One refresh: ingest -> dbt build -> gate -> publish, each step also callable alone.

A refresh costs what changed and never shows half a result:

1. take the refresh locks (the lake's, then the warehouse's: one refresh at a time per lake and
   per warehouse; bounded wait), refuse a lake bound to another warehouse, clear a killed run's
   leftovers and what a read-write session did to the served file;
2. ingest: parse only new or changed documents into the lake (see ``jixiao.registry``);
3. if what dbt would read (the lake) and how it would build it (models, seeds, gate, versions)
   are exactly what the served warehouse was built from, stop: nothing to rebuild;
4. otherwise plan the build (``jixiao.delta``): the documents whose Parquet differs from what
   the SERVED file was built from (``ops.build_documents``) are the delta, written into the
   build as ``ops.build_delta``. A small delta (≤ ``delta.INCREMENTAL_MAX_SHARE``) on a trusted
   served build of the same project fingerprint is an incremental build: the served snapshot is
   copied to ``<warehouse>.next`` and ``dbt build`` patches it (the models keyed by document
   delete and re-insert the delta's rows, ``macros/by_document.sql``; the others are rebuilt
   whole; seeds and the dbt docs page are kept). Anything else is a full build from scratch
   (``--full-refresh``). Either way the quality gate runs on ``.next``, which gets the ``ops``
   run log and is swapped in with a rename (``jixiao.publish``): a crash mid-build leaves the
   served file untouched.

Every run, published or not, leaves its record in ``<lake>/history`` (``jixiao.runlog``).
Heavy imports (dbt runs in a subprocess; Great Expectations only in the validate step) are
made lazily so a no-op refresh finishes in about a second.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao import delta, exitcodes, lakestate, registry, runlog, status_file
from jixiao.build import BuildError, run_dbt_build
from jixiao.compat import create_database
from jixiao.escape import one_line
from jixiao.landing import IngestReport, ingest_folder
from jixiao.lock import LockHeld, acquire_all
from jixiao.paths import PROJECT_DIR, Layout
from jixiao.publish import PublishError, check_served, clean_stale, finalise, publish
from jixiao.runlog import Run

if TYPE_CHECKING:
    from jixiao.gate import GateReport


@dataclass
class RefreshResult:
    exit_code: int
    ingest: IngestReport | None = None
    gate: GateReport | None = None
    published: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""
    run_id: str = ""
    outcome: str = ""  # published | no_change | gate_failed | failed | lock_held | bad_input
    notes: list[str] = field(default_factory=list)  # what the refresh repaired on the way (one line each)
    status: dict | None = None  # what status.json says (jixiao.status_file)
    compat_error: str = ""  # why the DuckDB 1.x copy was not written ('' = written or current)


# Everything besides the lake that decides what a build produces and whether it passes.
PROJECT_INPUTS = (
    "dbt_project.yml",
    "profiles.yml",
    "packages.yml",
    "models",
    "seeds",
    "macros",
    "data-tests",
    "expectations",
    "jixiao/build.py",
    "jixiao/gate.py",
    "jixiao/quality",
)
VERSIONED = ("duckdb", "dbt-core", "dbt-duckdb", "great-expectations")


def project_fingerprint() -> str:
    h = hashlib.sha256()
    for name in PROJECT_INPUTS:
        path = PROJECT_DIR / name
        files = (
            [path]
            if path.is_file()
            else sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and "uncommitted" not in p.parts and "__pycache__" not in p.parts
            )
            if path.is_dir()
            else []
        )
        for p in files:
            h.update(str(p.relative_to(PROJECT_DIR)).encode() + b"\0" + p.read_bytes() + b"\0")
    for dist in VERSIONED:
        try:
            h.update(f"{dist}=={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} missing\0".encode())
    return h.hexdigest()[:16]


def fingerprints(lake_dir: Path, reg: registry.Registry | None = None) -> dict[str, str]:
    """What a warehouse is built from (the files dbt reads, the project); equal fingerprints give
    the same marts. ``reg``: the registry as ingest left it (else it is loaded)."""
    lake, project = lakestate.lake_fingerprint(lake_dir, reg), project_fingerprint()
    return {
        "lake_fingerprint": lake,
        "project_fingerprint": project,
        "build_fingerprint": hashlib.sha256(f"{lake}:{project}".encode()).hexdigest()[:16],
    }


def plan_build(layout: Layout, reg: registry.Registry, *, dirty: bool, force: bool) -> delta.BuildPlan:
    """Full or incremental, and which documents change, against what the SERVED file holds."""
    served = None if dirty else runlog.read_build(layout.warehouse)
    served_documents = delta.read_served_documents(layout.warehouse) if served else None
    return delta.choose_mode(
        served,
        served_documents,
        delta.document_fingerprints(reg),
        project_fingerprint(),
        dirty=dirty,
        force=force,
    )


def build_next(
    layout: Layout,
    plan: delta.BuildPlan | None = None,
    current: dict[str, str] | None = None,
    pass_fds: tuple[int, ...] = (),
) -> Path:
    """Build ``<warehouse>.next`` beside the served file (never the served file itself): from
    scratch, or (incremental) from a copy of the served snapshot patched for ``plan.delta``.
    ``current``: the lake's document fingerprints (default: from the registry); no plan: full."""
    if current is None:
        current = delta.document_fingerprints(registry.load(layout.lake))
    plan = plan or delta.BuildPlan(delta.FULL, delta.compute_delta({}, current), "build")
    target = layout.next_warehouse
    for stale in (target, target.with_name(target.name + ".wal")):
        if stale.exists():
            stale.unlink()
    incremental = plan.mode == delta.INCREMENTAL
    if incremental:
        delta.copy_served(layout.warehouse, target)
    else:  # DuckDB 1.5 and later read what is built into it (jixiao.compat)
        create_database(target)
    delta.write_delta(target, plan, current)
    run_dbt_build(target, layout.lake, layout.work, pass_fds=pass_fds, full_refresh=not incremental)
    if not incremental or not dbtdocs_current(layout):
        _generate_dbt_docs(target, layout, pass_fds)
    finalise(target)
    return target


def dbtdocs_current(layout: Layout) -> bool:
    """The published dbt docs page still describes an incremental build: it shows the project
    (manifest) and the tables' columns and types (catalog), all unchanged when the project
    fingerprint is, and no row counts (dbt-duckdb's catalog has no table statistics)."""
    from jixiao import dbtdocs

    return (dbtdocs.site(layout) / dbtdocs.SITE_PAGE).is_file()


def _generate_dbt_docs(target: Path, layout: Layout, pass_fds: tuple[int, ...]) -> None:
    """The dbt docs page of this build (published with it); a failure is said, never blocks."""
    from jixiao import dbtdocs

    try:
        dbtdocs.generate(target, layout, pass_fds=pass_fds)
    except (BuildError, OSError, subprocess.TimeoutExpired) as err:
        print(f"jixiao: dbt docs not generated: {one_line(err)}", file=sys.stderr)


def gate_scope(plan: delta.BuildPlan | None) -> set[str] | None:
    """The documents the gate's row rules read: those an incremental build changed (removed
    ones included, so their kept results are dropped); None = every document (a full build)."""
    if plan is None or plan.mode != delta.INCREMENTAL:
        return None
    return set(plan.delta)


def check_lake_first(
    layout: Layout, run_id: str, report: IngestReport, plan: delta.BuildPlan | None = None
) -> GateReport:
    """The lake suites before the build: a NULL key or an orphan row stops the refresh with
    the rule id and the source rows (exit 3) instead of a failing dbt test (exit 1); the
    documents ingest held back are reported by their catalogue rules (never blocking).
    ``documents``: the ids whose rows differ from the served warehouse's (``None``: every row)."""
    from jixiao.gate import check_lake

    verdicts = [d.verdict_row() for d in report.documents if d.action != registry.REMOVED]
    return check_lake(layout, run_id=run_id, record=False, verdicts=verdicts, documents=gate_scope(plan))


def validate_next(
    built: Path,
    layout: Layout,
    run_id: str,
    lake_report: GateReport | None = None,
    plan: delta.BuildPlan | None = None,
) -> GateReport:
    """The validate step: the quality gate on the built file, before anyone can see it
    (``documents``: as for ``check_lake_first``)."""
    from jixiao.gate import run_gate, warehouse_suites

    scope = {"documents": gate_scope(plan)}
    # writes quality.* into `built` (with the history from the lake) and Data Docs beside it
    if lake_report is None:
        return run_gate(built, layout, run_id=run_id, record=True, **scope)
    return run_gate(
        built, layout, run_id=run_id, record=True, suites=warehouse_suites(), prior=lake_report, **scope
    )


def record_failed_lake_check(layout: Layout, report: GateReport) -> None:
    from jixiao.quality import history

    history.append(layout.lake, report, warehouse=None)


def _counts(report: IngestReport) -> dict[str, int]:
    docs = report.documents
    return {
        "seen": sum(1 for d in docs if d.action != registry.REMOVED),
        "added": report.count_action(registry.ADDED),
        "changed": report.count_action(registry.CHANGED),
        "renamed": report.count_action(registry.RENAMED),
        "reparsed": sum(
            report.count_action(a) for a in (registry.REPARSED, registry.REPAIRED, registry.RETRIED)
        ),
        "removed": report.count_action(registry.REMOVED),
        "unchanged": report.count_action(registry.UNCHANGED),
        "duplicate": report.count_action(registry.DUPLICATE),
        # tried this run and not loaded
        "failed": sum(
            1
            for d in docs
            if d.action in (*registry.NEEDS_LANDING, registry.UNREADABLE)
            and d.status in ("quarantined", "failed")
        ),
        # standing: documents of the folder that are not in the warehouse because they are bad
        "quarantined": sum(1 for d in docs if d.status in ("quarantined", "failed")),
        "loaded": sum(1 for d in docs if d.status in registry.LANDED),
    }


def _gate_figures(gate) -> dict[str, object]:
    return {
        "passed": bool(gate.passed),
        "rules": len(getattr(gate, "results", []) or []),
        "critical_failures": len(getattr(gate, "failed_critical", []) or []),
        "warnings": len(getattr(gate, "warnings", []) or []),
    }


def _registry_rows(reg: registry.Registry) -> list[dict]:
    rows = []
    for e in sorted(reg.entries.values(), key=lambda e: e.source_file):
        row = {
            "document_id": e.document_id,
            "source_file": e.source_file,
            "content_sha256": e.content_sha256,
            "byte_size": e.byte_size,
            "status": e.status,
            "reason_code": e.reason_code,
            "rule_id": runlog.rule_id_for(e.reason_code),
            "reason": e.reason,
            "reason_line": e.reason_line,
            "first_seen_run": e.first_seen_run,
            "landed_by_run": e.landed_by_run,
        }
        row.update({f"rows_{t}": n for t, n in e.rows.items()})
        rows.append(row)
    return rows


def refresh(
    documents: Path,
    layout: Layout,
    *,
    wait: float = 0.0,
    force: bool = False,
    allow_empty: bool = False,
    rebind: bool = False,
) -> RefreshResult:
    """Bring the served warehouse in line with ``documents``; see the module docstring.

    ``allow_empty``: an empty documents folder normally means a share that is not mounted, not
    "retract everything"; the refresh refuses (exit 2) unless this is set. ``rebind``: take over
    a lake bound to another warehouse.
    """
    run = Run.start(documents, layout.warehouse, forced=force)
    if not documents.is_dir():
        return _stop(layout, run, "bad_input", exitcodes.USAGE, f"documents folder not found: {documents}")
    try:
        locks = acquire_all([layout.lake_lock, layout.lock], wait, purpose=f"refresh {run.run_id}")
    except LockHeld as err:
        return _stop(layout, run, "lock_held", exitcodes.LOCK_HELD, str(err))
    except OSError as err:
        return _stop(layout, run, "failed", exitcodes.ERROR, io_message(err))
    with locks:
        try:
            lakestate.bind(layout, rebind)
            result = _refresh_locked(documents, layout, run, locks.fds(), force, allow_empty)
            if result.outcome in ("published", "no_change"):  # under the lock: one writer of the copy
                from jixiao.pgcli import compat_step

                result.compat_error = compat_step(layout)
            return result
        except lakestate.LakeBound as err:
            return _stop(layout, run, "bad_input", exitcodes.USAGE, str(err))
        except Exception as err:
            layout.next_warehouse.unlink(missing_ok=True)
            return _stop(layout, run, "failed", exitcodes.ERROR, failure_message(err, layout))


def io_message(err: OSError) -> str:
    """One line for an I/O error: what failed, that nothing was served, what to do."""
    what = f"{err.strerror or type(err).__name__}" + (f": {err.filename}" if err.filename else "")
    hint = {
        28: "free disk space",
        30: "make the folder writable (is it mounted read-only?)",
        13: "check the folder's owner and permissions",
    }.get(err.errno or 0, "check the disk and the paths")
    return one_line(
        f"I/O error ({what}); the served warehouse is unchanged. {hint.capitalize()} and run the refresh again."
    )


def failure_message(err: Exception, layout: Layout) -> str:
    """One line for why a refresh failed; an unexpected error's traceback goes to a file."""
    if isinstance(err, BuildError):
        return str(err)
    if isinstance(err, PublishError):
        return one_line(str(err))
    if isinstance(err, OSError):
        return io_message(err)
    import traceback

    where = layout.warehouse.parent / f".{layout.warehouse.name}.error.log"
    try:
        where.write_text("".join(traceback.format_exception(err)), encoding="utf-8")
        detail = f"; traceback in {where}"
    except OSError:
        detail = ""
    first = (str(err).strip().splitlines() or [""])[0]
    return one_line(f"{type(err).__name__}: {first}; the served warehouse is unchanged{detail}")


def _stop(layout: Layout, run: Run, outcome: str, code: int, message: str, **kw) -> RefreshResult:
    if kw.get("notes"):  # what was repaired on the way goes into the run log too
        message = f"{message} ({'; '.join(kw['notes'])})"
    run.finish(outcome, code, message)
    try:
        runlog.write_history(layout.lake, run)
    except OSError as err:  # the log must never hide the outcome: park it beside the warehouse
        runlog.park_unrecorded(layout, run, err)
    status = None
    try:  # <warehouse dir>/status.json: the last attempt, readable outside the served file
        status = status_file.from_run(layout, run)
        status_file.write(layout, status)
    except OSError as err:
        print(f"jixiao: could not write status.json: {one_line(str(err))}", file=sys.stderr)
    return RefreshResult(
        code, status=status, message=message, run_id=run.run_id, outcome=outcome, timings=run.timings, **kw
    )


def _refresh_locked(
    documents: Path, layout: Layout, run: Run, lock_fds: tuple[int, ...], force: bool, allow_empty: bool
) -> RefreshResult:
    timings = run.timings
    layout.warehouse.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(layout)  # a killed run's .next / .wal / temp links
    served_state = check_served(layout)  # a read-write session's lock, stale WAL or edits
    notes = served_state.notes
    for note in notes:
        print(f"jixiao refresh: {one_line(note)}", file=sys.stderr)
    served = runlog.read_build(layout.warehouse)
    runlog.mark_interrupted(layout.lake, served["run_id"] if served else None)
    runlog.recover_unrecorded(layout)  # runs that could not write their log
    runlog.write_history(layout.lake, run)  # "running": a kill from here on is visible later

    if not allow_empty and not registry.list_documents(documents):
        loaded = len(registry.load(layout.lake).landed())
        if loaded:
            return _stop(
                layout,
                run,
                "bad_input",
                exitcodes.USAGE,
                f"documents folder {documents} has no documents but the lake holds {loaded}; "
                "nothing was changed (is the folder mounted?). Pass --allow-empty to retract them all.",
            )

    t = time.perf_counter()
    report = ingest_folder(documents, layout.lake, run_id=run.run_id, force=force)
    timings["ingest"] = time.perf_counter() - t
    run.documents, run.counts = report.documents, _counts(report)
    fp = fingerprints(layout.lake, report.registry)  # the files dbt will read, as they are now
    run.build_fingerprint = fp["build_fingerprint"]
    done = exitcodes.QUARANTINED if run.counts["quarantined"] else exitcodes.PUBLISHED
    extra = {"ingest": report, "notes": notes}

    if (
        not force
        and not served_state.dirty
        and served
        and served.get("build_fingerprint") == fp["build_fingerprint"]
    ):
        run.served_run_id = served["run_id"]
        return _stop(
            layout, run, "no_change", done, "nothing changed; the served warehouse is up to date", **extra
        )

    plan = plan_build(layout, report.registry, dirty=served_state.dirty, force=force)
    t = time.perf_counter()
    lake_report = check_lake_first(layout, run.run_id, report, plan)
    timings["check_lake"] = time.perf_counter() - t
    if not lake_report.passed:
        record_failed_lake_check(layout, lake_report)
        run.gate = _gate_figures(lake_report)
        run.served_run_id = served["run_id"] if served else None
        return _stop(
            layout,
            run,
            "gate_failed",
            exitcodes.GATE_FAILED,
            "quality gate failed on the raw lake; nothing was built, the previous warehouse stays served",
            gate=lake_report,
            **extra,
        )

    t = time.perf_counter()
    built = build_next(layout, plan, delta.document_fingerprints(report.registry), pass_fds=lock_fds)
    timings["build"] = time.perf_counter() - t
    if lakestate.lake_fingerprint(layout.lake, report.registry) != fp["lake_fingerprint"]:
        built.unlink(missing_ok=True)
        return _stop(
            layout,
            run,
            "failed",
            exitcodes.ERROR,
            "the lake changed while dbt read it (a process outside this refresh wrote to it); "
            "nothing was published. Run the refresh again.",
            **extra,
        )

    t = time.perf_counter()
    gate = validate_next(built, layout, run.run_id, lake_report, plan)
    timings["validate"] = time.perf_counter() - t
    run.gate = _gate_figures(gate)
    extra["gate"] = gate
    if not gate.passed:
        built.unlink(missing_ok=True)
        run.served_run_id = served["run_id"] if served else None
        return _stop(
            layout,
            run,
            "gate_failed",
            exitcodes.GATE_FAILED,
            "quality gate failed; the previous warehouse stays served",
            **extra,
        )

    t = time.perf_counter()
    run.served_run_id, run.published = run.run_id, True
    message = "published"
    run.finish("published", done, message)  # as the built file records it; refined below
    build_row = {
        "run_id": run.run_id,
        "built_at": runlog.now(),
        "parser_fingerprint": registry.parser_fingerprint(),
        "documents_loaded": run.counts["loaded"],
        **fp,
    }
    runlog.write_ops(built, layout.lake, run, _registry_rows(report.registry), build_row)
    finalise(built)
    publish(layout, run.run_id)
    from jixiao import dbtdocs

    dbtdocs.publish_site(layout)
    timings["publish"] = time.perf_counter() - t
    shutil.rmtree(layout.work / "dbt_logs", ignore_errors=True)
    return _stop(layout, run, "published", done, message, published=True, **extra)
