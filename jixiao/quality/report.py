"""The gate's report as a person reads it (``jixiao validate`` and the refresh summary)."""

from __future__ import annotations

from jixiao.quality.results import GateReport, RuleResult

SHOW_EXAMPLES = 3


def _rule_lines(r: RuleResult, indent: str) -> list[str]:
    label = "CRITICAL" if r.blocking else "HELD    " if r.holding else f"{r.severity:<8}"
    lines = [
        f"{indent}{label} {r.rule_id:<7} {r.meaning}",
        f"{indent}         {r.observed_text}  [{r.suite}]",
    ]
    for e in r.examples[:SHOW_EXAMPLES]:
        lines.append(f"{indent}         e.g. {e.describe()}")
    more = (r.unexpected_count or 0) - min(len(r.examples), SHOW_EXAMPLES)
    if r.examples and more > 0:
        lines.append(f"{indent}         … and {more} more")
    return lines


def format_gate(report: GateReport, indent: str = "  ") -> list[str]:
    """Headline, failed rules (critical first) with counts and examples, notes, Data Docs link."""
    verdict = "passed" if report.passed else "FAILED"
    lines = [
        f"Quality gate {verdict}: {len(report.results)} rules, "
        f"{len(report.failed_critical)} critical failures, {len(report.held)} rules holding documents back, "
        f"{len(report.warnings)} warnings, {len(report.infos)} info"
        + (f" (run {report.run_id})" if report.run_id else "")
    ]
    for r in report.failed_critical + report.held + report.warnings + report.infos:
        lines += _rule_lines(r, indent)
    for note in report.notes:
        lines.append(f"{indent}note: {note}")
    if report.data_docs is not None:
        lines.append(f"{indent}Data Docs: {report.data_docs.as_uri()}")
    return lines


def format_catalogue(rules) -> list[str]:
    lines = []
    for r in rules:
        lines.append(
            f"{r.rule_id:<7} {r.scope:<8} {r.severity:<8} {r.category:<14} {r.suite:<22} {r.message}"
        )
    return lines


def catalogue_markdown() -> str:
    """``docs/rules.md``: the catalogue as a page (regenerate it with ``python -m jixiao.quality.report``)."""
    from ingest import catalogue

    lines = [
        "# The rule catalogue",
        "",
        "Generated from `seeds/rules.csv` (the one place every rule is defined) by",
        "`python -m jixiao.quality.report > docs/rules.md`; a test fails when it is stale.",
        "",
        "- **scope** `pipeline` + critical: our pipeline is wrong; nothing is published (exit 3).",
        "- **scope** `document` + critical: our reading of that document cannot be trusted; it is held",
        "  back (its last good version stays published, exit 5), every other document publishes.",
        "- **scope** `row` (and `document` + info): the publisher printed it so; kept as printed,",
        "  flagged (`flag_<name>` columns, `marts.fct_anomaly`), never blocking.",
        "- **checked in**: `ingest` (the document verdict, before any row lands), `lake` (Great",
        "  Expectations on the raw Parquet, before dbt), `model` (dbt flags; the gate reports them),",
        "  `warehouse` (Great Expectations on the built file).",
        "",
        "| id | name | scope | severity | checked in | a failure | threshold | rule | why |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in catalogue.rules():
        threshold = "" if r.threshold is None else f"{r.threshold:f}".rstrip("0").rstrip(".")
        text = f"{r.message_en}<br>{r.message_zh}".replace("|", "\\|")
        lines.append(
            f"| `{r.rule_id}` | `{r.name}` | {r.scope} | {r.severity} | {r.checked_in} | {r.consequence} "
            f"| {threshold} | {text} | {r.why.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
