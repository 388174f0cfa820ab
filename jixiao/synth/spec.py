"""The explicit, truth-like spec of a synthetic document (what it says and how it is laid out).

A spec is plain data: change a project's money or an indicator's target and render it again
(``jixiao.synth.render_document``). Money is in 万元 as printed (``Decimal``); ``None`` means
the layout has no such cell, ``blank=True`` on a cell means the label is printed with no value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

FUNDING_KEYS = (
    "project_total",
    "annual_total",
    "fiscal_appropriation",
    "other_funds",
    "carryover",
    "own_level_total",
    "transfer_total",
    "transfer_central",
    "transfer_regional",
)

COUNTY, PROVINCIAL = "county", "provincial"
LAYOUTS = (COUNTY, PROVINCIAL)


@dataclass
class Funding:
    """Funding cells in 万元; None = no such cell in the layout."""

    annual_total: Decimal
    fiscal_appropriation: Decimal
    other_funds: Decimal | None = None
    carryover: Decimal | None = None
    project_total: Decimal | None = None
    own_level_total: Decimal | None = None
    transfer_total: Decimal | None = None
    transfer_central: Decimal | None = None
    transfer_regional: Decimal | None = None
    other_blank: bool = False  # county: 其他资金 printed with an empty value cell (a zero left blank)

    def cell(self, key: str) -> Decimal | None:
        return getattr(self, key)


@dataclass
class IndicatorSpec:
    level1: str  # canonical
    level2: str  # canonical
    level1_label: str  # the block's level-1 label as printed (tags and outer spaces off)
    level2_label: str  # the block's level-2 label as printed
    name: str
    target: str
    meaning: dict | None = None  # what the marts derive from the target (None: not asserted)
    drift: str = ""  # "" | "name_left" (name in a label column) | "label_left" (level-2 label in col 0/1)
    pad: bool = False  # spaces around the name inside its cell


@dataclass
class ProjectSpec:
    name: str
    department: str
    department_code: str | None
    implementing_unit: str
    attribute_code: str
    attribute_label: str
    period: str
    annual_goal: str
    funding: Funding
    indicators: list[IndicatorSpec]
    header_style: str = "plain"  # county: plain|bold|name_first|shifted; provincial: plain|shifted
    attribute_sep: str = "-"
    code_sep: str = "--"
    page_breaks: list[int] = field(default_factory=list)  # indicator indices that start a new page
    department_label: str = "主管部门及代码"

    @property
    def department_printed(self) -> str:
        if self.department_code is None:
            return self.department
        return f"{self.department}{self.code_sep}{self.department_code}"

    @property
    def attribute_printed(self) -> str:
        return f"{self.attribute_code}{self.attribute_sep}{self.attribute_label}"


@dataclass
class DocumentSpec:
    layout: str  # county | provincial
    file_name: str
    publisher: str
    region_name: str
    admin_level: str  # county | province
    fiscal_year: int
    projects: list[ProjectSpec]
    published_on: str | None = None  # ISO, provincial cover
    level_word: str = "自治区"  # provincial: 自治区 / 省 (…本级)
    short_publisher: str = ""  # provincial cover signature: 自治区应急管理厅
    regional_label: str = "自治区资金"
    half_width: bool = False  # provincial: ASCII colons and parentheses in the header
    heading: str = "#"  # provincial page titles: # or ##
    value_col: int = 4  # provincial grid: 绩效值 in column 3 or 4
    division_code: str | None = None  # GB/T 2260 code of region_name (vocab.DIVISION_CODES)
    attachment_no: int = 2  # county: 附件 N：
