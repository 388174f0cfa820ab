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

``run_gate`` also, with ``record=True`` (the refresh), appends the results to the history in the
lake (``<lake>/history/quality_rule_results/<run_id>.parquet``) and loads the whole history into
the gated file's ``quality`` schema. Every run renders GX Data Docs beside the warehouse
(``<warehouse dir>/data_docs/index.html``; GX's own result JSON in ``data_docs/.gx_results``).
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jixiao import progress
from jixiao.paths import Layout, layout_for
from jixiao.quality import docs, frames, history
from jixiao.quality.project import EXAMPLE_COLUMNS, open_context, suite_names
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
        {"document_id": e.document_id, "source_file": e.source_file, "status": e.status,
         "reason_code": e.reason_code, "reason": e.reason, "reason_line": e.reason_line}
        for e in sorted(registry.load(lake).entries.values(), key=lambda e: e.source_file)
    ]


def _fetch_frames(
    warehouse: Path | None, lake: Path, suites: list[str], report: GateReport, verdicts: list[dict] | None
) -> dict:
    dataframes = {}
    con = duckdb.connect(str(warehouse), read_only=True) if warehouse else duckdb.connect()
    try:
        lake_ok = frames.lake_available(lake)
        if lake_ok:
            frames.register_lake(con, lake)
        frames.register_verdicts(con, registry_verdicts(lake) if verdicts is None else verdicts)
        for suite in suites:
            if frames.is_lake_suite(suite) and not lake_ok and suite != frames.VERDICT_SUITE:
                report.notes.append(f"suite {suite} skipped: no raw lake at {lake}")
                continue
            try:
                dataframes[suite] = frames.fetch(con, suite)
            except duckdb.Error as err:
                report.results.append(_frame_error(suite, err))
    finally:
        con.close()
    return dataframes


def _prune(store: Path, site: Path, keep: int) -> None:
    """Keep GX's results and pages of the latest ``keep`` runs (folders <suite>/<run_name>/...)."""
    if not store.is_dir():
        return
    for suite_dir in (p for p in store.iterdir() if p.is_dir()):
        runs = sorted(p for p in suite_dir.iterdir() if p.is_dir())
        for old in runs[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
            shutil.rmtree(site / "validations" / suite_dir.name / old.name, ignore_errors=True)


def _validate(dataframes: dict, report: GateReport, layout: Layout, store: Path) -> None:
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    context = open_context(layout.data_docs, store)
    run = RunIdentifier(run_name=report.run_id, run_time=report.run_at)
    for suite, df in dataframes.items():
        definition = context.validation_definitions.get(suite)
        validation = definition.run(batch_parameters={"dataframe": df}, result_format=RESULT_FORMAT, run_id=run)
        report.results.extend(from_gx(suite, validation))
        progress.report("validate", len(report.results), None, f"rules run ({suite})")
    report.results.sort(key=lambda r: (r.severity != "critical", r.success, r.rule_id))
    try:
        _prune(store, layout.data_docs, KEEP_DOCS_RUNS)
        # render this run's pages and the suites' (earlier runs' pages are already there)
        this_run = [k for k in context.validation_results_store.list_keys() if k.run_id.run_name == report.run_id]
        suites = [ExpectationSuiteIdentifier(name) for name in dataframes]
        docs.escape_stored_results(store, report.run_id)  # GX pastes values into its pages raw
        context.build_data_docs(resource_identifiers=this_run + suites)
        report.data_docs = docs.finish_site(layout.data_docs, report)
    except Exception as err:  # the docs are a view of the results, never a reason to block
        report.notes.append(f"Data Docs not rendered: {type(err).__name__}: {err}")


def run_gate(
    warehouse: Path | None,
    layout: Layout | None = None,
    *,
    run_id: str | None = None,
    record: bool = True,
    suites: list[str] | None = None,
    prior: GateReport | None = None,
    verdicts: list[dict] | None = None,
) -> GateReport:
    """Run the suites on ``warehouse`` (a built file) and the lake; see the module docstring.

    ``record``: write the results into ``warehouse``'s ``quality`` schema (with the history) and
    append them to the history in the lake. Never pass ``record=True`` for the served file.
    ``warehouse=None`` runs only the lake suites (a check before building). ``prior``: results of
    this run's earlier ``check_lake`` (not recorded then), reported and recorded with these.
    ``verdicts``: what ingest decided for each document this run (default: the registry's).
    """
    if layout is None:
        if warehouse is None:
            raise ValueError("run_gate needs a warehouse or a layout")
        layout = _layout_of(Path(warehouse))
    run_at = datetime.now(UTC)
    report = GateReport(run_id=run_id or new_run_id(run_at), run_at=run_at)
    if prior is not None:
        report.results.extend(prior.results)
        report.notes.extend(prior.notes)
    names = suites or suite_names()
    if warehouse is None:
        names = [s for s in names if frames.is_lake_suite(s)]
    elif record and Path(warehouse).resolve() == layout.warehouse.resolve():
        raise ValueError(f"refusing to write quality results into the served warehouse {warehouse}")

    dataframes = _fetch_frames(Path(warehouse) if warehouse else None, layout.lake, names, report, verdicts)
    _validate(dataframes, report, layout, layout.data_docs / GX_RESULTS)

    if record:
        history.append(layout.lake, report, warehouse=Path(warehouse).name if warehouse else None)
        if warehouse is not None:
            history.load_into(Path(warehouse), layout.lake)
    return report


def check_lake(
    layout: Layout, *, run_id: str | None = None, record: bool = True, verdicts: list[dict] | None = None
) -> GateReport:
    """Only the lake suites, before anything is built: a broken raw table stops the refresh
    with the rule and the rows (document, line) instead of a failing dbt test further on; the
    documents ingest held back are reported by their rules (they never block)."""
    return run_gate(None, layout, run_id=run_id, record=record, verdicts=verdicts)


def warehouse_suites() -> list[str]:
    """The suites that need a built warehouse (the rest run on the lake alone)."""
    return [s for s in suite_names() if not frames.is_lake_suite(s)]
