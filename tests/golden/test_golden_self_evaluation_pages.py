"""Golden rows of a self-evaluation printed over two pages, typed by reading the fixture.

``selfeval_pages_2023_county.txt`` (中江县农业农村局, FY2023, invented in the central layout of
``selfeval_sichuan_2022_county.txt``) breaks its grid after line 14: a page number
(第1页/共2页), the title, （2023年度） and the grid's caption are printed again (lines 15-18), the
level-1 label is printed again on the new page, and the last page ends with 第2页/共2页. Every
expected value below was typed from the fixture's lines.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from ingest.parse import parse_document
from ingest.records import to_records
from ingest.verdict import judge

WILD = Path(__file__).resolve().parents[1] / "fixtures" / "wild"
PAGES = "selfeval_pages_2023_county.txt"


def _records():
    text = (WILD / PAGES).read_text(encoding="utf-8")
    parsed = parse_document(text, PAGES, "doc")
    return to_records(parsed, sha256="x", byte_size=len(text), encoding="utf-8"), judge(parsed, text, PAGES)


# (project_seq, indicator_seq, line, level1_printed, level2_printed, name, weight, target, actual, score, reason)
PRINTED = [
    (1, 1, 12, "产出指标(50分)", "数量指标", "新建高标准农田面积", "15", "≥1万亩", "1万亩", "15", None),
    (1, 2, 13, "产出指标(50分)", "数量指标", "新建灌排渠道长度", "10", "≥20公里", "18公里", "8", "部分渠段征地未完成,2024年续建"),
    (1, 3, 14, "产出指标(50分)", "质量指标", "工程验收合格率", "10", "100%", "100%", "10", None),
    # lines 15-18: 第1页/共2页, the title, （2023年度）, the caption — the page break, not rows
    (1, 4, 19, "产出指标(50分)", "时效指标", "项目完工及时率", "10", "≥95%", "95%", "10", None),
    (1, 5, 20, "产出指标(50分)", "成本指标", "亩均建设成本", "5", "≤3000元/亩", "2850元/亩", "5", None),
    (1, 6, 21, "效益指标(30分)", "经济效益指标", "亩均粮食增产", "15", "≥50公斤", "55公斤", "15", None),
    (1, 7, 22, "效益指标(30分)", "社会效益指标", "受益农户数", "15", "≥2000户", "2100户", "15", None),
    (1, 8, 23, "满意度指标(10分)", "服务对象满意度指标", "受益农户满意度", "10", "≥90%", "93%", "10", None),
]  # fmt: skip


def test_a_grid_over_two_pages_is_one_table_without_warnings():
    records, verdict = _records()
    assert verdict.status == "loaded", verdict.reason
    assert records["raw_parse_issues"] == []
    (project,) = records["raw_self_evaluation_projects"]  # the page break opens no second table
    assert (
        project["source_line"],
        project["end_line"],
        project["project_name"],
        project["implementing_unit"],
        project["total_weight_printed"],
        project["total_score_printed"],
        project["total_line"],
    ) == (3, 24, "中江县2023年高标准农田建设项目", "中江县农田建设服务中心", "100", "97", 24)
    (document,) = records["raw_documents"]
    assert (document["fiscal_year"], document["publisher"]) == (2023, "中江县农业农村局")


def test_the_rows_of_both_pages_as_printed():
    records, _ = _records()
    got = [
        (r["project_seq"], r["indicator_seq"], r["source_line"], r["level1_printed"], r["level2_printed"],
         r["indicator_name"], r["weight_printed"], r["target_text"], r["actual_text"], r["score_printed"],
         r["reason_printed"])
        for r in records["raw_self_evaluation_indicators"]
    ]  # fmt: skip
    assert got == PRINTED
    assert all(r["parse_flags"] == [] for r in records["raw_self_evaluation_indicators"])


def test_the_scores_of_both_pages_add_up_to_the_printed_total():
    records, _ = _records()
    indicators = sum(r["score"] for r in records["raw_self_evaluation_indicators"])
    annual = next(f for f in records["raw_self_evaluation_funding"] if f["field"] == "annual_total")
    (project,) = records["raw_self_evaluation_projects"]
    assert (indicators, annual["score"], project["total_score"]) == (D(88), D(9), D(97))
    assert indicators + annual["score"] == project["total_score"]
