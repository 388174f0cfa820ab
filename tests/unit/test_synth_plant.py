"""jixiao.synth.plant: what it plants is in the rendered text, and the money still adds up."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.synth import generate_corpus, render_document
from jixiao.synth.plant import PER_UNIT_OUTLIER, VEHICLE_COST, VEHICLE_COUNT, plant_corpus
from jixiao.synth.spec import DocumentSpec


def _planted(seed: int, n: int = 24):
    base = [d.spec for d in generate_corpus(n, seed=seed)]
    return base, *plant_corpus(base, seed=seed)


def _adds_up(doc: DocumentSpec) -> None:
    for p in doc.projects:
        f = p.funding
        own = f.fiscal_appropriation + (f.other_funds or 0) + (f.carryover or 0)
        if f.own_level_total is None:
            assert f.annual_total == own, p.name
        else:
            assert f.own_level_total == own, p.name
            assert f.transfer_total == (f.transfer_central or 0) + (f.transfer_regional or 0)
            assert f.annual_total == f.own_level_total + f.transfer_total
            assert f.project_total >= f.annual_total


def test_inputs_are_not_edited():
    base, _, _ = _planted(3)
    again = [d.spec for d in generate_corpus(24, seed=3)]
    assert base == again


def test_every_kind_is_planted():
    _, _, plants = _planted(18, 30)
    kinds = Counter(p.kind for p in plants)
    for kind in (
        "unit_cost_outlier",
        "unit_cost_inconsistent",
        "unit_cost_consistent",
        "poor_targets",
        "boilerplate",
        "near_boilerplate",
        "renamed",
        "continued",
        "split",
        "transfer",
    ):
        assert kinds[kind] >= 1, kind


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10_000))
def test_plants_are_in_the_text(seed):
    _, specs, plants = _planted(seed)
    texts = {s.file_name: render_document(s).text for s in specs}
    assert len(texts) == len(specs)  # added documents have names of their own
    for s in specs:
        _adds_up(s)
    for p in plants:
        assert p.project_name in texts[p.file_name] or p.project_name.replace(" ", "") in texts[p.file_name]
        if p.other_file:
            assert p.other_file in texts
        if p.indicator_name:
            assert p.indicator_name in texts[p.file_name]
    for p in (
        p for p in plants if p.kind == "unit_cost_outlier" and p.indicator_name != "应急避难场所建设数量"
    ):
        assert PER_UNIT_OUTLIER in texts[p.file_name]
    for p in (p for p in plants if p.kind == "unit_cost_inconsistent"):
        assert VEHICLE_COST in texts[p.file_name] and f"{VEHICLE_COUNT}" in texts[p.file_name]


def test_inconsistent_unit_cost_is_three_times_the_funding():
    _, specs, plants = _planted(18, 30)
    by_file = {s.file_name: s for s in specs}
    for p in (p for p in plants if p.kind in ("unit_cost_inconsistent", "unit_cost_consistent")):
        proj = next(x for x in by_file[p.file_name].projects if x.name == p.project_name)
        cost = next(i for i in proj.indicators if i.name == VEHICLE_COST)
        per_unit = Decimal(cost.meaning["value_high"]) / 10000
        ratio = per_unit * 10 / proj.funding.annual_total
        assert (ratio >= 3) if p.kind == "unit_cost_inconsistent" else (ratio <= Decimal("0.51"))
