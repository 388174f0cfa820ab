"""The incremental gate's pieces: every expectation classified, the SQL it is compiled to agrees
with Great Expectations on the same rows, and the per-document results merge as they should."""

from __future__ import annotations

import json

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.quality import docs, frames, state
from jixiao.quality.evaluation import (
    CORPUS,
    EVALUATIONS,
    ROW,
    ROW_COUNT,
    Check,
    Tally,
    compact,
    counts_sql,
    evaluation_of,
    required_evaluation,
    result_of,
    tallies,
)
from jixiao.quality.project import SUITES_DIR, suite_names
from jixiao.quality.results import GateReport, RuleResult


def _expectations():
    for suite in suite_names():
        body = json.loads((SUITES_DIR / f"{suite}.json").read_text(encoding="utf-8"))
        for e in body["expectations"]:
            yield suite, e


def test_every_expectation_is_classified():
    seen = 0
    for suite, e in _expectations():
        evaluation = evaluation_of(e)  # raises when meta.evaluation is missing
        assert evaluation in EVALUATIONS
        need = required_evaluation(e["type"], e["kwargs"])
        assert need in (None, evaluation), f"{suite} {e['meta']['rule_id']}: must be {need}"
        seen += 1
    assert seen >= 60


def test_a_missing_classification_is_an_error():
    with pytest.raises(ValueError, match="meta.evaluation"):
        evaluation_of({"type": "expect_column_values_to_be_null", "meta": {"rule_id": "PLB-04"}})


def test_uniqueness_shares_and_cross_document_flags_are_corpus_rules():
    kinds = {e["meta"]["rule_id"]: evaluation_of(e) for _suite, e in _expectations()}
    assert {k for k, v in kinds.items() if v == CORPUS} >= {"UNQ-01", "UNQ-02", "UNQ-03", "COV-04", "DUP-02"}
    assert kinds["KEY-01"] == kinds["PLB-04"] == kinds["DOC-01"] == ROW


def test_only_documents_keeps_the_rows_without_a_document():
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('a', 1), ('b', 2), (null, 3)) v(document_id, n)")
    assert sorted(con.execute(frames.only_documents("select * from t", {"a"})).fetchall(), key=str) == [
        ("a", 1),
        (None, 3),
    ]
    assert con.execute(frames.only_documents("select * from t", set())).fetchall() == [(None, 3)]


# one expectation of every type the suites use, on a frame of nullable columns
CHECKS = [
    Check("s", rule_id, t, kwargs, ROW if rule_id.startswith("R") else CORPUS)
    for rule_id, t, kwargs in [
        ("R1", "expect_column_values_to_not_be_null", {"column": "a"}),
        ("R2", "expect_column_values_to_be_null", {"column": "s"}),
        ("R3", "expect_column_values_to_be_in_set", {"column": "s", "value_set": ["x", "y"]}),
        ("R4", "expect_column_values_to_not_be_in_set", {"column": "s", "value_set": ["z"]}),
        ("R5", "expect_column_values_to_be_between", {"column": "a", "min_value": 0, "max_value": 3}),
        ("R6", "expect_column_values_to_be_between", {"column": "b", "min_value": 1}),
        (
            "R7",
            "expect_column_pair_values_to_be_equal",
            {"column_A": "a", "column_B": "b", "ignore_row_if": "either_value_is_missing"},
        ),
        ("R8", "expect_column_values_to_be_in_set", {"column": "flag", "value_set": [True]}),
        ("C1", "expect_column_values_to_be_unique", {"column": "a"}),
        ("C2", "expect_compound_columns_to_be_unique", {"column_list": ["s", "b"]}),
        ("C3", "expect_column_values_to_not_be_null", {"column": "b", "mostly": 0.6}),
        ("C4", "expect_column_values_to_be_in_set", {"column": "b", "value_set": [0, 1], "mostly": 0.5}),
    ]
]
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["d1", "d2", "d3"]),
        st.one_of(st.none(), st.integers(-1, 4)),
        st.one_of(st.none(), st.integers(-1, 4)),
        st.one_of(st.none(), st.sampled_from(["x", "y", "z"])),
        st.booleans(),
    ),
    min_size=0,
    max_size=25,
)


@pytest.fixture(scope="module")
def gx_validator():
    return make_validator()


def make_validator():
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (
        context.data_sources.add_pandas("p")
        .add_dataframe_asset("a")
        .add_batch_definition_whole_dataframe("b")
    )
    suite = ExpectationSuite(name="s")
    for c in CHECKS:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=c.expectation_type, kwargs=c.kwargs, meta={"rule_id": c.rule_id})
        )

    def validate(df):
        got = batch.get_batch(batch_parameters={"dataframe": df}).validate(
            suite, result_format={"result_format": "SUMMARY"}
        )
        return {r.expectation_config.meta["rule_id"]: r for r in got.results}

    return validate


def _frame(rows: list[tuple]):
    con = duckdb.connect()
    con.execute(
        "create table t (document_id varchar, a integer, b integer, s varchar, flag boolean, "
        "source_file varchar, source_line integer, row_ref varchar)"
    )
    if rows:
        con.executemany(
            "insert into t values (?, ?, ?, ?, ?, 'f.txt', ?, 'r')", [(*r, n) for n, r in enumerate(rows)]
        )
    return con, con.execute("select * from t order by source_line").df()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_the_sql_agrees_with_great_expectations(gx_validator, rows):
    """The same frame: GX's verdict and unexpected count of every expectation equals the SQL's,
    whether tallied per document (row rules) or over the whole frame (corpus rules)."""
    from unittest import mock

    con, df = _frame(rows)
    want = gx_validator(df)
    con.register("_gate_frame", df)  # as the full gate tallies: on the fetched DataFrame
    sql = "select * from _gate_frame"
    types = frames.column_types(con, sql)
    with mock.patch("jixiao.quality.evaluation.catalogue.rule", return_value=_any_rule()):
        for c in CHECKS:
            cursor = con.execute(counts_sql(sql, [c], types, by_document=c.evaluation == ROW))
            parts = tallies([c], cursor.fetchall(), [d[0] for d in cursor.description])
            got = result_of(c, parts)
            if c.evaluation == ROW:  # as kept between gates: row counts + what was found
                kept = compact(parts)
                found = [t for t in kept if t.rule_id == c.rule_id]
                again = result_of(c, found, [t for t in kept if t.rule_id == ROW_COUNT])
                assert (
                    again.success,
                    again.unexpected_count,
                    again.element_count,
                    again.unexpected_percent,
                ) == (got.success, got.unexpected_count, got.element_count, got.unexpected_percent), c.rule_id
            w = want[c.rule_id]
            assert got.success == w.success, c.rule_id
            assert got.unexpected_count == w.result.get("unexpected_count", 0), c.rule_id
            assert got.element_count == w.result.get("element_count", 0), c.rule_id


def _any_rule():
    from ingest import catalogue

    return catalogue.rule("PLB-04")


TALLIES = st.lists(
    st.builds(
        Tally,
        suite=st.sampled_from(["raw_projects", "marts_projects"]),
        rule_id=st.sampled_from(["A", "B"]),
        document_id=st.one_of(st.none(), st.sampled_from(["d1", "d2", "d3", "d4"])),
        element_count=st.integers(0, 5),
        considered_count=st.integers(0, 5),
        unexpected_count=st.integers(0, 5),
        examples=st.just([]),
    ),
    max_size=20,
)


@given(base=TALLIES, fresh=TALLIES, delta=st.sets(st.sampled_from(["d1", "d2", "d3", "d4"])))
def test_merge_replaces_exactly_the_changed_documents(base, fresh, delta):
    suites = {"raw_projects"}
    fresh = [t for t in fresh if t.suite in suites and (t.document_id is None or t.document_id in delta)]
    merged = state.merge(base, fresh, delta, suites)

    def key(t):
        return (t.suite, t.rule_id, t.document_id or "", t.unexpected_count, t.element_count)

    replaced = [t for t in base if t.suite in suites and (t.document_id is None or t.document_id in delta)]
    kept = [t for t in base if t not in replaced]
    assert sorted(map(key, merged)) == sorted(map(key, kept + fresh))
    for t in merged:  # a changed document's rows of a suite that ran come only from this run
        if t.suite in suites and (t.document_id is None or t.document_id in delta):
            assert any(t is f for f in fresh)


def test_state_round_trips_and_refuses_other_rules(tmp_path):
    from jixiao.quality.results import Example

    path = tmp_path / "w.duckdb"
    rows = [Tally("raw_projects", "KEY-04", "d1", 3, 3, 1, [Example("f.txt", 7, "project 1", "NULL")])]
    state.write(path, rows, "fp1")
    assert state.read(path, "fp1") == rows
    assert state.read(path, "fp2") is None, "results written under other rules are not merged into"
    assert state.read(tmp_path / "none.duckdb", "fp1") is None
    state.write(path, None, "fp1")
    assert state.read(path, "fp1") is None


def test_an_incremental_run_replaces_the_index_section(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html><body>\n<table>GX runs</table></body></html>", encoding="utf-8"
    )
    report = GateReport(
        results=[RuleResult("s", "PLB-04", "warning", False, observed="1 of 2 rows")], run_id="r1"
    )
    docs.finish_site(tmp_path, report)
    report.run_id = "r2"
    for _ in range(2):
        docs.update_index(tmp_path, report)
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert text.count("<!-- jixiao-gate -->") == 1 and "r2" in text and "r1" not in text
    assert "GX runs" in text
