"""Arrow schemas of the raw tables (the names dbt sources read)."""

from __future__ import annotations

import pyarrow as pa

from ingest.vocabulary import FUNDING_FIELDS

# Where a row was printed, beside source_line, when the container has pages, sheets or cell
# addresses (ingest.containers): the page (PDF, markdown page breaks), the sheet and the first
# cell of the row (Excel, "B7"). NULL for TAB text.
PROVENANCE_COLUMNS = [
    ("source_page", pa.int32()),
    ("source_sheet", pa.string()),
    ("source_cell", pa.string()),
]

# Lexed numbers are exact decimals (2.5, 1.375, 24.966), never binary floats.
LEX_NUMBER = pa.decimal128(24, 6)


def lex_fields(prefix: str) -> list[tuple[str, pa.DataType]]:
    """How a value is written (ingest.values.lex_target), one column per part, named ``<prefix><part>``."""
    return [
        (f"{prefix}kind", pa.string()),
        (f"{prefix}comparator", pa.string()),
        (f"{prefix}comparator_printed", pa.string()),
        (f"{prefix}low", LEX_NUMBER),
        (f"{prefix}high", LEX_NUMBER),
        (f"{prefix}multiplier", pa.int64()),
        (f"{prefix}unit_printed", pa.string()),
        (f"{prefix}unit_base", pa.string()),
        (f"{prefix}unit_per", pa.string()),
        (f"{prefix}date", pa.string()),
        (f"{prefix}date_rule", pa.string()),
        (f"{prefix}qualifier", pa.string()),
        (f"{prefix}notes", pa.list_(pa.string())),
    ]


RAW_DOCUMENTS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("content_sha256", pa.string()),
        ("byte_size", pa.int64()),
        ("encoding", pa.string()),
        ("layout", pa.string()),
        ("template_family", pa.string()),  # the family that read it: ningxia, inner_mongolia, …
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("region_name", pa.string()),
        ("admin_level", pa.string()),
        ("division_code", pa.string()),
        ("publisher_unit", pa.string()),
        ("division_evidence", pa.string()),
        ("fiscal_year", pa.int32()),
        ("published_on_raw", pa.string()),
        ("published_on", pa.string()),
        ("published_on_line", pa.int32()),
        ("line_count", pa.int32()),
        ("parser_version", pa.string()),
    ]
)

RAW_PROJECTS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("source_line", pa.int32()),
        ("header_line", pa.int32()),
        *PROVENANCE_COLUMNS,
        ("end_line", pa.int32()),
        ("page_count", pa.int32()),
        ("page_lines", pa.list_(pa.int32())),
        ("project_name", pa.string()),
        ("department_printed", pa.string()),
        ("department_name", pa.string()),
        ("department_code", pa.string()),
        ("implementing_unit", pa.string()),
        ("attribute_printed", pa.string()),
        ("attribute_code", pa.string()),
        ("attribute_label", pa.string()),
        ("period_printed", pa.string()),
        ("annual_goal", pa.string()),
        ("money_unit_printed", pa.string()),
        ("transfer_label_printed", pa.string()),
        *[(f"{k}_printed", pa.string()) for k in FUNDING_FIELDS],
        *[(f"{k}_line", pa.int32()) for k in FUNDING_FIELDS],
        ("parse_flags", pa.list_(pa.string())),
    ]
)

RAW_INDICATORS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("indicator_seq", pa.int32()),
        ("source_line", pa.int32()),
        *PROVENANCE_COLUMNS,
        ("level1_printed", pa.string()),
        ("level2_printed", pa.string()),
        ("level1_key", pa.string()),
        ("level2_key", pa.string()),
        ("indicator_name", pa.string()),
        ("target_text", pa.string()),
        ("line_printed", pa.string()),
        ("parse_flags", pa.list_(pa.string())),
        ("target_parts", pa.list_(pa.string())),  # the printed cells of a split target (≥ | 95 | %)
        ("weight_printed", pa.string()),  # 分值 / 权重 as printed
        ("direction_printed", pa.string()),  # 正向 / 反向 as printed
        ("value_type_printed", pa.string()),  # 定量 / 定性 as printed
        ("standard_printed", pa.string()),  # 绩效标准 / 参考标准 as printed (never the target)
        ("remark_printed", pa.string()),  # 备注 as printed
        ("horizon", pa.string()),  # annual | long_term | mid_term | implementation_period
        # How the target is written (ingest.values.lex_target); meaning is derived in dbt.
        *lex_fields("lex_"),
    ]
)

RAW_PARSE_ISSUES = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int32()),
        ("issue_code", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
    ]
)

# One row per printed funding cell (ingest.funding.read_funding_cell): the long form of
# raw_projects' <field>_printed / <field>_line columns, with the amount read.
RAW_FUNDING_CELLS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("field", pa.string()),  # a FUNDING_FIELDS key: project_total, annual_total, …
        ("label_printed", pa.string()),  # the label cell as printed: 其中: 财政拨款
        ("printed", pa.string()),  # the value cell as printed (tags removed); '' = blank
        ("amount", LEX_NUMBER),  # read by ingest.numbers; NULL unless a plain number
        ("unit_printed", pa.string()),  # a unit printed in the cell (90万元 -> 万元), else NULL
        # NULL | blank | not_number | exponent_notation | not_a_number | number_out_of_range
        ("problem", pa.string()),
        ("source_line", pa.int32()),
    ]
)

# One row per goal printed beside the year's goal (raw_projects.annual_goal): the long-term
# (长期目标), mid-term (中期滚动目标) and implementation-period (实施期绩效目标) goals.
RAW_PROJECT_GOALS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("horizon", pa.string()),  # ingest.vocabulary.HORIZONS other than annual
        ("label_printed", pa.string()),  # the label cell as printed: 中期滚动目标(2019年--2021年)
        ("goal_printed", pa.string()),
        ("source_line", pa.int32()),
    ]
)

# One row per authority a transfer-payment regional table prints (ingest.families.transfer_region:
# 中央主管部门 | 财政部、农业农村部 …), in the order printed; no rows for the other families.
RAW_PROJECT_AUTHORITIES = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("authority_seq", pa.int32()),  # 1.. in the order printed
        ("role", pa.string()),  # an ingest.vocabulary.TRANSFER_AUTHORITY_ROLES value
        ("label_printed", pa.string()),  # the label cell as printed: 区县主管部门
        ("printed", pa.string()),  # the value cell as printed; '' = label printed, value blank
        ("source_line", pa.int32()),
    ]
)

# Self-evaluations (项目支出绩效自评表, ingest.families.self_evaluation): their own tables, never
# raw_projects / raw_indicators (which count targets and money).
RAW_SELF_EVALUATION_PROJECTS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("source_line", pa.int32()),  # the 项目名称 line
        ("end_line", pa.int32()),
        ("project_name", pa.string()),
        ("department_printed", pa.string()),
        ("department_name", pa.string()),
        ("department_code", pa.string()),
        ("central_department_printed", pa.string()),  # 中央主管部门 (transfer-payment form only)
        ("implementing_unit", pa.string()),  # 实施单位 / 资金使用单位
        ("money_unit_printed", pa.string()),  # from the funding caption 资金情况(万元)
        ("goal_target", pa.string()),  # 年初设定目标
        ("goal_actual", pa.string()),  # 实际完成情况 / 年度总体目标完成情况综述
        ("goal_line", pa.int32()),
        ("total_weight_printed", pa.string()),  # the 总分 line
        ("total_weight", LEX_NUMBER),
        ("total_score_printed", pa.string()),
        ("total_score", LEX_NUMBER),
        ("total_line", pa.int32()),
        ("parse_flags", pa.list_(pa.string())),
    ]
)

# One row per line of a self-evaluation's funding block (年度资金总额, 其中:本年财政拨款, 其他资金).
RAW_SELF_EVALUATION_FUNDING = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        # annual_total | fiscal_appropriation | carried_over | central_funds | local_funds | other_funds | NULL
        ("field", pa.string()),
        ("label_printed", pa.string()),
        ("budget_printed", pa.string()),  # 年初预算数(A)
        ("budget_amount", LEX_NUMBER),  # read by ingest.funding; NULL unless a number
        ("budget_unit_printed", pa.string()),  # a unit printed in the cell itself
        ("executed_printed", pa.string()),  # 全年执行数(B)
        ("executed_amount", LEX_NUMBER),
        ("executed_unit_printed", pa.string()),
        ("weight_printed", pa.string()),  # 分值
        ("weight", LEX_NUMBER),
        ("rate_printed", pa.string()),  # 执行率(B/A) as printed: 100.00%
        ("rate_percent", LEX_NUMBER),  # its number when printed as n%
        ("score_printed", pa.string()),  # 得分
        ("score", LEX_NUMBER),
        ("method_printed", pa.string()),  # 得分计算方法
        ("source_line", pa.int32()),
    ]
)

RAW_SELF_EVALUATION_INDICATORS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("project_seq", pa.int32()),
        ("indicator_seq", pa.int32()),
        ("source_line", pa.int32()),
        *PROVENANCE_COLUMNS,
        ("level1_printed", pa.string()),  # as printed, points kept: 产出指标(70分)
        ("level1_points_printed", pa.string()),  # 70
        ("level2_printed", pa.string()),
        ("level1_key", pa.string()),  # the taxonomy seed's key (points removed)
        ("level2_key", pa.string()),
        ("indicator_name", pa.string()),
        ("weight_printed", pa.string()),  # 分值
        ("weight", LEX_NUMBER),
        ("target_text", pa.string()),  # 年度指标值
        ("actual_text", pa.string()),  # 全年实际值
        ("score_printed", pa.string()),  # 得分
        ("score", LEX_NUMBER),
        ("method_printed", pa.string()),  # 得分计算方法
        ("reason_printed", pa.string()),  # 未完成原因…
        ("line_printed", pa.string()),
        ("parse_flags", pa.list_(pa.string())),
        *lex_fields("target_lex_"),  # the target and the actual, lexed by the same grammar
        *lex_fields("actual_lex_"),
    ]
)

RAW_TABLES: dict[str, pa.Schema] = {
    "raw_documents": RAW_DOCUMENTS,
    "raw_projects": RAW_PROJECTS,
    "raw_indicators": RAW_INDICATORS,
    "raw_funding_cells": RAW_FUNDING_CELLS,
    "raw_project_goals": RAW_PROJECT_GOALS,
    "raw_project_authorities": RAW_PROJECT_AUTHORITIES,
    "raw_parse_issues": RAW_PARSE_ISSUES,
    "raw_self_evaluation_projects": RAW_SELF_EVALUATION_PROJECTS,
    "raw_self_evaluation_funding": RAW_SELF_EVALUATION_FUNDING,
    "raw_self_evaluation_indicators": RAW_SELF_EVALUATION_INDICATORS,
}
