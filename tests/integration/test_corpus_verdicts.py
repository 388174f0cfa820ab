"""A corpus is never held hostage by one document (issue 10).

A 50-document folder: 46 generated documents in both sample layouts from other publishers, the
county sample, and planted cases: a publisher's arithmetic typo (published, flagged at its
line), a prose notice (no table we can read: held back), a document with an unknown 分值
column (held back), the county sample again in GB18030 + CRLF + BOM (counted once), an excerpt
repeating one project of another document (counted once in the rollups), an 18-digit target
and an overflowing funding total (flagged, the build succeeds), a project printed without its
indicator grid (kept with its money, flagged), and a file name that is not UTF-8. Expected rows come from the generator's spec and the golden reading of the sample,
never from the parser.
"""

from __future__ import annotations

import copy
import json
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from jixiao.synth import COUNTY, PROVINCIAL, generate_corpus, render_document
from tests.conftest import DOCUMENTS, SAMPLES
from tests.integration.refresh_support import Site

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "data"
GBK_NAME = "平罗".encode("gbk") + b"_synth.txt"  # as unpacked from a Windows zip
SHOWN_GBK_NAME = GBK_NAME.decode("utf-8", "backslashreplace")
PROSE = "关于2025年度部门预算绩效目标的说明\n\n本单位2025年度项目支出绩效目标已按要求编制，详见附件。\n"


def _yuan(text: str | None) -> Decimal:
    return Decimal(text) if text is not None else Decimal(0)


def _pingluo_annual_yuan() -> Decimal:
    golden = json.loads((GOLDEN / "pingluo_projects.json").read_text(encoding="utf-8"))
    return sum(Decimal(p["funding_printed"]["annual_total"]) * 10000 for p in golden["projects"])


def _without_first_grid(text: str) -> str:
    """The first project's indicator grid cut out (its header block and money stay)."""
    lines = text.split("\n")
    caption = next(i for i, line in enumerate(lines) if "指标值" in line)
    after = next(i for i in range(caption + 1, len(lines)) if "部门项目支出预算绩效目标表" in lines[i])
    return "\n".join(lines[:caption] + lines[after:])


def _with_unknown_column(text: str) -> str:
    """Every grid caption gains a 分值 column after 指标值 (and every row a weight)."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if any(c.replace("<b>", "").replace("</b>", "").strip() in ("指标值", "绩效值") for c in cells):
            line = line.rstrip("\t") + "\t分值"
        out.append(line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    docs = generate_corpus(46, seed=1010)
    county = [d for d in docs if d.spec.layout == COUNTY]
    provincial = [d for d in docs if d.spec.layout == PROVINCIAL]
    planted: dict[str, object] = {}

    typo = county[0].spec  # 年度资金总额 printed 9 万元 above 财政拨款 + 其他资金
    typo.projects[0].funding.annual_total += Decimal("9")
    docs[docs.index(county[0])] = render_document(typo)
    planted["typo"] = typo.file_name

    big_target = county[1].spec  # an 18-digit target
    big_target.projects[0].indicators[0].target = "≥123456789012345678次"
    big_target.projects[0].indicators[0].meaning = None
    docs[docs.index(county[1])] = render_document(big_target)
    planted["big_target"] = big_target.file_name

    overflow = provincial[0].spec  # a 15-digit 项目总额 in 万元: beyond DECIMAL(20,2) in yuan
    overflow.projects[0].funding.project_total = Decimal("123456789012345")
    docs[docs.index(provincial[0])] = render_document(overflow)
    planted["overflow"] = overflow.file_name

    excerpt = copy.deepcopy(provincial[1].spec)  # one project of another document, re-published
    excerpt.file_name = "excerpt_of_" + excerpt.file_name
    excerpt.projects = excerpt.projects[:1]
    excerpt_doc = render_document(excerpt)
    planted["excerpt"], planted["excerpted"] = excerpt.file_name, provincial[1].file_name

    unknown = county[2]
    planted["unknown_column"] = unknown.file_name
    gbk = county[3]
    planted["gbk_original"] = gbk.file_name
    no_grid = county[4]
    assert not no_grid.spec.projects[0].page_breaks
    planted["no_grid"] = no_grid.file_name

    root = tmp_path_factory.mktemp("corpus")
    site = Site(root)
    site.docs.mkdir(parents=True)
    for d in docs:
        if d is unknown:
            (site.docs / d.file_name).write_text(_with_unknown_column(d.text), encoding="utf-8")
        elif d is no_grid:
            (site.docs / d.file_name).write_text(_without_first_grid(d.text), encoding="utf-8")
        elif d is gbk:
            with open(os.path.join(os.fsencode(site.docs), GBK_NAME), "wb") as fh:
                fh.write(d.text.encode("utf-8"))
        else:
            (site.docs / d.file_name).write_text(d.text, encoding="utf-8")
    (site.docs / excerpt_doc.file_name).write_text(excerpt_doc.text, encoding="utf-8")
    (site.docs / "notice_prose.txt").write_text(PROSE, encoding="utf-8")
    pingluo = (DOCUMENTS / SAMPLES["pingluo"]).read_text(encoding="utf-8")
    (site.docs / "pingluo_emergency_2025.txt").write_text(pingluo, encoding="utf-8")
    resaved = "\ufeff" + "\r\n".join(line.rstrip() + "  " for line in pingluo.split("\n")) + "\r\n\r\n"
    (site.docs / "pingluo_resaved_gb18030.txt").write_bytes(resaved.encode("gb18030"))
    assert len(list(site.docs.iterdir())) == 50

    proc = site.refresh()
    truths = {d.file_name: d.truth for d in docs if d is not unknown}
    truths[SHOWN_GBK_NAME] = truths.pop(gbk.file_name)
    truths[excerpt_doc.file_name] = excerpt_doc.truth
    return site, proc, truths, planted


def _query(site: Site, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(site.warehouse), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_the_corpus_publishes_with_the_bad_documents_held_back(corpus):
    site, proc, _, planted = corpus
    assert proc.returncode == 5, proc.stdout + proc.stderr  # published, some documents quarantined
    assert "Result: published" in proc.stdout
    held = dict(_query(site, "select source_file, reason_code from ops.run_documents where status = 'quarantined'"))
    assert held == {"notice_prose.txt": "no_tables", planted["unknown_column"]: "unknown_grid_column"}


def test_the_published_documents_are_exactly_the_good_ones(corpus):
    site, _, truths, _ = corpus
    published = {r[0] for r in _query(site, "select source_file from marts.dim_document")}
    assert published == set(truths) | {"pingluo_emergency_2025.txt"}


def test_projects_and_money_are_counted_once(corpus):
    site, _, truths, planted = corpus
    projects = sum(len(t["projects"]) for t in truths.values()) + 8
    assert _query(site, "select count(*) from marts.dim_project")[0][0] == projects
    excerpt_project = truths[planted["excerpt"]]["projects"][0]
    expected = _pingluo_annual_yuan() + sum(
        _yuan(p["funding_yuan"]["annual_total_yuan"]) for t in truths.values() for p in t["projects"]
    ) - _yuan(excerpt_project["funding_yuan"]["annual_total_yuan"])
    rollup = _query(site, "select sum(annual_total_yuan) from marts.mart_funding_rollup where rollup_by = 'fiscal_year'")
    assert rollup[0][0] == expected
    counted = _query(site, """
        select d.source_file, p.is_counted, c.source_file
        from marts.dim_project p join marts.dim_document d using (document_id)
        join marts.dim_project c on c.project_id = p.counted_copy_project_id
        where not p.is_counted""")
    assert counted == [(planted["excerpt"], False, planted["excerpted"])]
    dup = _query(site, "select source_file from marts.fct_anomaly where rule_id = 'DUP-02'")
    assert dup == [(planted["excerpt"],)]


def test_the_resaved_sample_is_a_duplicate_of_the_original(corpus):
    site, _, _, _ = corpus
    rows = _query(site, """select status, reason_code, duplicate_of from ops.run_documents
                           where source_file = 'pingluo_resaved_gb18030.txt'""")
    assert rows == [("duplicate", "duplicate_content", "pingluo_emergency_2025.txt")]
    pingluo = _query(site, """select count(*), sum(f.annual_total_yuan) from marts.fct_project_funding f
                              join marts.dim_project p using (project_id)
                              where p.source_file like 'pingluo%'""")
    assert pingluo == [(8, _pingluo_annual_yuan())]


def _line_after(text: str, start: int, label: str) -> int:
    """The number of the first line at or after ``start`` that prints ``label``."""
    lines = text.split("\n")
    return next(n for n in range(start, len(lines) + 1) if label in lines[n - 1])


def test_the_typo_is_flagged_at_its_line_and_published(corpus):
    site, _, truths, planted = corpus
    project = truths[planted["typo"]]["projects"][0]
    text = (site.docs / planted["typo"]).read_text(encoding="utf-8")
    line = _line_after(text, project["source_line"], "年度资金总额")
    rows = _query(site, "select source_line, detail from marts.fct_anomaly where rule_id = 'REC-02' and source_file = ?",
                  planted["typo"])
    assert rows == [(line, "gap_yuan=90000.00")]
    annual = _query(site, """select f.annual_total_yuan from marts.fct_project_funding f
                             join marts.dim_project p using (project_id) where p.source_file = ? and p.project_seq = 1""",
                    planted["typo"])
    assert annual == [(Decimal(project["funding_yuan"]["annual_total_yuan"]),)]  # as printed


def test_absurd_numbers_are_flagged_cells_not_failed_builds(corpus):
    site, _, _, planted = corpus
    target = _query(site, """select value_low, value_high, target_text, anomaly_rule_ids from marts.fct_indicator_target
                             where source_file = ? and target_text like '%123456789012345678%'""", planted["big_target"])
    assert target == [(None, None, "≥123456789012345678次", ["CEL-05"])]
    funding = _query(site, """select f.project_total_yuan, f.unparsed_funding_cells from marts.fct_project_funding f
                              join marts.dim_project p using (project_id) where p.source_file = ? and p.project_seq = 1""",
                     planted["overflow"])
    assert funding == [(None, ["project_total=123456789012345"])]
    rules = {r[0] for r in _query(site, "select rule_id from marts.fct_anomaly where source_file = ?", planted["overflow"])}
    assert "CEL-03" in rules


def test_a_name_that_is_not_utf8_is_kept_losslessly(corpus):
    site, _, _, _ = corpus
    registry = json.loads((site.lake / "registry.json").read_text(encoding="utf-8"))
    entry = next(e for e in registry["documents"].values() if e["source_file"] == SHOWN_GBK_NAME)
    assert bytes.fromhex(entry["source_name_hex"]) == GBK_NAME
    assert _query(site, "select count(*) from marts.dim_project where source_file = ?", SHOWN_GBK_NAME)[0][0] > 0


def test_a_project_without_its_grid_is_kept_with_its_money_and_flagged(corpus):
    site, _, truths, planted = corpus
    project = truths[planted["no_grid"]]["projects"][0]
    rows = _query(site, """select p.project_name, f.annual_total_yuan, s.indicator_count, p.parse_flags
                           from marts.dim_project p join marts.fct_project_funding f using (project_id)
                           join marts.mart_project_scorecard s using (project_id)
                           where p.source_file = ? and p.project_seq = 1""", planted["no_grid"])
    assert rows == [(project["project_name"], Decimal(project["funding_yuan"]["annual_total_yuan"]), 0, ["grid_missing"])]
    status = _query(site, "select status from ops.run_documents where source_file = ?", planted["no_grid"])
    assert status == [("loaded_with_warnings",)]


def test_the_gate_shows_the_held_documents_by_rule(corpus):
    site, proc, _, planted = corpus
    assert "HELD     DOC-03" in proc.stdout and "HELD     DOC-06" in proc.stdout
    results = dict(_query(site, "select rule_id, success from quality.rule_results where run_id = "
                                "(select max(run_id) from quality.runs)"))
    assert results["DOC-03"] is False and results["DOC-06"] is False and results["DUP-01"] is False
    assert results["REC-02"] is False and results["REL-04"] is False and results["KEY-01"] is True
    out = site.jixiao("quarantine")
    assert "notice_prose.txt" in out.stdout and planted["unknown_column"] in out.stdout and "分值" in out.stdout


def test_a_document_that_turns_bad_keeps_its_last_good_version(corpus):
    site, _, truths, planted = corpus
    name = planted["big_target"]
    before = _query(site, "select count(*) from marts.dim_project where source_file = ?", name)[0][0]
    path = site.docs / name
    path.write_text(_with_unknown_column(path.read_text(encoding="utf-8")), encoding="utf-8")
    proc = site.refresh()
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert before == len(truths[name]["projects"])
    assert _query(site, "select count(*) from marts.dim_project where source_file = ?", name)[0][0] == before
    # nothing the warehouse reads changed, so it is not rebuilt; the run's verdict is in the history
    newest = sorted((site.lake / "history" / "run_documents").glob("*.parquet"))[-1]
    row = next(r for r in pq.read_table(newest).to_pylist() if r["source_file"] == name)
    assert (row["status"], row["reason_code"], row["rule_id"], row["previous_version_kept"]) == (
        "quarantined", "unknown_grid_column", "DOC-06", True)
    assert "分值" in row["reason"] and row["reason_line"]
    out = site.jixiao("quarantine").stdout
    assert name in out and "DOC-06" in out
