"""Document-level rules of ingest.verdict: each holds a document back with its own reason (pure).

Dates are fixed (``today`` is a parameter), so the fiscal-year window is deterministic:
on 2026-12-01 with the default thresholds it is [2001, 2027].
"""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest

from ingest.parse import parse_document
from ingest.verdict import (
    DOCUMENT_RULE_THRESHOLDS,
    DOCUMENT_RULES,
    annual_total_missing,
    fiscal_year_implausible,
    fiscal_year_missing,
    judge,
    label_coverage_low,
)
from tests.conftest import SAMPLES, sample_text

TODAY = date(2026, 12, 1)
YEAR_LINE = re.compile(r"[(（]\s*2025\s*年度\s*[)）]")


def _parsed(text: str, name: str = "x.txt"):
    return parse_document(text, name, document_id=name)


def _judge(text: str, today: date = TODAY, thresholds=None):
    return judge(_parsed(text), text, "x.txt", today=today, thresholds=thresholds)


def test_the_thresholds_are_one_dict():
    assert DOCUMENT_RULE_THRESHOLDS == {  # from the rule catalogue (seeds/rules.csv)
        "fiscal_year_years_back": 25,
        "fiscal_year_years_ahead": 1,
        "label_coverage_min_share": 0.8,
    }
    assert [r.__name__ for r in DOCUMENT_RULES] == [
        "fiscal_year_missing",
        "fiscal_year_implausible",
        "annual_total_missing",
        "label_coverage_low",
    ]


def test_both_samples_pass_every_rule(sample):
    parsed = _parsed(sample_text(sample), SAMPLES[sample])
    for rule in DOCUMENT_RULES:
        assert rule(parsed, TODAY, DOCUMENT_RULE_THRESHOLDS) is None, rule.__name__
    assert judge(parsed, sample_text(sample), SAMPLES[sample]).status == "loaded"  # today's clock too


# --------------------------------------------------------------------------- fiscal year
def test_fiscal_year_missing():
    text = YEAR_LINE.sub("", sample_text("pingluo"))  # pingluo prints its year only in those lines
    verdict = _judge(text)
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "fiscal_year_missing", None)
    assert verdict.reason.startswith("x.txt：标题和“（2025 年度）”这类年度行里都读不出预算年度；期望")


@pytest.mark.parametrize(
    "year, held",
    [(2000, True), (2001, False), (2025, False), (2027, False), (2028, True), (1999, True)],
)
def test_fiscal_year_window(year, held):
    text = YEAR_LINE.sub(f"（{year}年度）", sample_text("pingluo"))
    verdict = _judge(text)
    if not held:
        assert verdict.status == "loaded"
        return
    assert (verdict.status, verdict.reason_code, verdict.line) == (
        "quarantined",
        "fiscal_year_implausible",
        6,
    )
    assert verdict.reason.startswith(f"x.txt 第 6 行：预算年度读作 {year} 年，不在 2001–2027 年之间；期望")


def test_fiscal_year_window_follows_today_and_thresholds():
    parsed = _parsed(sample_text("pingluo"))  # 2025
    # on 2051-01-01 the window is 2026..2052, on 2050-01-01 it is 2025..2051
    assert fiscal_year_implausible(parsed, date(2051, 1, 1), DOCUMENT_RULE_THRESHOLDS) is not None
    assert fiscal_year_implausible(parsed, date(2050, 1, 1), DOCUMENT_RULE_THRESHOLDS) is None
    narrow = {**DOCUMENT_RULE_THRESHOLDS, "fiscal_year_years_back": 0}
    assert fiscal_year_implausible(parsed, TODAY, narrow) is not None  # only 2026..2027
    assert fiscal_year_missing(parsed, TODAY, DOCUMENT_RULE_THRESHOLDS) is None


# --------------------------------------------------------------------------- annual total
def test_annual_total_label_absent():
    # project 1's 年度资金总额 label is gone: its 13.49 stands unlabelled
    text = sample_text("pingluo").replace("年度资金总额:\t13.49", "\t13.49", 1)
    verdict = _judge(text)
    assert (verdict.status, verdict.reason_code, verdict.line) == ("quarantined", "annual_total_missing", 7)
    assert verdict.reason.startswith(
        "x.txt 第 7 行：项目「政府长聘人员经费」的表头没有“年度资金总额”一栏；期望"
    )


def test_annual_total_printed_blank_or_unreadable_is_only_flagged():
    for printed in ("", "详见附件", "1e3"):
        text = sample_text("pingluo").replace("年度资金总额:\t13.49", f"年度资金总额:\t{printed}", 1)
        assert _judge(text).status != "quarantined", printed


def test_annual_total_missing_counts_the_projects():
    parsed = _parsed(sample_text("pingluo"))
    for p in parsed.projects[2:5]:
        del p.funding_printed["annual_total"]
    issue = annual_total_missing(parsed, TODAY, DOCUMENT_RULE_THRESHOLDS)
    assert issue.line == parsed.projects[2].header_line
    assert issue.message.startswith("项目「2025 年企业分级分类监管」等 3 个项目的表头没有“年度资金总额”一栏")


# --------------------------------------------------------------------------- label coverage
def _with_unlabelled(share_unlabelled: float):
    parsed = copy.deepcopy(_parsed(sample_text("ningxia")))  # 447 rows, all labelled
    n = int(len(parsed.indicators) * share_unlabelled)
    for row in parsed.indicators[:n]:
        row.level2_printed = None
    return parsed


def test_label_coverage_low():
    parsed = _with_unlabelled(0.6)  # 268 of 447 unlabelled: 179 labelled < 357.6
    issue = label_coverage_low(parsed, TODAY, DOCUMENT_RULE_THRESHOLDS)
    assert issue.code == "label_coverage_low"
    assert issue.line == parsed.indicators[0].source_line
    assert issue.message.startswith("447 行指标中只有 179 行认得出二级指标")
    assert "低于 80%" in issue.message


def test_label_coverage_at_the_threshold_passes():
    parsed = _with_unlabelled(0.2)  # 89 unlabelled, 358 labelled >= 357.6 (80% of 447)
    assert label_coverage_low(parsed, TODAY, DOCUMENT_RULE_THRESHOLDS) is None
    stricter = {**DOCUMENT_RULE_THRESHOLDS, "label_coverage_min_share": 0.9}
    assert label_coverage_low(parsed, TODAY, stricter) is not None


def test_label_coverage_low_holds_the_document():
    parsed = _with_unlabelled(0.8)
    verdict = judge(parsed, sample_text("ningxia"), "x.txt", today=TODAY)
    assert (verdict.status, verdict.reason_code) == ("quarantined", "label_coverage_low")
    assert verdict.reason.startswith(f"x.txt 第 {parsed.indicators[0].source_line} 行：447 行指标中只有")
    assert "期望" in verdict.reason
