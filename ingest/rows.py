"""Row types the parser produces (one per raw table)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentRow:
    document_id: str
    source_file: str
    layout: str | None = None
    template_family: str | None = None  # the family that read it (ingest.families.registry)
    title: str | None = None
    publisher: str | None = None
    region_name: str | None = None
    admin_level: str | None = None
    division_code: str | None = None  # GB/T 2260 code of the publisher's division (ingest.divisions)
    publisher_unit: str | None = None  # the unit after the division names
    division_evidence: str | None = None  # how the division was decided (prefix:平罗县, department_code …)
    fiscal_year: int | None = None
    fiscal_year_line: int | None = None  # where the year was read (not a raw column)
    published_on_raw: str | None = None
    published_on: str | None = None  # ISO date
    published_on_line: int | None = None
    line_count: int = 0


@dataclass
class AuthorityRow:
    """One authority a transfer-payment regional table prints (中央主管部门 | 财政部、农业农村部)."""

    role: str  # an ingest.vocabulary.TRANSFER_AUTHORITY_ROLES value
    label_printed: str  # the label cell as printed
    printed: str  # the value cell as printed ('' = label printed, value blank)
    source_line: int


@dataclass
class GoalRow:
    """A goal printed beside the year's goal: the long-term, mid-term or implementation-period one."""

    horizon: str  # ingest.vocabulary.HORIZONS, never annual (the year's goal is ProjectRow.annual_goal)
    label_printed: str
    printed: str
    source_line: int


@dataclass
class ProjectRow:
    document_id: str
    source_file: str
    project_seq: int
    source_line: int  # line on which the project name is printed (first page)
    header_line: int  # line of the 项目名称 label (first page)
    end_line: int  # last line of the project's last page
    page_count: int = 1
    page_lines: list[int] = field(default_factory=list)
    source_page: int | None = None  # where the header block starts (containers with pages/sheets)
    source_sheet: str | None = None
    source_cell: str | None = None
    project_name: str | None = None
    department_printed: str | None = None
    department_name: str | None = None
    department_code: str | None = None
    implementing_unit: str | None = None
    attribute_printed: str | None = None
    attribute_code: str | None = None
    attribute_label: str | None = None
    period_printed: str | None = None
    annual_goal: str | None = None
    goals: list[GoalRow] = field(default_factory=list)  # the goals of the other horizons
    authorities: list[AuthorityRow] = field(default_factory=list)  # transfer_region: the chain as printed
    money_unit_printed: str | None = None
    transfer_label_printed: str | None = None
    # funding cells as printed ('' = label printed, value blank; None = no such cell)
    funding_printed: dict[str, str | None] = field(default_factory=dict)
    funding_lines: dict[str, int] = field(default_factory=dict)
    funding_labels: dict[str, str] = field(default_factory=dict)  # the label cell as printed
    parse_flags: list[str] = field(default_factory=list)


@dataclass
class IndicatorRow:
    document_id: str
    source_file: str
    project_seq: int
    indicator_seq: int
    source_line: int
    level1_printed: str | None
    level2_printed: str | None
    level1: str | None
    level2: str | None
    indicator_name: str
    target_text: str
    line_printed: str  # the whole extracted line, tags kept, for audit
    parse_flags: list[str] = field(default_factory=list)
    # the printed cells a split target was combined from (≥ | 95 | %); empty when one cell
    target_parts: list[str] = field(default_factory=list)
    weight_printed: str | None = None  # 分值 / 权重 cell as printed
    direction_printed: str | None = None  # 正向 / 反向 (…指标) as printed
    value_type_printed: str | None = None  # 定量 / 定性 as printed
    standard_printed: str | None = None  # 绩效标准 / 参考标准 beside the target, as printed
    remark_printed: str | None = None  # 备注 as printed
    horizon: str = "annual"  # ingest.vocabulary.HORIZONS
    source_page: int | None = None  # containers with pages/sheets/cell addresses (ingest.containers)
    source_sheet: str | None = None
    source_cell: str | None = None


@dataclass
class ParseIssue:
    """Something the parser could not read as expected: where, and what it expected."""

    source_file: str
    line: int | None
    code: str
    message: str
    severity: str = "warning"  # warning | error


@dataclass
class SelfEvalFundingRow:
    """One line of a self-evaluation's funding block (年度资金总额 / 其中:本年财政拨款 / 其他资金)."""

    field: str | None  # ingest.families.self_evaluation.FUNDING_LABELS value; None: a label not known
    label_printed: str
    source_line: int
    budget_printed: str | None = None  # 年初预算数(A) / 全年预算数(A)
    executed_printed: str | None = None  # 全年执行数(B)
    weight_printed: str | None = None  # 分值
    rate_printed: str | None = None  # 执行率(B/A)
    score_printed: str | None = None  # 得分
    method_printed: str | None = None  # 得分计算方法


@dataclass
class SelfEvalProjectRow:
    """One project's self-evaluation (项目支出绩效自评表): header, funding block, goals, total."""

    document_id: str
    source_file: str
    project_seq: int
    source_line: int  # the 项目名称 line
    end_line: int
    project_name: str | None = None
    department_printed: str | None = None  # 主管部门及代码 / 地方主管部门 (transfer-payment form)
    central_department_printed: str | None = None  # 中央主管部门 (transfer-payment form only)
    implementing_unit: str | None = None  # 实施单位 / 资金使用单位
    money_unit_printed: str | None = None  # from the funding caption (资金情况(万元))
    funding: list[SelfEvalFundingRow] = field(default_factory=list)
    goal_target: str | None = None  # 年初设定目标
    goal_actual: str | None = None  # 实际完成情况 / 年度总体目标完成情况综述
    goal_line: int | None = None
    total_weight_printed: str | None = None  # the 总分 line
    total_score_printed: str | None = None
    total_line: int | None = None
    parse_flags: list[str] = field(default_factory=list)


@dataclass
class SelfEvalIndicatorRow:
    """One evaluated indicator row: levels and name as printed, target and actual side by side."""

    document_id: str
    source_file: str
    project_seq: int
    indicator_seq: int
    source_line: int
    level1_printed: str | None
    level1_points_printed: str | None  # the 70 of 产出指标(70分)
    level2_printed: str | None
    indicator_name: str
    weight_printed: str | None
    target_text: str  # 年度指标值
    actual_text: str  # 全年实际值
    score_printed: str | None
    method_printed: str | None  # 得分计算方法
    reason_printed: str | None  # 未完成原因
    line_printed: str
    parse_flags: list[str] = field(default_factory=list)
    source_page: int | None = None
    source_sheet: str | None = None
    source_cell: str | None = None


@dataclass
class ParsedDocument:
    document: DocumentRow
    projects: list[ProjectRow]
    indicators: list[IndicatorRow]
    issues: list[ParseIssue]
    # a self-evaluation (ingest.families.self_evaluation): its own rows, never projects or targets
    self_eval_projects: list[SelfEvalProjectRow] = field(default_factory=list)
    self_eval_indicators: list[SelfEvalIndicatorRow] = field(default_factory=list)
