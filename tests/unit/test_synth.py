"""The synthetic corpus: deterministic, money that adds up, and read back exactly by the parser.

Expected rows come from the generator's spec (its truth), never from running the parser.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.parse import parse_document
from jixiao.synth import (
    COUNTY,
    PROVINCIAL,
    generate_corpus,
    generate_document,
    render_document,
)

CORPUS = generate_corpus(30, seed=11)
# Flags the parser sets on purpose for a quirk the generator plants (the samples have them too).
EXPECTED_ROW_FLAGS = {"label_out_of_column"}
EXPECTED_PROJECT_FLAGS = {"name_shared_with_other_project"}


def _parsed_projects(doc) -> list[dict]:
    parsed = parse_document(doc.text, doc.file_name, "doc")
    return [
        {
            "project_seq": p.project_seq,
            "project_name": p.project_name,
            "department_name": p.department_name,
            "department_code": p.department_code,
            "implementing_unit": p.implementing_unit,
            "project_attribute_code": p.attribute_code,
            "project_attribute": p.attribute_label,
            "project_period_raw": p.period_printed,
            "annual_goal": p.annual_goal,
            "source_line": p.source_line,
            "page_lines": p.page_lines,
            "funding_printed": {
                k: p.funding_printed.get(k) for k in doc.truth["projects"][0]["funding_printed"]
            },
        }
        for p in parsed.projects
    ]


def _truth_projects(doc) -> list[dict]:
    keys = (
        "project_seq",
        "project_name",
        "department_name",
        "department_code",
        "implementing_unit",
        "project_attribute_code",
        "project_attribute",
        "project_period_raw",
        "annual_goal",
        "source_line",
        "page_lines",
        "funding_printed",
    )
    return [{k: p[k] for k in keys} for p in doc.truth["projects"]]


def _check_round_trip(doc) -> None:
    parsed = parse_document(doc.text, doc.file_name, "doc")
    t = doc.truth
    d = parsed.document
    assert (d.publisher, d.region_name, d.admin_level, d.fiscal_year, d.published_on, d.layout) == (
        t["publisher"],
        t["region_name"],
        t["admin_level"],
        t["fiscal_year"],
        t["published_on"],
        t["layout"],
    )
    assert (d.division_code, d.publisher_unit) == (t["division_code"], t["publisher_unit"])
    assert _parsed_projects(doc) == _truth_projects(doc)
    assert all(p.money_unit_printed == "万元" for p in parsed.projects)
    got = [
        (
            r.project_seq,
            r.indicator_seq,
            r.source_line,
            r.level1_printed,
            r.level2_printed,
            r.level1,
            r.level2,
            r.indicator_name,
            r.target_text,
        )
        for r in parsed.indicators
    ]
    want = [
        (
            p["project_seq"],
            i["indicator_seq"],
            i["source_line"],
            i["level1_printed"],
            i["level2_printed"],
            i["level1"],
            i["level2"],
            i["indicator_name"],
            i["target_text"],
        )
        for p in t["projects"]
        for i in p["indicators"]
    ]
    assert got == want
    assert parsed.issues == []
    assert {f for r in parsed.indicators for f in r.parse_flags} <= EXPECTED_ROW_FLAGS
    assert {f for p in parsed.projects for f in p.parse_flags} <= EXPECTED_PROJECT_FLAGS


def test_parser_reads_the_corpus_exactly():
    for doc in CORPUS:
        _check_round_trip(doc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**31), index=st.integers(min_value=0, max_value=99_999))
def test_parser_round_trip_property(seed, index):
    _check_round_trip(generate_document(seed, index))


def test_deterministic_for_a_seed():
    again = generate_corpus(30, seed=11)
    assert [(d.file_name, d.text, d.truth) for d in again] == [(d.file_name, d.text, d.truth) for d in CORPUS]
    other = generate_corpus(5, seed=12)
    assert [d.text for d in other] != [d.text for d in CORPUS[:5]]


def test_documents_distinct_with_ascii_names():
    names = [d.file_name for d in CORPUS]
    assert len(set(names)) == len(names) and all(n.isascii() and n.endswith(".txt") for n in names)
    assert len({d.text for d in CORPUS}) == len(CORPUS)


def test_layouts_and_publishers():
    assert {d.truth["layout"] for d in CORPUS} == {COUNTY, PROVINCIAL}
    for d in CORPUS:
        t = d.truth
        assert t["admin_level"] == ("county" if t["layout"] == COUNTY else "province")
        assert (t["published_on"] is None) == (t["layout"] == COUNTY)
        assert 2022 <= t["fiscal_year"] <= 2026
        assert all(8 <= len(p["indicators"]) <= 50 for p in t["projects"])
    assert len({d.truth["publisher"] for d in CORPUS}) > 15


def test_money_adds_up():
    for doc in CORPUS:
        for p in doc.spec.projects:
            f = p.funding
            other = f.other_funds or Decimal(0)
            if doc.spec.layout == COUNTY:
                assert f.annual_total == f.fiscal_appropriation + other
                assert f.project_total is None and f.transfer_total is None
                continue
            assert f.own_level_total == f.fiscal_appropriation + other + f.carryover
            assert f.transfer_total == f.transfer_central + f.transfer_regional
            assert f.annual_total == f.own_level_total + f.transfer_total
            assert f.project_total >= f.annual_total > 0
            assert all(-f.cell(k).as_tuple().exponent <= 4 for k in ("annual_total", "fiscal_appropriation"))


def test_truth_money_in_yuan():
    doc = next(d for d in CORPUS if d.truth["layout"] == PROVINCIAL)
    p, t = doc.spec.projects[0], doc.truth["projects"][0]
    assert Decimal(t["funding_yuan"]["annual_total_yuan"]) == p.funding.annual_total * 10000
    county = next(d for d in CORPUS if d.truth["layout"] == COUNTY)
    assert county.truth["projects"][0]["funding_yuan"]["project_total_yuan"] is None


def test_corpus_covers_categories_spellings_and_quirks():
    rows = [i for d in CORPUS for p in d.truth["projects"] for i in p["indicators"]]
    level2 = {i["level2"] for i in rows}
    assert level2 >= {
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
        "经济成本指标",
    }
    kinds = {i["meaning"]["value_kind"] for i in rows}
    assert kinds == {"money", "percent", "count", "duration", "date", "text", "not_applicable", "placeholder"}
    targets = " ".join(i["target_text"] for i in rows)
    for spelling in (
        "≥",
        "≤",
        "大于等于 ",
        "以上",
        "万元/家",
        "《",
        "千条",
        "-",
        "/12/31",
        "年底",
        "无",
        "每期",
    ):
        assert spelling in targets, spelling
    specs = [p for d in CORPUS for p in d.spec.projects]
    assert {p.header_style for p in specs} == {"plain", "bold", "name_first", "shifted"}
    assert any(p.page_breaks for p in specs)
    drifts = {i.drift for p in specs for i in p.indicators}
    assert drifts == {"", "name_left", "label_left"}
    assert any("<b>" in d.text for d in CORPUS) and any("其中:" in d.text for d in CORPUS)


def test_render_from_a_modified_spec():
    doc = next(d for d in CORPUS if d.truth["layout"] == PROVINCIAL)
    spec = copy.deepcopy(doc.spec)  # the shared corpus stays as generated
    project = spec.projects[0]
    project.funding.fiscal_appropriation += Decimal("1.5")  # a planted fault: parts no longer add up
    project.indicators[0].target, project.indicators[0].meaning = "≥ 9O%", None  # meaning: not asserted
    again = render_document(spec)
    assert again.file_name == doc.file_name
    t = again.truth["projects"][0]
    assert Decimal(t["funding_printed"]["fiscal_appropriation"]) == project.funding.fiscal_appropriation
    assert t["indicators"][0]["target_text"] == "≥ 9O%"
    parsed = parse_document(again.text, again.file_name, "doc")
    assert (
        parsed.projects[0].funding_printed["fiscal_appropriation"]
        == t["funding_printed"]["fiscal_appropriation"]
    )
    assert parsed.indicators[0].target_text == "≥ 9O%"
