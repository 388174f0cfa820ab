"""How each expectation is evaluated when the gate runs on what changed (pure: no I/O).

Every expectation of every suite says in its ``meta.evaluation`` how its verdict depends on
the rows (the one place this is decided; ``expectations/README.md`` explains the choice):

- ``row``: decided row by row (not null, in set, between, pair relations, the flag columns, the
  ingest verdicts). Its verdict over the corpus is "no row of any document is unexpected", so
  an incremental gate evaluates it only on the changed documents' rows and keeps, per rule and
  document, the unexpected count and a few examples for the others (``jixiao.quality.state``).
- ``corpus``: its verdict depends on all rows (uniqueness across the corpus, ``mostly`` shares,
  file-level schema checks). An incremental gate computes it over the whole corpus as one SQL
  aggregate in DuckDB, never by pulling every row into a DataFrame.

This module turns an expectation into SQL (what makes a row unexpected, what a row counts as)
and turns the counts back into a :class:`RuleResult` the way GX reports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest import catalogue
from jixiao.escape import sql_literal
from jixiao.quality.results import MAX_EXAMPLES, ROW_NOUNS, Example, RuleResult, _observed

ROW = "row"
CORPUS = "corpus"
EVALUATIONS = (ROW, CORPUS)

# expectation types whose verdict is decided row by row (unless "mostly" makes it a share)
ROW_TYPES = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_pair_values_to_be_equal",
    }
)
# expectation types whose verdict needs every row of the corpus
CORPUS_TYPES = frozenset({"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"})
# the types whose unexpected rows are the NULLs (every row counts; the others ignore NULLs)
_NULL_TYPES = frozenset({"expect_column_values_to_not_be_null", "expect_column_values_to_be_null"})


def required_evaluation(expectation_type: str, kwargs: dict) -> str | None:
    """What an expectation *must* be classified as (``None``: either fits, e.g. a file-level
    in-set check that has no document). A unit test holds the suites' ``meta.evaluation`` to it."""
    if expectation_type in CORPUS_TYPES or kwargs.get("mostly") is not None:
        return CORPUS
    return None if expectation_type in ROW_TYPES else CORPUS


def evaluation_of(expectation: dict) -> str:
    """The expectation's ``meta.evaluation`` (``row`` | ``corpus``); a missing one is an error."""
    value = (expectation.get("meta") or {}).get("evaluation")
    if value not in EVALUATIONS:
        rule_id = (expectation.get("meta") or {}).get("rule_id")
        raise ValueError(f"expectation {rule_id} has no meta.evaluation (row | corpus)")
    return value


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return sql_literal(value)


def _in_list(values: Iterable[object]) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")"


def _between(col: str, kwargs: dict) -> str:
    parts = []
    if kwargs.get("min_value") is not None:
        op = "<=" if kwargs.get("strict_min") else "<"
        parts.append(f"{col} {op} {literal(kwargs['min_value'])}")
    if kwargs.get("max_value") is not None:
        op = ">=" if kwargs.get("strict_max") else ">"
        parts.append(f"{col} {op} {literal(kwargs['max_value'])}")
    return f"{col} is not null and ({' or '.join(parts) or 'false'})"


def _pair_considered(kwargs: dict) -> str:
    a, b = ident(kwargs["column_A"]), ident(kwargs["column_B"])
    ignore = kwargs.get("ignore_row_if", "both_values_are_missing")
    if ignore == "either_value_is_missing":
        return f"{a} is not null and {b} is not null"
    if ignore == "both_values_are_missing":
        return f"({a} is not null or {b} is not null)"
    return "true"


def _compound_considered(columns: Sequence[str]) -> str:
    return "(" + " or ".join(f"{ident(c)} is not null" for c in columns) + ")"


def considered_sql(expectation_type: str, kwargs: dict) -> str:
    """True for a row the expectation looks at (GX ignores NULLs except for the null checks)."""
    if expectation_type in _NULL_TYPES:
        return "true"
    if expectation_type == "expect_column_pair_values_to_be_equal":
        return _pair_considered(kwargs)
    if expectation_type == "expect_compound_columns_to_be_unique":
        return _compound_considered(kwargs["column_list"])
    return f"{ident(kwargs['column'])} is not null"


def unexpected_sql(expectation_type: str, kwargs: dict) -> str:
    """True for a row GX would count as unexpected (window functions for uniqueness)."""
    t = expectation_type
    if t == "expect_column_values_to_not_be_null":
        return f"{ident(kwargs['column'])} is null"
    if t == "expect_column_values_to_be_null":
        return f"{ident(kwargs['column'])} is not null"
    if t == "expect_column_pair_values_to_be_equal":
        a, b = ident(kwargs["column_A"]), ident(kwargs["column_B"])
        return f"({_pair_considered(kwargs)}) and {a} is distinct from {b}"
    if t == "expect_compound_columns_to_be_unique":
        cols = ", ".join(ident(c) for c in kwargs["column_list"])
        return f"{_compound_considered(kwargs['column_list'])} and count(*) over (partition by {cols}) > 1"
    col = ident(kwargs["column"])
    if t == "expect_column_values_to_be_unique":
        return f"{col} is not null and count(*) over (partition by {col}) > 1"
    if t == "expect_column_values_to_be_in_set":
        return f"{col} is not null and {col} not in {_in_list(kwargs['value_set'])}"
    if t == "expect_column_values_to_not_be_in_set":
        return f"{col} is not null and {col} in {_in_list(kwargs['value_set'])}"
    if t == "expect_column_values_to_be_between":
        return _between(col, kwargs)
    raise ValueError(f"no SQL evaluation for {t}")


def value_sql(expectation_type: str, kwargs: dict, types: dict[str, str]) -> str:
    """An unexpected row's value as text, the way the report prints GX's examples
    (one column: its value; several: ``a=1, b=2``; a boolean column: nothing)."""
    cols = kwargs.get("column_list") or (
        [kwargs["column_A"], kwargs["column_B"]] if "column_A" in kwargs else [kwargs["column"]]
    )
    cols = [c for c in cols if types.get(c, "").upper() != "BOOLEAN"]
    if not cols:
        return "null::varchar"
    if len(cols) == 1:
        return f"coalesce({ident(cols[0])}::varchar, 'NULL')"
    return " || ', ' || ".join(f"'{c}=' || coalesce({ident(c)}::varchar, 'NULL')" for c in cols)


@dataclass(frozen=True)
class Check:
    """One expectation of a suite, as the incremental gate evaluates it."""

    suite: str
    rule_id: str
    expectation_type: str
    kwargs: dict
    evaluation: str

    @property
    def column(self) -> str | None:
        kw = self.kwargs
        if "column_list" in kw:
            return ",".join(kw["column_list"])
        if "column_A" in kw:
            return f"{kw['column_A']},{kw['column_B']}"
        return kw.get("column")


def checks_of(suite: str, expectations: list[dict]) -> list[Check]:
    return [
        Check(suite, e["meta"]["rule_id"], e["type"], dict(e.get("kwargs") or {}), evaluation_of(e))
        for e in expectations
    ]


def counts_sql(frame: str, checks: Sequence[Check], types: dict[str, str], by_document: bool) -> str:
    """One query over ``frame``: rows, considered rows, unexpected rows and the first examples
    of every check (``c<n>_…`` columns), per ``document_id`` or over the whole frame."""
    marks = ",\n".join(
        f"({unexpected_sql(c.expectation_type, c.kwargs)}) as u{n}, "
        f"({considered_sql(c.expectation_type, c.kwargs)}) as k{n}, "
        f"{value_sql(c.expectation_type, c.kwargs, types)} as v{n}"
        for n, c in enumerate(checks)
    )
    example = (
        "{{'source_file': source_file::varchar, 'source_line': source_line::integer, "
        "'row_ref': row_ref::varchar, 'value': v{n}}}"
    )
    aggs = ",\n".join(
        f"count(*) filter (where u{n}) as c{n}_unexpected, count(*) filter (where k{n}) as c{n}_considered, "
        f"list({example.format(n=n)} order by source_file, source_line, row_ref) "
        f"filter (where u{n})[1:{MAX_EXAMPLES}] as c{n}_examples"
        for n in range(len(checks))
    )
    key = "document_id" if by_document else "null::varchar as document_id"
    group = " group by document_id" if by_document else ""
    doc = "document_id::varchar as document_id, " if by_document else ""
    return (
        f"with frame as (\n{frame}\n),\n"
        f"marked as (select {doc}source_file, source_line, row_ref,\n{marks}\nfrom frame)\n"
        f"select {key}, count(*) as element_count,\n{aggs}\nfrom marked{group}"
    )


@dataclass
class Tally:
    """What one check found in one document (or, ``document_id=None``, over a whole frame)."""

    suite: str
    rule_id: str
    document_id: str | None
    element_count: int
    considered_count: int
    unexpected_count: int
    examples: list[Example]


def tallies(checks: Sequence[Check], rows: list[tuple], columns: list[str]) -> list[Tally]:
    """The rows of :func:`counts_sql` as one tally per check per document."""
    out = []
    for row in rows:
        rec = dict(zip(columns, row, strict=True))
        for n, c in enumerate(checks):
            examples = [
                Example(e["source_file"], e["source_line"], e["row_ref"], e["value"])
                for e in (rec[f"c{n}_examples"] or [])
            ]
            out.append(
                Tally(
                    c.suite,
                    c.rule_id,
                    rec["document_id"],
                    int(rec["element_count"]),
                    int(rec[f"c{n}_considered"]),
                    int(rec[f"c{n}_unexpected"]),
                    examples,
                )
            )
    return out


def documents_of(parts: Sequence[Tally]) -> int | None:
    """How many documents have an unexpected row (``None``: counted over a frame, not by document)."""
    if not any(p.document_id is not None for p in parts):
        return None
    return len({p.document_id for p in parts if p.unexpected_count and p.document_id is not None})


ROW_COUNT = ""  # the rule id of a tally that only counts a document's rows in a suite's frame


def compact(found: Sequence[Tally]) -> list[Tally]:
    """What is worth keeping of per-document tallies: one row count per suite and document, and
    a rule's tally only where it found something (an unexpected row, or rows it ignored). A
    document whose rows all pass costs one row per suite, not one per rule."""
    counts: dict[tuple[str, str | None], int] = {}
    kept = []
    for t in found:
        counts[(t.suite, t.document_id)] = t.element_count
        if t.unexpected_count or t.considered_count != t.element_count:
            kept.append(t)
    rows = [Tally(suite, ROW_COUNT, doc, n, n, 0, []) for (suite, doc), n in counts.items()]
    return rows + kept


def result_of(check: Check, parts: Sequence[Tally], rows: Sequence[Tally] | None = None) -> RuleResult:
    """The rule's result over the whole warehouse from its tallies (per document or one total),
    with the verdict, counts and observed text GX would give on the whole frame. ``rows``: the
    suite's row counts when ``parts`` are compacted (:func:`compact`)."""
    rule = catalogue.rule(check.rule_id)
    if rows is None:
        total = sum(p.element_count for p in parts)
        considered = sum(p.considered_count for p in parts)
    else:
        total = sum(r.element_count for r in rows)
        considered = total - sum(p.element_count - p.considered_count for p in parts)
    unexpected = sum(p.unexpected_count for p in parts)
    mostly = check.kwargs.get("mostly")
    if mostly is None:
        success = unexpected == 0
    else:
        success = considered == 0 or (considered - unexpected) / considered >= float(mostly)
    examples = [e for p in sorted(parts, key=lambda p: p.document_id or "") for e in p.examples][
        :MAX_EXAMPLES
    ]
    return RuleResult(
        suite=check.suite,
        rule_id=check.rule_id,
        severity=rule.severity,
        success=success,
        observed=_observed(
            check.suite, check.kwargs, {"unexpected_count": unexpected, "element_count": total}, success
        ),
        meaning=rule.message_en,
        category=rule.category,
        scope=rule.scope,
        expectation_type=check.expectation_type,
        column=check.column,
        element_count=total,
        unexpected_count=unexpected,
        unexpected_percent=(100.0 * unexpected / considered) if considered else 0.0,
        examples=examples,
        documents=documents_of(parts),
    )


__all__ = [
    "CORPUS",
    "ROW",
    "ROW_NOUNS",
    "ROW_COUNT",
    "Check",
    "compact",
    "Tally",
    "checks_of",
    "counts_sql",
    "evaluation_of",
    "required_evaluation",
    "result_of",
    "tallies",
]
