"""What a build changes (jixiao.delta): the delta and the full / incremental decision."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao import delta
from jixiao.registry import Entry

PROJECT = "p1"
SERVED = {"run_id": "r1", "project_fingerprint": PROJECT}

fingerprints = st.dictionaries(st.sampled_from([f"d{i}" for i in range(12)]), st.sampled_from("abc"))


@given(fingerprints, fingerprints)
def test_delta_names_exactly_the_documents_whose_rows_differ(served, current):
    got = delta.compute_delta(served, current)
    for doc in served.keys() | current.keys():
        if doc not in current:
            assert got[doc] == delta.REMOVED
        elif doc not in served:
            assert got[doc] == delta.ADDED
        elif served[doc] != current[doc]:
            assert got[doc] == delta.CHANGED
        else:
            assert doc not in got
    assert list(got) == sorted(got)


@given(fingerprints, fingerprints)
def test_applying_the_delta_to_the_served_set_gives_the_lake(served, current):
    got = delta.compute_delta(served, current)
    patched = {d: f for d, f in served.items() if d not in got}
    patched.update({d: current[d] for d, change in got.items() if change != delta.REMOVED})
    assert patched == current


def test_small_change_of_the_same_project_is_incremental():
    served = {f"d{i}": "x" for i in range(10)}
    current = {**served, "d10": "y"}
    plan = delta.choose_mode(SERVED, served, current, PROJECT)
    assert plan.mode == delta.INCREMENTAL and plan.delta == {"d10": delta.ADDED}


def test_full_build_when_the_project_changed_or_nothing_served_or_forced():
    served = {f"d{i}": "x" for i in range(10)}
    current = {**served, "d0": "y"}
    cases = {
        "project": delta.choose_mode(SERVED, served, current, "p2"),
        "none": delta.choose_mode(None, None, current, PROJECT),
        "forced": delta.choose_mode(SERVED, served, current, PROJECT, force=True),
        "dirty": delta.choose_mode(SERVED, served, current, PROJECT, dirty=True),
        "unrecorded": delta.choose_mode(SERVED, None, current, PROJECT),
        "nothing": delta.choose_mode(SERVED, served, served, PROJECT),
    }
    for case, plan in cases.items():
        assert plan.mode == delta.FULL, case
        assert plan.reason, case
    assert cases["project"].delta == {"d0": delta.CHANGED}  # the provenance is kept in a full build too


def test_threshold_decides_between_patching_and_rebuilding():
    served = {f"d{i}": "x" for i in range(10)}
    two = {**served, "d0": "y", "d1": "y"}
    three = {**two, "d2": "y"}
    assert delta.choose_mode(SERVED, served, two, PROJECT).mode == delta.INCREMENTAL  # 20 %
    assert delta.choose_mode(SERVED, served, three, PROJECT).mode == delta.FULL  # 30 %


def _entry(doc: str, **kw) -> Entry:
    fields = {"content_sha256": "sha", "source_file": f"{doc}.txt", "parser": "p1", "landed_by_run": "r1"}
    fields.update(kw)
    return Entry(doc, byte_size=1, status="loaded", **fields)


def test_document_fingerprint_follows_what_decides_the_rows_not_where_they_are():
    a = _entry("d1", segment="s1")
    moved = _entry("d1", segment="s2")  # compaction moved the rows
    assert delta.document_fingerprint(a) == delta.document_fingerprint(moved)
    for change in (
        {"content_sha256": "other"},
        {"source_file": "renamed.txt"},  # source_file is a raw column
        {"parser": "p2"},
        {"landed_by_run": "r2"},
    ):
        assert delta.document_fingerprint(a) != delta.document_fingerprint(_entry("d1", **change)), change


def test_gate_scope_is_the_changed_documents_of_an_incremental_build_only():
    from jixiao.refresh import gate_scope

    small = delta.BuildPlan(delta.INCREMENTAL, {"d1": delta.ADDED, "d2": delta.REMOVED}, "")
    full = delta.BuildPlan(delta.FULL, {"d1": delta.ADDED}, "forced")
    assert gate_scope(small) == {"d1", "d2"}  # removed ones too: their kept results go
    assert gate_scope(full) is None
    assert gate_scope(None) is None
