"""The gate's report as a person reads it (``jixiao validate`` and the refresh summary)."""

from __future__ import annotations

from jixiao.quality.results import GateReport, RuleResult

SHOW_EXAMPLES = 3


def _rule_lines(r: RuleResult, indent: str) -> list[str]:
    label = "CRITICAL" if r.severity == "critical" else "warning "
    lines = [f"{indent}{label} {r.rule_id:<7} {r.meaning}", f"{indent}         {r.observed}  [{r.suite}]"]
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
        f"{len(report.failed_critical)} critical failures, {len(report.warnings)} warnings"
        + (f" (run {report.run_id})" if report.run_id else "")
    ]
    for r in report.failed_critical + report.warnings:
        lines += _rule_lines(r, indent)
    for note in report.notes:
        lines.append(f"{indent}note: {note}")
    if report.data_docs is not None:
        lines.append(f"{indent}Data Docs: {report.data_docs.as_uri()}")
    return lines


def format_catalogue(rules) -> list[str]:
    lines = []
    for r in rules:
        lines.append(f"{r.rule_id:<7} {r.severity:<8} {r.category:<14} {r.suite:<17} {r.message}")
    return lines
