"""The words a parser recognises cells by.

Indicator labels come from the dbt seed ``seeds/indicator_label_map.csv`` (one source of
truth for the parser and the models); header labels are the layout's own vocabulary.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.cells import fold, label_key
from ingest.memo import text_cache

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class IndicatorLabel:
    """A recognised level-1 or level-2 label with its canonical taxonomy position."""

    key: str
    level: int
    level1: str
    level2: str | None


@dataclass(frozen=True)
class LabelMap:
    level1: dict[str, IndicatorLabel]
    level2: dict[str, IndicatorLabel]

    def as_level1(self, text: str) -> IndicatorLabel | None:
        return self.level1.get(label_key(text))

    def as_level2(self, text: str) -> IndicatorLabel | None:
        return self.level2.get(label_key(text))

    def is_label(self, text: str) -> bool:
        key = label_key(text)
        return key in self.level1 or key in self.level2


def load_label_map(path: Path | None = None) -> LabelMap:
    """Read the label seed (label_key, label_level, level1, level2)."""
    path = path or SEED_DIR / "indicator_label_map.csv"
    level1: dict[str, IndicatorLabel] = {}
    level2: dict[str, IndicatorLabel] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = label_key(row["label_key"])
            level = int(row["label_level"])
            label = IndicatorLabel(key, level, row["level1"], row["level2"] or None)
            (level1 if level == 1 else level2)[key] = label
    return LabelMap(level1, level2)


@lru_cache(maxsize=1)
def default_label_map() -> LabelMap:
    return load_label_map()


# Header labels: folded key -> field. Side markers and groups are handled apart.
HEADER_FIELDS: dict[str, str] = {
    "项目名称": "project_name",
    "主管部门及代码": "department",
    "主管部门(及代码)": "department",
    "主管部门": "department",
    "主管部门名称及代码": "department",
    "主管单位": "department",
    "实施单位": "implementing_unit",
    "项目属性": "attribute",
    "项目期": "period",
    "项目周期": "period",
    "项目期限": "period",
    "项目总额": "project_total",
    "项目资金总额": "project_total",
    "年度资金总额": "annual_total",
    "年度资金": "annual_total",
    "资金总额": "side_total",
    "财政拨款": "fiscal_appropriation",
    "财政资金": "fiscal_appropriation",
    "其他资金": "other_funds",
    "结余结转资金": "carryover",
    "结转结余资金": "carryover",
    "中央资金": "transfer_central",
    "中央补助资金": "transfer_central",
    "自治区资金": "transfer_regional",
    "省级资金": "transfer_regional",
    "省资金": "transfer_regional",
    "年度总体目标": "annual_goal",
    "年度总体绩效目标": "annual_goal",
    "年度绩效目标": "annual_goal",
    "总体绩效目标": "annual_goal",
}

FUNDING_FIELDS = (
    "project_total",
    "annual_total",
    "own_level_total",
    "fiscal_appropriation",
    "other_funds",
    "carryover",
    "transfer_total",
    "transfer_central",
    "transfer_regional",
)

# The time horizon of an indicator row: annual unless the grid says otherwise.
HORIZONS = ("annual", "long_term", "mid_term", "implementation_period")
# Words of a grid's title cell (本年度绩效指标, 实施期绩效指标, 长期绩效指标 …) -> horizon.
HORIZON_WORDS = (("实施期", "implementation_period"), ("中期", "mid_term"), ("长期", "long_term"))


def horizon_of(title: str | None) -> str:
    """The horizon a grid title names; annual when it names none."""
    key = fold(title or "")
    return next((h for word, h in HORIZON_WORDS if word in key), "annual")


# A goal label (长期目标, 实施期绩效目标, 中期滚动目标(2019年--2021年), 项目总体绩效目标(长期目标)):
# short, and its words end in 目标 before any parenthesis.
_GOAL_LABEL = re.compile(r"^[^()]{0,10}目标(?:\(.{0,16}\))?$")


def goal_horizon(text: str | None) -> str | None:
    """The horizon of a goal label printed beside the year's goal (long_term, mid_term,
    implementation_period); None for the year's own goal and for anything not a goal label."""
    key = fold(text or "")
    if not _GOAL_LABEL.match(key) or "指标" in key:
        return None
    horizon = horizon_of(key)
    return None if horizon == "annual" else horizon


def is_goal_label(text: str | None) -> bool:
    """Any goal label, the year's included (年度目标, 本年度绩效目标 …)."""
    key = fold(text or "")
    return bool(_GOAL_LABEL.match(key)) and "指标" not in key


@lru_cache(maxsize=1)
def known_units() -> frozenset[str]:
    """The units the seed ``seeds/units.csv`` knows (个, 人次, 万元, % …)."""
    with (SEED_DIR / "units.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(row["unit_printed"] for row in csv.DictReader(fh))


def is_unit(text: str) -> bool:
    """A unit cell: a known unit, or known units joined by ``/`` (人/次, 万元/人)."""
    parts = fold(text).split("/")
    return all(p in known_units() for p in parts)


# Funding cells a family prints beyond the wide fact's columns: rows of raw_funding_cells
# (the long form) only, a new ``field`` value each, no column anywhere else.
FAMILY_FUNDING_FIELDS = (
    "upper_level_funds",  # 该项目支出上级资金 (Hunan)
    "prior_year_budget",  # 上年度预算安排资金 (Fujian)
    "own_funds",  # 自有资金 (Fujian)
    "business_income",  # 事业收入 (Fujian)
    "operating_income",  # 经营性收入 (Fujian)
    "local_funds",  # 地方资金 (transfer-payment regional tables)
)

# The authorities a transfer-payment regional table (财预〔2015〕163号) prints, label (folded) ->
# role: the one list of their names (raw_project_authorities.role).
TRANSFER_AUTHORITY_ROLES: dict[str, str] = {
    "中央主管部门": "central_department",
    "省级财政部门": "provincial_finance",
    "省级主管部门": "provincial_department",
    "区县财政部门": "county_finance",
    "区县主管部门": "county_department",
}

_OWN_SIDE = re.compile(r"^本级(?:资金)?$")
_TRANSFER_SIDE = re.compile(r"^转移.*资金$|^转移支付$")
_FUNDING_GROUP = re.compile(r"^项目资金(?:\((?:万元|元)\))?$")
_MONEY_UNIT = re.compile(r"(万元|元)")
GRID_CAPTIONS = {"名称", "绩效指标"}


@text_cache()  # header cells and label cells recur in every table
def header_label(text: str) -> tuple[str, str] | None:
    """Classify a header cell: ('field', name) | ('side', own|transfer) | ('group', unit)."""
    key = label_key(text)
    if key in HEADER_FIELDS:
        return ("field", HEADER_FIELDS[key])
    if _OWN_SIDE.match(key):
        return ("side", "own")
    if _TRANSFER_SIDE.match(key):
        return ("side", "transfer")
    if _FUNDING_GROUP.match(key):
        unit = _MONEY_UNIT.search(key)
        return ("group", unit.group(1) if unit else "")
    return None


_LABEL_VALUE = re.compile(r"^(.{2,20}?)\s*[:：]\s*(\S.*)$")


def split_label_value(text: str) -> tuple[str, str] | None:
    """``年度资金总额:13.49`` printed in one cell -> (label, value); None otherwise."""
    m = _LABEL_VALUE.match(text)
    if not m:
        return None
    label, value = m.group(1), m.group(2)
    if header_label(label) is None or header_label(value) is not None:
        return None
    return label, value


def is_grid_caption_line(keys: list[str]) -> bool:
    """The indicator grid's column caption: 一级指标 … 三级指标 … 指标值/绩效值."""
    joined = "|".join(keys)
    return "一级指标" in joined and ("三级指标" in joined or "二级指标" in joined)


_NOISE = (
    re.compile(r".*绩效目标表$"),
    re.compile(r"^\(?\d{4}年度?\)?$"),
    re.compile(r"^(?:金额)?单位[:：]?(万元|元)$"),
)


def is_noise(text: str) -> bool:
    """Title lines, ``(2025 年度)`` lines and ``单位：万元`` lines between and inside tables."""
    key = fold(text).lstrip("#")
    return any(p.match(key) for p in _NOISE)


def unit_line(text: str) -> str | None:
    m = re.match(r"^(?:金额)?单位[:：]?(万元|元)$", fold(text).lstrip("#"))
    return m.group(1) if m else None
