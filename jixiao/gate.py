"""The quality gate: does a built warehouse (and the lake it was built from) deserve publishing?

Great Expectations suites (``expectations/gx/expectations/*.json``) run on DataFrames fetched
from DuckDB (``expectations/frames/*.sql``): the raw lake (``raw_*`` suites: schema and types,
keys, lineage, raw relations) and the built warehouse (``marts_*`` suites: relations across
tables, value sets, ranges, funding reconciliation, coverage, the source's known mistakes).
dbt's own tests (keys, not-null, relationships, accepted values on the models) ran in the build;
nothing here repeats them.

Every rule has an id, a severity, a category and a one-line meaning (the expectation's
``severity`` and ``meta``). A failed *critical* rule blocks publishing; *warnings* are reported
and recorded, never blocking. Each failure carries example rows (document, line).

``documents``: ``None`` validates every row (a full build, ``jixiao validate``). A set makes the
gate cost what changed (``jixiao.quality.evaluation``): *row* rules run only on those
documents' rows (the frame SQL filtered in DuckDB), *corpus* rules on the whole corpus as SQL
aggregates, both compiled from the suites' expectations and run in DuckDB without GX (GX's own
cost per suite is a second or more whatever the rows; a full gate checks that GX and the SQL
agree on every row rule), and every row rule is reported over the whole warehouse
from the per-document results the served warehouse keeps (``quality.rule_documents``,
``jixiao.quality.state``) with the changed and removed documents' rows replaced. Without such a
table (first build, other rules) the gate runs in full and says so in its notes.

``run_gate`` also, with ``record=True`` (the refresh), appends the results to the history in the
lake (``<lake>/history/quality_rule_results/<run_id>.parquet``) and loads the whole history into
the gated file's ``quality`` schema. Every run renders GX Data Docs beside the warehouse
(``<warehouse dir>/data_docs/index.html``; GX's own result JSON in ``data_docs/.gx_results``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jixiao import progress
from jixiao.paths import Layout, layout_for
from jixiao.quality import docs, frames, history, state
from jixiao.quality.evaluation import (
    CORPUS,
    ROW,
    ROW_COUNT,
    Check,
    Tally,
    checks_of,
    compact,
    counts_sql,
    documents_of,
    result_of,
    tallies,
)
from jixiao.quality.project import EXAMPLE_COLUMNS, SUITES_DIR, open_context, suite_names
from jixiao.quality.results import MAX_EXAMPLES, Example, GateReport, RuleResult, from_gx

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

__all__ = ["GateReport", "RuleResult", "Example", "run_gate", "check_lake", "warehouse_suites", "new_run_id"]

RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": EXAMPLE_COLUMNS,
    "partial_unexpected_count": MAX_EXAMPLES,
}
KEEP_DOCS_RUNS = 20  # Data Docs show the latest runs; the quality history keeps every run
GX_RESULTS = ".gx_results"  # GX's validation-results store, inside the Data Docs folder it renders


def new_run_id(at: datetime | None = None) -> str:
    at = at or datetime.now(UTC)
    return at.strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


def _layout_of(warehouse: Path) -> Layout:
    """The layout a built file belongs to (``x.duckdb.next`` is gated for ``x.duckdb``)."""
    served = warehouse.with_name(warehouse.name.removesuffix(".next"))
    return layout_for(served, None)


def _frame_error(suite: str, err: Exception) -> RuleResult:
    return RuleResult(
        suite=suite,
        rule_id=f"{suite}:frame",
        severity="critical",
        success=False,
        observed=f"{type(err).__name__}: {str(err).splitlines()[0][:300]}",
        meaning=f"the data suite {suite} validates could be fetched (expectations/frames/{suite}.sql)",
        category="schema",
    )


def registry_verdicts(lake: Path) -> list[dict]:
    """The verdicts the registry keeps (for a gate run outside a refresh)."""
    from jixiao import registry

    return [
        {
            "document_id": e.document_id,
            "source_file": e.source_file,
            "status": e.status,
            "reason_code": e.reason_code,
            "reason": e.reason,
            "reason_line": e.reason_line,
        }
        for e in sorted(registry.load(lake).entries.values(), key=lambda e: e.source_file)
    ]


def suite_checks(suite: str) -> list[Check]:
    body = json.loads((SUITES_DIR / f"{suite}.json").read_text(encoding="utf-8"))
    return checks_of(suite, body["expectations"])


@dataclass
class _Collected:
    """What the frames gave: the DataFrames GX validates (a full gate), the per-document
    tallies of the row rules, and (an incremental gate) the corpus rules' results from SQL."""

    dataframes: dict = field(default_factory=dict)
    checks: dict[str, list[Check]] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)
    corpus: list[RuleResult] = field(default_factory=list)


def _tally(con: duckdb.DuckDBPyConnection, frame: str, checks: list[Check], by_document: bool) -> list[Tally]:
    cursor = con.execute(counts_sql(frame, checks, frames.column_types(con, frame), by_document))
    return tallies(checks, cursor.fetchall(), [d[0] for d in cursor.description])


def _collect_full(con: duckdb.DuckDBPyConnection, suite: str, rows: list[Check], out: _Collected) -> None:
    """Every row into a DataFrame for GX; the row rules tallied per document on the same rows."""
    df = out.dataframes[suite] = frames.fetch(con, suite)
    if rows:
        con.register("_gate_frame", df)
        try:
            out.tallies += compact(_tally(con, "select * from _gate_frame", rows, True))
        finally:
            con.unregister("_gate_frame")


def _collect_delta(
    con: duckdb.DuckDBPyConnection, suite: str, checks: list[Check], documents: set[str], out: _Collected
) -> None:
    """In DuckDB only: the row rules on the changed documents' rows, the corpus rules as one
    aggregate over the whole frame. No row reaches pandas."""
    sql = frames.suite_sql(suite)
    rows = [c for c in checks if c.evaluation == ROW]
    corpus = [c for c in checks if c.evaluation == CORPUS]
    if rows:
        out.tallies += compact(_tally(con, frames.only_documents(sql, documents), rows, True))
    if corpus:
        totals = _tally(con, sql, corpus, False)
        out.corpus += [result_of(c, [t]) for c, t in zip(corpus, totals, strict=True)]


def _collect(
    warehouse: Path | None,
    lake: Path,
    suites: list[str],
    report: GateReport,
    verdicts: list[dict] | None,
    documents: set[str] | None,
) -> _Collected:
    out = _Collected()
    con = duckdb.connect(str(warehouse), read_only=True) if warehouse else duckdb.connect()
    try:
        # only what the suites read: the warehouse suites alone need neither lake nor registry
        lake_ok = frames.lake_available(lake)
        if lake_ok and any(frames.is_lake_suite(s) and s != frames.VERDICT_SUITE for s in suites):
            frames.register_lake(con, lake)
        if frames.VERDICT_SUITE in suites:
            frames.register_verdicts(con, registry_verdicts(lake) if verdicts is None else verdicts)
        for suite in suites:
            if frames.is_lake_suite(suite) and not lake_ok and suite != frames.VERDICT_SUITE:
                report.notes.append(f"suite {suite} skipped: no raw lake at {lake}")
                continue
            checks = out.checks[suite] = suite_checks(suite)
            try:
                if documents is None:
                    _collect_full(con, suite, [c for c in checks if c.evaluation == ROW], out)
                else:
                    _collect_delta(con, suite, checks, documents, out)
            except duckdb.Error as err:
                out.dataframes.pop(suite, None)
                report.results.append(_frame_error(suite, err))
            progress.report("validate", len(out.checks), len(suites), f"frames fetched ({suite})")
    finally:
        con.close()
    return out


def _prune(store: Path, site: Path, keep: int) -> None:
    """Keep GX's results and pages of the latest ``keep`` runs (folders <suite>/<run_name>/...)."""
    if not store.is_dir():
        return
    for suite_dir in (p for p in store.iterdir() if p.is_dir()):
        runs = sorted(p for p in suite_dir.iterdir() if p.is_dir())
        for old in runs[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
            shutil.rmtree(site / "validations" / suite_dir.name / old.name, ignore_errors=True)


def _validate(
    dataframes: dict, layout: Layout, store: Path, report: GateReport
) -> tuple[list[RuleResult], object]:
    """GX on the fetched frames: its results, and the context that holds them (for Data Docs)."""
    from great_expectations.core.run_identifier import RunIdentifier

    context = open_context(layout.data_docs, store)
    run = RunIdentifier(run_name=report.run_id, run_time=report.run_at)
    found: list[RuleResult] = []
    for suite, df in dataframes.items():
        definition = context.validation_definitions.get(suite)
        validation = definition.run(
            batch_parameters={"dataframe": df}, result_format=RESULT_FORMAT, run_id=run
        )
        found.extend(from_gx(suite, validation))
        progress.report("validate", len(report.results) + len(found), None, f"rules run ({suite})")
    return found, context


def _render_docs(context, suites: list[str], report: GateReport, layout: Layout, store: Path) -> None:
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    started = time.time()
    try:
        _prune(store, layout.data_docs, KEEP_DOCS_RUNS)
        # render this run's pages and the suites' (earlier runs' pages are already there)
        this_run = [
            k for k in context.validation_results_store.list_keys() if k.run_id.run_name == report.run_id
        ]
        docs.escape_stored_results(store, report.run_id)  # GX pastes values into its pages raw
        context.build_data_docs(
            resource_identifiers=this_run + [ExpectationSuiteIdentifier(s) for s in suites]
        )
        report.data_docs = docs.finish_site(layout.data_docs, report, since=started)
    except Exception as err:  # the docs are a view of the results, never a reason to block
        report.notes.append(f"Data Docs not rendered: {type(err).__name__}: {err}")


def _by_rule(tallied: list[Tally]) -> dict[tuple[str, str], list[Tally]]:
    out: dict[tuple[str, str], list[Tally]] = {}
    for t in tallied:
        out.setdefault((t.suite, t.rule_id), []).append(t)
    return out


def _full_results(gx: list[RuleResult], got: _Collected, report: GateReport) -> bool:
    """GX's results, each row rule with the documents its unexpected rows are in. Returns
    whether the tallies agree with GX on every row rule (else they are not kept for the next
    gate, which then runs in full)."""
    by_rule, agree = _by_rule(got.tallies), True
    rows = {(c.suite, c.rule_id) for checks in got.checks.values() for c in checks if c.evaluation == ROW}
    for r in gx:
        if (r.suite, r.rule_id) not in rows:
            continue
        parts = by_rule.get((r.suite, r.rule_id), [])  # compacted: a rule that found nothing has none
        r.documents = documents_of(parts)
        counted = sum(t.unexpected_count for t in parts)
        if r.unexpected_count is not None and counted != r.unexpected_count:
            agree = False
            report.notes.append(
                f"{r.rule_id}: GX counts {r.unexpected_count} unexpected rows, the per-document tally {counted}; "
                "the per-document results are not kept (the next gate runs in full)"
            )
    return agree


def _delta_results(got: _Collected, merged: list[Tally]) -> list[RuleResult]:
    """Row rules from the merged per-document tallies, corpus rules from their SQL aggregates."""
    by_rule = _by_rule(merged)
    rows = [
        result_of(c, by_rule.get((c.suite, c.rule_id), []), by_rule.get((c.suite, ROW_COUNT), []))
        for checks in got.checks.values()
        for c in checks
        if c.evaluation == ROW
    ]
    return rows + got.corpus


def _base_state(
    layout: Layout, base: Path | None, documents: set[str] | None, suites: list[str], report: GateReport
) -> list[Tally] | None:
    """The per-document results an incremental gate starts from (``None``: run in full)."""
    if documents is None:
        return None
    source = Path(base) if base is not None else layout.warehouse
    found = state.read(source, state.gate_fingerprint(), suites)
    if found is None:
        report.notes.append(
            f"every row validated: {source} keeps no per-document results of these rules "
            "(first build, or the rules changed)"
        )
    return found


def _run_full(got: _Collected, layout: Layout, report: GateReport) -> list[Tally] | None:
    store = layout.data_docs / GX_RESULTS
    gx, context = _validate(got.dataframes, layout, store, report)
    agree = _full_results(gx, got, report)
    report.results.extend(gx)
    _sort(report)
    _render_docs(context, list(got.dataframes), report, layout, store)
    return got.tallies if agree else None


def _run_delta(
    got: _Collected, base: list[Tally], delta: set[str], layout: Layout, report: GateReport
) -> list[Tally]:
    failed = {r.suite for r in report.results if r.rule_id.endswith(":frame")}
    ran = set(got.checks) - failed
    merged = [t for t in state.merge(base, got.tallies, delta, ran) if t.suite in ran]
    report.results.extend(r for r in _delta_results(got, merged) if r.suite in ran)
    _sort(report)
    report.notes.append(
        f"incremental gate: row rules validated on the rows of {len(delta)} changed or removed documents, "
        "corpus rules on the whole corpus (both in DuckDB, without GX); counts and examples cover the whole "
        "warehouse; GX pages are those of the latest full gate"
    )
    report.data_docs = docs.update_index(layout.data_docs, report)
    return merged


def _sort(report: GateReport) -> None:
    report.results.sort(key=lambda r: (r.severity != "critical", r.success, r.rule_id))


def run_gate(
    warehouse: Path | None,
    layout: Layout | None = None,
    *,
    run_id: str | None = None,
    record: bool = True,
    suites: list[str] | None = None,
    prior: GateReport | None = None,
    verdicts: list[dict] | None = None,
    documents: set[str] | None = None,
    base: Path | None = None,
) -> GateReport:
    """Run the suites on ``warehouse`` (a built file) and the lake; see the module docstring.

    ``record``: write the results into ``warehouse``'s ``quality`` schema (with the history and
    the per-document results) and append them to the history in the lake. Never pass
    ``record=True`` for the served file. ``warehouse=None`` runs only the lake suites (a check
    before building). ``prior``: results of this run's earlier ``check_lake`` (not recorded
    then), reported and recorded with these. ``verdicts``: what ingest decided for each document
    this run (default: the registry's). ``documents``: ``None`` validates every row; a set, the
    documents whose rows may differ from ``base``'s (added, changed, re-read and removed ones):
    the incremental gate. ``base``: the warehouse whose per-document results it starts from
    (default: the served one).
    """
    if layout is None:
        if warehouse is None:
            raise ValueError("run_gate needs a warehouse or a layout")
        layout = _layout_of(Path(warehouse))
    run_at = datetime.now(UTC)
    report = GateReport(run_id=run_id or new_run_id(run_at), run_at=run_at)
    names = suites or suite_names()
    if warehouse is None:
        names = [s for s in names if frames.is_lake_suite(s)]
    elif record and Path(warehouse).resolve() == layout.warehouse.resolve():
        raise ValueError(f"refusing to write quality results into the served warehouse {warehouse}")
    kept: list[Tally] | None = []
    if prior is not None:
        report.results.extend(prior.results)
        report.notes.extend(prior.notes)
        kept = None if prior.tallies is None else list(prior.tallies)

    base_tallies = _base_state(layout, base, documents, names, report)
    delta = documents if base_tallies is not None else None
    report.documents = None if delta is None else set(delta)
    got = _collect(Path(warehouse) if warehouse else None, layout.lake, names, report, verdicts, delta)
    if delta is None:
        found = _run_full(got, layout, report)
    else:
        found = _run_delta(got, base_tallies or [], delta, layout, report)
    report.tallies = None if kept is None or found is None else kept + found

    if record:
        history.append(layout.lake, report, warehouse=Path(warehouse).name if warehouse else None)
        if warehouse is not None:
            history.load_into(Path(warehouse), layout.lake)
            state.write(Path(warehouse), report.tallies, state.gate_fingerprint())
    return report


def check_lake(
    layout: Layout,
    *,
    run_id: str | None = None,
    record: bool = True,
    verdicts: list[dict] | None = None,
    documents: set[str] | None = None,
    base: Path | None = None,
) -> GateReport:
    """Only the lake suites, before anything is built: a broken raw table stops the refresh
    with the rule and the rows (document, line) instead of a failing dbt test further on; the
    documents ingest held back are reported by their rules (they never block). ``documents``
    and ``base``: as for :func:`run_gate` (``None``: every row)."""
    return run_gate(
        None, layout, run_id=run_id, record=record, verdicts=verdicts, documents=documents, base=base
    )


def warehouse_suites() -> list[str]:
    """The suites that need a built warehouse (the rest run on the lake alone)."""
    return [s for s in suite_names() if not frames.is_lake_suite(s)]
