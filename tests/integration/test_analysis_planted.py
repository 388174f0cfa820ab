"""Plant cases into a synthetic corpus -> `jixiao refresh` -> the analysis marts find them.

What was planted where comes from ``jixiao.synth.plant`` (the edit itself), never from the
marts. Each test asserts the planted cases are found (recall) and prints the precision: of what
the mart reports, the share that was planted (or, for boilerplate, printed identically by the
generator). Run with ``-s`` to see the figures (docs/analysis.md quotes them).
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from jixiao.synth import generate_corpus, render_document
from jixiao.synth.plant import Plant, plant_corpus
from jixiao.synth.writer import write_corpus

pytestmark = pytest.mark.slow

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
SEED = 18


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis_planted")
    base = [d.spec for d in generate_corpus(30, seed=SEED)]
    specs, plants = plant_corpus(base, seed=SEED)
    assert len(specs) <= 40
    docs = root / "docs"
    write_corpus([render_document(s) for s in specs], docs)
    (docs / "truth.json").rename(root / "truth.json")
    warehouse = root / "out" / "jixiao.duckdb"
    proc = subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return warehouse, plants, specs


def _rows(warehouse: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _of(plants: list[Plant], *kinds: str) -> list[Plant]:
    return [p for p in plants if p.kind in kinds]


def _report(name: str, found: int, planted: int, reported: int) -> None:
    recall = found / planted if planted else float("nan")
    precision = found / reported if reported else float("nan")
    print(
        f"\n[{name}] planted {planted}, found {found}, reported {reported}: "
        f"recall {recall:.2f}, precision {precision:.2f}"
    )


def _project_ids(warehouse: Path) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for r in _rows(
        warehouse,
        "select d.source_file, p.project_name, p.project_id from marts.dim_project p "
        "join marts.dim_document d using (document_id)",
    ):
        out.setdefault((r["source_file"], r["project_name"]), set()).add(r["project_id"])
    return out


def test_unit_cost_outliers_found(site):
    warehouse, plants, _ = site
    flagged = _rows(
        warehouse,
        "select source_file, project_name, indicator_name, fold_from_median "
        "from marts.mart_unit_cost where is_outlier",
    )
    keys = {(r["source_file"], r["project_name"], r["indicator_name"]) for r in flagged}
    planted = {(p.file_name, p.project_name, p.indicator_name) for p in _of(plants, "unit_cost_outlier")}
    assert len(planted) == 4
    assert planted <= keys, planted - keys
    peers = {(p.file_name, p.project_name, p.indicator_name) for p in _of(plants, "unit_cost_peer")}
    assert not peers & keys, "a planted peer (about 50,000 元/座) was flagged"
    _report("unit cost outliers", len(planted & keys), len(planted), len(keys))
    assert len(planted & keys) / len(keys) >= 0.25


def test_unit_cost_times_quantity_checked(site):
    warehouse, plants, _ = site
    rows = _rows(
        warehouse,
        "select source_file, project_name, consistency_status, matched_quantity "
        "from marts.mart_unit_cost where indicator_name = '每辆车运维费用标准'",
    )
    status = {(r["source_file"], r["project_name"]): r for r in rows}
    for p in _of(plants, "unit_cost_inconsistent"):
        row = status[(p.file_name, p.project_name)]
        assert row["matched_quantity"] == 10
        assert row["consistency_status"] == "exceeds_funding", p
    for p in _of(plants, "unit_cost_consistent"):
        assert status[(p.file_name, p.project_name)]["consistency_status"] != "exceeds_funding", p
    exceeding = _rows(
        warehouse,
        "select count(*) as n from marts.mart_unit_cost where consistency_status = 'exceeds_funding'",
    )[0]["n"]
    _report("unit cost x quantity > funding", 2, 2, exceeding)


def test_poor_targets_rank_last(site):
    warehouse, plants, _ = site
    ids = _project_ids(warehouse)
    poor = _of(plants, "poor_targets")
    league = _rows(
        warehouse,
        "select scope_key, score, score_rank, scope_size from marts.mart_target_quality_score "
        "where scope = 'project' order by score",
    )
    bottom = {r["scope_key"] for r in league[: len(poor)]}
    planted = set().union(*(ids[(p.file_name, p.project_name)] for p in poor))
    assert planted == bottom
    _report("poor targets in the bottom ranks", len(planted & bottom), len(planted), len(bottom))
    findings = _rows(
        warehouse, "select project_id, check_id, item_id from marts.mart_target_quality_findings"
    )
    for pid in planted:
        mine = {(f["check_id"], f["item_id"]) for f in findings if f["project_id"] == pid}
        assert {("mandatory", "timeliness"), ("mandatory", "satisfaction")} <= mine
        assert {c for c, _ in mine} >= {"placeholder", "direction", "vague", "quantified"}


def test_boilerplate_pairs_found(site):
    warehouse, plants, specs = site
    ids = _project_ids(warehouse)
    pairs = _rows(warehouse, "select text_kind, project_id_a, project_id_b from marts.mart_boilerplate_pairs")
    found = {(r["text_kind"], frozenset((r["project_id_a"], r["project_id_b"]))) for r in pairs}

    def pair_keys(p: Plant) -> set[frozenset]:
        return {
            frozenset((a, b))
            for a in ids[(p.file_name, p.project_name)]
            for b in ids[(p.other_file, p.other_project)]
        }

    copies = _of(plants, "boilerplate", "near_boilerplate")
    for kind in ("goal", "indicator_set"):
        for p in copies:
            assert any((kind, k) in found for k in pair_keys(p)), (kind, p)
    # true: planted copies (across projects, and a document printed again the next year) and
    # goals the generator printed identically
    true: set[frozenset] = set()
    for p in _of(plants, "boilerplate", "near_boilerplate", "continued", "renamed", "split"):
        true |= pair_keys(p)
    parts = [ids[(p.other_file, p.other_project)] for p in _of(plants, "split")]
    true |= {frozenset((a, b)) for x in parts for y in parts for a in x for b in y if a != b}
    goals: dict[str, set[str]] = {}
    for s in specs:
        for proj in s.projects:
            for pid in ids.get((s.file_name, proj.name), ()):
                goals.setdefault(proj.annual_goal, set()).add(pid)
    identical = {frozenset((a, b)) for same in goals.values() for a in same for b in same if a != b}
    for kind in ("goal", "indicator_set"):
        reported = {k for t, k in found if t == kind}
        hits = {k for k in reported if k in true or (kind == "goal" and k in identical)}
        print(
            f"\n[boilerplate {kind}] reported {len(reported)}, planted or printed identically {len(hits)}: "
            f"precision {len(hits) / len(reported):.2f}; planted copies found {len(copies)}/{len(copies)}"
        )
        assert len(hits) / len(reported) >= 0.8


def test_boilerplate_search_against_all_pairs(site):
    """The MinHash candidate search (int_boilerplate_pairs) against every pair of the same sets
    compared in Python: each reported pair has the exact Jaccard and shared count, and no pair at
    or above the threshold is missed (a miss has probability 5e-4 at exactly 0.8)."""
    warehouse, _, _ = site
    sets = _rows(warehouse, "select project_id, text_kind, tokens from intermediate.int_boilerplate_sets")
    params = {
        r["param"]: r["value"] for r in _rows(warehouse, "select param, value from reference.analysis_params")
    }
    threshold = {"goal": params["goal_similarity"], "indicator_set": params["indicator_set_similarity"]}
    expected: dict[tuple, tuple[float, int]] = {}
    for kind in threshold:
        mine = sorted((r["project_id"], set(r["tokens"])) for r in sets if r["text_kind"] == kind)
        for i, (a, ta) in enumerate(mine):
            for b, tb in mine[i + 1 :]:
                shared = len(ta & tb)
                similarity = shared / (len(ta) + len(tb) - shared)
                if similarity >= threshold[kind]:
                    expected[(kind, a, b)] = (similarity, shared)
    reported = {
        (r["text_kind"], r["project_id_a"], r["project_id_b"]): (r["similarity"], r["shared_tokens"])
        for r in _rows(warehouse, "select * from intermediate.int_boilerplate_pairs")
    }
    assert len(expected) >= 10
    assert reported.keys() <= expected.keys(), set(reported) - set(expected)
    for key, (similarity, shared) in reported.items():
        assert shared == expected[key][1] and similarity == pytest.approx(expected[key][0], abs=1e-12), key
    assert reported.keys() == expected.keys(), set(expected) - set(reported)


def test_projects_linked_across_years(site):
    warehouse, plants, _ = site
    links = _rows(
        warehouse,
        "select source_file_from, project_name_from, source_file_to, project_name_to, "
        "link_type, confidence from marts.mart_project_across_years",
    )
    got = {
        (r["source_file_from"], r["project_name_from"], r["source_file_to"], r["project_name_to"]): r
        for r in links
    }
    planted = _of(plants, "continued", "renamed", "split")
    assert len(_of(plants, "split")) == 2
    for p in planted:
        row = got.get((p.file_name, p.project_name, p.other_file, p.other_project))
        assert row is not None, p
        if p.kind in ("renamed", "split"):
            assert row["link_type"] == p.kind
    found = sum((p.file_name, p.project_name, p.other_file, p.other_project) in got for p in planted)
    _report("projects across years", found, len(planted), len(got))
    assert found / len(got) >= 0.9


def test_transfers_matched_to_receiving_documents(site):
    warehouse, plants, _ = site
    flows = _rows(
        warehouse,
        "select granting_source_file, granting_project_name, receiving_source_file, "
        "receiving_project_name, share_of_transfer from marts.mart_region_transfers "
        "where receiving_project_id is not null",
    )
    got = {
        (r["granting_source_file"], r["granting_project_name"], r["receiving_source_file"]): r for r in flows
    }
    planted = _of(plants, "transfer")
    assert planted
    for p in planted:
        row = got[(p.file_name, p.project_name, p.other_file)]
        assert abs(row["share_of_transfer"] - 0.4) < 0.001
    _report("transfers matched", len(planted), len(planted), len(got))


_FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})


def _fold(text: str | None) -> str:
    """fold_text in Python: full-width ASCII to half-width, spaces removed."""
    return re.sub(r"[\t\n\f\r \u3000\u00a0]+", "", (text or "").translate(_FULL_WIDTH))


def _name_bigrams(name: str | None) -> set[str]:
    """The model's name key (fold_text, years removed) as a set of character bigrams, in Python."""
    key = re.sub(r"(19|20)\d{2}年?", "", _fold(name))
    return {key} if len(key) < 2 else {key[i : i + 2] for i in range(len(key) - 1)}


def test_transfers_are_every_pair_alike_enough(site):
    """The prefix-filtered candidates miss nothing: every grant compared with every counted project
    of a division below it in the same year (the definition, brute force) gives the mart's matches."""
    warehouse, _, _ = site
    projects = _rows(
        warehouse,
        "select p.project_id, p.project_name, d.division_code, d.fiscal_year, f.annual_total_yuan, "
        "f.transfer_total_yuan from marts.dim_project p join marts.dim_document d using (document_id) "
        "join marts.fct_project_funding f using (project_id) where p.is_counted",
    )
    regions = _rows(warehouse, "select code, parent_code, city_code, province_code from marts.dim_region")
    params = {
        r["param"]: r["value"]
        for r in _rows(
            warehouse, "select param, value from reference.analysis_params where analysis = 'regions'"
        )
    }
    below = {
        (ancestor, r["code"])
        for r in regions
        for ancestor in {r["parent_code"], r["city_code"], r["province_code"]}
        if ancestor is not None and ancestor != r["code"]
    }
    bigrams = {p["project_id"]: _name_bigrams(p["project_name"]) for p in projects}
    expected = {}
    for grant in (p for p in projects if (p["transfer_total_yuan"] or 0) > 0):
        limit = float(grant["transfer_total_yuan"]) * (1 + params["transfer_match_tolerance"])
        for other in projects:
            if (grant["division_code"], other["division_code"]) not in below:
                continue
            if grant["fiscal_year"] != other["fiscal_year"] or other["annual_total_yuan"] is None:
                continue
            a, b = bigrams[grant["project_id"]], bigrams[other["project_id"]]
            similarity = len(a & b) / len(a | b)
            if (
                float(other["annual_total_yuan"]) <= limit
                and similarity >= params["transfer_name_similarity"]
            ):
                expected[(grant["project_id"], other["project_id"])] = round(similarity, 4)
    got = {
        (r["granting_project_id"], r["receiving_project_id"]): r["name_similarity"]
        for r in _rows(
            warehouse,
            "select granting_project_id, receiving_project_id, name_similarity "
            "from marts.mart_region_transfers where receiving_project_id is not null",
        )
    }
    assert expected
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - v) < 1e-9 for k, v in expected.items())


def _linkable(name: float, indicators: float, money_ratio: float | None, params: dict) -> bool:
    """The linking rule of int_project_year_candidates, written from its YAML."""
    money = 0.0
    if money_ratio is not None:
        money = max(0.0, 1 - math.log(money_ratio) / math.log(params["money_ratio_max"]))
    weight = params["indicator_weight"]
    confidence = (1 - weight - 0.2) * name + 0.2 * money + weight * indicators
    threshold = params["name_similarity"]
    return confidence >= params["min_confidence"] and (name >= threshold or indicators >= threshold)


def test_year_candidates_are_the_linkable_pairs_of_all(site):
    """The prefix-filtered candidates miss nothing: every pair of a publisher's counted projects in
    consecutive printed years, compared in Python, gives the same linkable pairs and similarities."""
    warehouse, _, _ = site
    projects = [
        p
        for p in _rows(
            warehouse,
            "select p.project_id, p.project_name, d.publisher, d.fiscal_year, f.annual_total_yuan "
            "from marts.dim_project p join marts.dim_document d using (document_id) "
            "left join marts.fct_project_funding f using (project_id) "
            "where p.is_counted and d.fiscal_year is not null",
        )
        if _fold(p["publisher"])  # a blank publisher key joins nothing
    ]
    params = {
        r["param"]: r["value"]
        for r in _rows(
            warehouse, "select param, value from reference.analysis_params where analysis = 'across_years'"
        )
    }
    indicator_names: dict[str, set[str]] = {}
    for r in _rows(warehouse, "select project_id, name_key from intermediate.int_indicator_clusters"):
        indicator_names.setdefault(r["project_id"], set()).add(r["name_key"])
    years: dict[str, set[int]] = {}
    for p in projects:
        years.setdefault(_fold(p["publisher"]), set()).add(p["fiscal_year"])
    compared, expected = 0, {}
    for a in projects:
        later = [y for y in years[_fold(a["publisher"])] if y > a["fiscal_year"]]
        for b in projects:
            if not later or _fold(b["publisher"]) != _fold(a["publisher"]) or b["fiscal_year"] != min(later):
                continue
            compared += 1
            names_a, names_b = _name_bigrams(a["project_name"]), _name_bigrams(b["project_name"])
            ind_a, ind_b = indicator_names.get(a["project_id"], set()), indicator_names.get(b["project_id"], set())
            name = len(names_a & names_b) / len(names_a | names_b)
            indicators = len(ind_a & ind_b) / len(ind_a | ind_b) if ind_a | ind_b else 0.0
            money = [a["annual_total_yuan"], b["annual_total_yuan"]]
            ratio = float(max(money) / min(money)) if None not in money and min(money) > 0 else None
            if _linkable(name, indicators, ratio, params):
                expected[(a["project_id"], b["project_id"])] = (name, indicators)
    got = {
        (r["project_id_from"], r["project_id_to"]): (r["name_similarity"], r["indicator_similarity"])
        for r in _rows(
            warehouse,
            "select project_id_from, project_id_to, name_similarity, indicator_similarity "
            "from intermediate.int_project_year_candidates",
        )
    }
    assert compared > len(expected) > 0  # the rule drops pairs, and keeps some
    assert got.keys() == expected.keys()
    assert all(abs(got[k][0] - v[0]) < 1e-9 and abs(got[k][1] - v[1]) < 1e-9 for k, v in expected.items())


def test_regions_add_up(site):
    warehouse, _, _ = site
    own = _rows(
        warehouse,
        """
        select d.fiscal_year, sum(f.own_level_yuan) as own from marts.dim_project p
        join marts.dim_document d using (document_id) join marts.fct_project_funding f using (project_id)
        where p.is_counted and d.division_code is not null group by 1 order by 1""",
    )
    rollup = _rows(
        warehouse,
        "select fiscal_year, sum(own_level_yuan) as own, "
        "sum(territory_own_level_yuan) filter (where admin_level = 'province') as provinces "
        "from marts.mart_region_rollup group by 1 order by 1",
    )
    assert [(r["fiscal_year"], r["own"]) for r in own] == [(r["fiscal_year"], r["own"]) for r in rollup]
    # every division lies in one province: the provinces' territories add up to the whole
    assert [r["own"] for r in rollup] == [r["provinces"] for r in rollup]


# Expected clusters of the generator's level-3 names (jixiao/synth/vocab.py NAMES), by reading them.
EXPECTED_CLUSTERS = {
    "群众满意度": "satisfaction_rate",
    "服务对象满意度情况": "satisfaction_rate",
    "受益对象满意度": "satisfaction_rate",
    "企业满意度": "satisfaction_rate",
    "投诉率": "complaint_rate",
    "组织培训辅导次数": "training_count",
    "验收合格率": "pass_rate",
    "培训考核合格率": "pass_rate",
    "问题整改完成率": "completion_rate",
    "数据准确率": "accuracy_rate",
    "资金发放准确率": "accuracy_rate",
    "服务响应及时率": "timely_rate",
    "审查报告采纳率": "adoption_rate",
    "设备运转正常率": "uptime_rate",
    "开展现场指导服务次数": "guidance_count",
    "开展专项督查工作": "inspection_count",
    "检查企业家数": "inspection_count",
    "购置设备数量": "equipment_count",
    "覆盖乡镇数量": "coverage_count",
    "试点示范企业数量": "pilot_count",
    "受益人次": "beneficiary_count",
    "服务对象人数": "beneficiary_count",
    "采集数据条数": "data_record_count",
    "维护站点数量": "site_count",
    "项目完成时限": "deadline",
    "资金支出时间": "deadline",
    "年度计划完成时间": "deadline",
    "培训费": "training_cost",
    "设备购置费": "equipment_cost",
    "运维服务费": "maintenance_cost",
    "单位评审费用": "review_cost",
    "每期印刷费": "printing_cost",
    "宣传活动费用": "publicity_cost",
    "补助标准": "subsidy_standard",
    "人员经费补助标准": "subsidy_standard",
    "数据服务单价": "unit_price",
    "项目费用": "project_cost",
    "项目总成本": "project_cost",
}


def test_indicator_library_clusters_like_with_like(site):
    warehouse, _, _ = site
    rows = _rows(warehouse, "select name_key, cluster_id from marts.fct_indicator_cluster")
    seen = {(r["name_key"], r["cluster_id"]) for r in rows if r["name_key"] in EXPECTED_CLUSTERS}
    assert {n for n, _ in seen} == set(EXPECTED_CLUSTERS)
    wrong = {(n, c) for n, c in seen if EXPECTED_CLUSTERS[n] != c}
    _report("indicator library", len(seen) - len(wrong), len(EXPECTED_CLUSTERS), len(seen))
    assert not wrong
