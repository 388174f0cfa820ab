"""The rule catalogue: every quality rule, defined once in ``seeds/rules.csv``.

One row per rule: its id (``PREFIX-nn``; the prefix is the category), a ``name`` (the
``flag_<name>`` column where the models flag it), its **scope** and **severity**, where it is
checked, its threshold and its message in English and Chinese. Everything reads this file:

- the ingest verdict (``ingest.verdict``): document rules (``checked_in = ingest``), their
  thresholds and the reason codes each covers;
- dbt (the seed ``reference.rules``): the flags of ``row`` rules checked in the models, the
  rows of ``marts.fct_anomaly``, their severities;
- the Great Expectations gate (``jixiao.quality``): the severity, message and scope of every
  expectation (the suites' JSON carries only the rule id; the scaffold writes the rest);
- Data Docs and ``jixiao validate --rules``.

What a failure means follows from scope and severity:

- ``pipeline`` + critical: our pipeline is wrong (schema, keys, orphans, a contract, a coverage
  collapse across the corpus): nothing is published;
- ``document`` + critical: our reading of *that* document cannot be trusted: it is held back
  (its last good version stays published), every other document publishes;
- ``row`` (and ``document`` + info): the publisher printed it so: kept as printed, flagged,
  never blocking.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "seeds" / "rules.csv"

SCOPES = ("pipeline", "document", "row")
SEVERITIES = ("critical", "warning", "info")
CHECKED_IN = ("ingest", "lake", "model", "warehouse")
# id prefix -> category: the prefix of a rule id says what kind of rule it is
CATEGORIES = {
    "SCH": "schema",
    "KEY": "key",
    "UNQ": "uniqueness",
    "LIN": "lineage",
    "REL": "relation",
    "VAL": "value_set",
    "RNG": "range",
    "REC": "reconciliation",
    "COV": "coverage",
    "PLB": "plausibility",
    "CEL": "bad_cell",
    "DUP": "duplicate",
    "DOC": "document",
    "DIV": "division",
}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    name: str
    scope: str
    severity: str
    checked_in: str
    grain: str
    category: str
    threshold: Decimal | None
    is_enabled: bool
    reason_codes: tuple[str, ...]
    message_en: str
    message_zh: str
    why: str

    @property
    def holds_document(self) -> bool:
        """A failure holds the document back (its last good version stays published)."""
        return self.scope == "document" and self.severity == "critical"

    @property
    def blocks_publish(self) -> bool:
        """A failure stops the whole publish."""
        return self.scope == "pipeline" and self.severity == "critical"

    @property
    def consequence(self) -> str:
        if self.blocks_publish:
            return "blocks the publish"
        if self.holds_document:
            return "holds the document back"
        return "flagged, never blocks"


def _rule(row: dict[str, str]) -> Rule:
    threshold = row["threshold"].strip()
    return Rule(
        rule_id=row["rule_id"],
        name=row["name"],
        scope=row["scope"],
        severity=row["severity"],
        checked_in=row["checked_in"],
        grain=row["grain"],
        category=row["category"],
        threshold=Decimal(threshold) if threshold else None,
        is_enabled=row["is_enabled"].strip().lower() == "true",
        reason_codes=tuple(c for c in row["reason_codes"].split(";") if c),
        message_en=row["message_en"],
        message_zh=row["message_zh"],
        why=row["why"],
    )


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """Every rule, in catalogue order."""
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        return tuple(_rule(row) for row in csv.DictReader(fh))


def rule(rule_id: str) -> Rule:
    for r in rules():
        if r.rule_id == rule_id:
            return r
    raise KeyError(f"rule {rule_id} is not in {CATALOGUE.name}")


def by_name(name: str) -> Rule:
    for r in rules():
        if r.name == name:
            return r
    raise KeyError(f"no rule named {name} in {CATALOGUE.name}")


def for_reason(reason_code: str | None) -> Rule | None:
    """The document rule a verdict's reason code belongs to (None for an unknown code)."""
    for r in rules():
        if reason_code and reason_code in r.reason_codes:
            return r
    return None


def threshold(rule_id: str) -> Decimal:
    value = rule(rule_id).threshold
    if value is None:
        raise KeyError(f"rule {rule_id} has no threshold in {CATALOGUE.name}")
    return value
