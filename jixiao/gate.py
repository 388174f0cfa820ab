"""The quality gate: Great Expectations suites run on DataFrames fetched from the built DuckDB."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@dataclass
class RuleResult:
    suite: str
    rule_id: str
    severity: str
    success: bool
    observed: str | None = None
    meaning: str = ""


@dataclass
class GateReport:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def failed_critical(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.severity == "critical"]

    @property
    def warnings(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    @property
    def passed(self) -> bool:
        return not self.failed_critical


# (table, key column) pairs of the first mart suite
_KEYS = {
    "dim_document": "document_id",
    "dim_project": "project_id",
    "fct_project_funding": "project_id",
    "fct_indicator_target": "indicator_id",
}


def run_gate(warehouse: Path) -> GateReport:
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("jixiao")
    report = GateReport()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table, key in _KEYS.items():
            df = con.execute(f"select * from marts.{table}").df()
            asset = source.add_dataframe_asset(name=table)
            batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
                batch_parameters={"dataframe": df}
            )
            suite = gx.ExpectationSuite(name=f"marts.{table}")
            suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column=key))
            suite.add_expectation(gx.expectations.ExpectColumnValuesToBeUnique(column=key))
            result = batch.validate(suite)
            for r in result.results:
                cfg = r.expectation_config
                report.results.append(
                    RuleResult(
                        suite=f"marts.{table}",
                        rule_id=f"{table}.{cfg.type}.{key}",
                        severity="critical",
                        success=bool(r.success),
                        observed=str(r.result.get("unexpected_count")),
                    )
                )
    finally:
        con.close()
    return report
