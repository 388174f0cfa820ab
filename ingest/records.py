"""Parsed rows -> plain dicts shaped like the raw tables (pure)."""

from __future__ import annotations

from decimal import Decimal

from ingest import PARSER_VERSION
from ingest.cells import label_key
from ingest.families.self_evaluation import level_key
from ingest.funding import read_funding_cell
from ingest.header import split_department
from ingest.numbers import MAX_DECIMALS, fits_raw_decimal, read_number
from ingest.rows import (
    GoalRow,
    IndicatorRow,
    ParsedDocument,
    ProjectRow,
    SelfEvalIndicatorRow,
    SelfEvalProjectRow,
)
from ingest.values import TargetLexeme, as_excel_serial, lex_target
from ingest.vocabulary import FAMILY_FUNDING_FIELDS, FUNDING_FIELDS

_RAW_SCALE = Decimal(1).scaleb(-MAX_DECIMALS)


def _exact(value: Decimal | None) -> Decimal | None:
    """A number as the raw tables store it (DECIMAL(24, 6)); None if it cannot fit exactly.

    The readers already give None (and a problem code) for such numbers; this is the
    writer's own guard, so a raw row can never fail its cast.
    """
    if value is None or not fits_raw_decimal(value):
        return None
    return value.quantize(_RAW_SCALE)


def lexeme_columns(lx: TargetLexeme, prefix: str) -> dict:
    """A lexed value as the columns ``ingest.schema.lex_fields(prefix)`` names."""
    return {
        f"{prefix}kind": lx.kind,
        f"{prefix}comparator": lx.comparator,
        f"{prefix}comparator_printed": lx.comparator_printed,
        f"{prefix}low": _exact(lx.low),
        f"{prefix}high": _exact(lx.high),
        f"{prefix}multiplier": lx.multiplier,
        f"{prefix}unit_printed": lx.unit_printed,
        f"{prefix}unit_base": lx.unit_base,
        f"{prefix}unit_per": lx.unit_per,
        f"{prefix}date": lx.date,
        f"{prefix}date_rule": lx.date_rule,
        f"{prefix}qualifier": lx.qualifier,
        f"{prefix}notes": list(lx.notes),
    }


def lex_columns(indicator: IndicatorRow, fiscal_year: int | None) -> dict:
    """The ``lex_`` columns of a raw indicator row: how its target is written."""
    lx = lex_target(indicator.target_text, default_year=fiscal_year)
    if "excel_date_serial" in indicator.parse_flags:  # the family reader decided the cell is one
        lx = as_excel_serial(lx)
    return lexeme_columns(lx, "lex_")


def funding_cells(project: ProjectRow) -> list[dict]:
    """The rows of ``raw_funding_cells`` for one project: one per printed funding cell."""
    rows = []
    for key in (*FUNDING_FIELDS, *FAMILY_FUNDING_FIELDS):
        printed = project.funding_printed.get(key)
        if printed is None:
            continue  # no such label in the document
        cell = read_funding_cell(printed)
        rows.append(
            {
                "document_id": project.document_id,
                "source_file": project.source_file,
                "project_seq": project.project_seq,
                "field": key,
                "label_printed": project.funding_labels.get(key),
                "printed": printed,
                "amount": _exact(cell.amount),
                "unit_printed": cell.unit_printed,
                "problem": cell.problem,
                "source_line": project.funding_lines.get(key),
            }
        )
    return rows


def authority_rows(project: ProjectRow) -> list[dict]:
    """The rows of ``raw_project_authorities`` for one project, in the order printed."""
    return [
        {
            "document_id": project.document_id,
            "source_file": project.source_file,
            "project_seq": project.project_seq,
            "authority_seq": seq,
            "role": a.role,
            "label_printed": a.label_printed,
            "printed": a.printed,
            "source_line": a.source_line,
        }
        for seq, a in enumerate(project.authorities, start=1)
    ]


def goal_record(project: ProjectRow, goal: GoalRow) -> dict:
    """One row of ``raw_project_goals``: a goal of another horizon than the year's."""
    return {
        "document_id": project.document_id,
        "source_file": project.source_file,
        "project_seq": project.project_seq,
        "horizon": goal.horizon,
        "label_printed": goal.label_printed,
        "goal_printed": goal.printed,
        "source_line": goal.source_line,
    }


def to_records(
    parsed: ParsedDocument, *, sha256: str, byte_size: int, encoding: str
) -> dict[str, list[dict]]:
    d = parsed.document
    documents = [
        {
            "document_id": d.document_id,
            "source_file": d.source_file,
            "content_sha256": sha256,
            "byte_size": byte_size,
            "encoding": encoding,
            "layout": d.layout,
            "template_family": d.template_family,
            "title": d.title,
            "publisher": d.publisher,
            "region_name": d.region_name,
            "admin_level": d.admin_level,
            "division_code": d.division_code,
            "publisher_unit": d.publisher_unit,
            "division_evidence": d.division_evidence,
            "fiscal_year": d.fiscal_year,
            "published_on_raw": d.published_on_raw,
            "published_on": d.published_on,
            "published_on_line": d.published_on_line,
            "line_count": d.line_count,
            "parser_version": PARSER_VERSION,
        }
    ]
    projects = []
    for p in parsed.projects:
        row = {
            "document_id": p.document_id,
            "source_file": p.source_file,
            "project_seq": p.project_seq,
            "source_line": p.source_line,
            "header_line": p.header_line,
            "source_page": p.source_page,
            "source_sheet": p.source_sheet,
            "source_cell": p.source_cell,
            "end_line": p.end_line,
            "page_count": p.page_count,
            "page_lines": p.page_lines,
            "project_name": p.project_name,
            "department_printed": p.department_printed,
            "department_name": p.department_name,
            "department_code": p.department_code,
            "implementing_unit": p.implementing_unit,
            "attribute_printed": p.attribute_printed,
            "attribute_code": p.attribute_code,
            "attribute_label": p.attribute_label,
            "period_printed": p.period_printed,
            "annual_goal": p.annual_goal,
            "money_unit_printed": p.money_unit_printed,
            "transfer_label_printed": p.transfer_label_printed,
            "parse_flags": p.parse_flags,
        }
        for k in FUNDING_FIELDS:
            row[f"{k}_printed"] = p.funding_printed.get(k)
            row[f"{k}_line"] = p.funding_lines.get(k)
        projects.append(row)
    indicators = [
        {
            "document_id": i.document_id,
            "source_file": i.source_file,
            "project_seq": i.project_seq,
            "indicator_seq": i.indicator_seq,
            "source_line": i.source_line,
            "source_page": i.source_page,
            "source_sheet": i.source_sheet,
            "source_cell": i.source_cell,
            "level1_printed": i.level1_printed,
            "level2_printed": i.level2_printed,
            "level1_key": label_key(i.level1_printed) if i.level1_printed else None,
            "level2_key": label_key(i.level2_printed) if i.level2_printed else None,
            "indicator_name": i.indicator_name,
            "target_text": i.target_text,
            "line_printed": i.line_printed,
            "parse_flags": i.parse_flags,
            "target_parts": i.target_parts,
            "weight_printed": i.weight_printed,
            "direction_printed": i.direction_printed,
            "value_type_printed": i.value_type_printed,
            "standard_printed": i.standard_printed,
            "remark_printed": i.remark_printed,
            "horizon": i.horizon,
            **lex_columns(i, d.fiscal_year),
        }
        for i in parsed.indicators
    ]
    issues = [
        {
            "document_id": d.document_id,
            "source_file": x.source_file,
            "source_line": x.line,
            "issue_code": x.code,
            "severity": x.severity,
            "message": x.message,
        }
        for x in parsed.issues
    ]
    return {
        "raw_documents": documents,
        "raw_projects": projects,
        "raw_indicators": indicators,
        "raw_funding_cells": [row for p in parsed.projects for row in funding_cells(p)],
        "raw_project_goals": [goal_record(p, g) for p in parsed.projects for g in p.goals],
        "raw_project_authorities": [row for p in parsed.projects for row in authority_rows(p)],
        "raw_parse_issues": issues,
        **self_evaluation_records(parsed),
    }


def _number(text: str | None) -> Decimal | None:
    """A cell read as one plain number (分值, 得分), else None (the reader flagged it)."""
    return _exact(read_number(text).value) if text else None


def _percent(text: str | None) -> Decimal | None:
    """``100.00%`` -> 100.00; None unless a number followed by one % sign."""
    t = (text or "").strip().replace("％", "%")
    return _number(t[:-1]) if t.endswith("%") else None


def _self_eval_project(p: SelfEvalProjectRow) -> dict:
    name, code = split_department(p.department_printed) if p.department_printed else (None, None)
    return {
        "document_id": p.document_id,
        "source_file": p.source_file,
        "project_seq": p.project_seq,
        "source_line": p.source_line,
        "end_line": p.end_line,
        "project_name": p.project_name,
        "department_printed": p.department_printed,
        "department_name": name,
        "department_code": code,
        "central_department_printed": p.central_department_printed,
        "implementing_unit": p.implementing_unit,
        "money_unit_printed": p.money_unit_printed,
        "goal_target": p.goal_target,
        "goal_actual": p.goal_actual,
        "goal_line": p.goal_line,
        "total_weight_printed": p.total_weight_printed,
        "total_weight": _number(p.total_weight_printed),
        "total_score_printed": p.total_score_printed,
        "total_score": _number(p.total_score_printed),
        "total_line": p.total_line,
        "parse_flags": p.parse_flags,
    }


def _self_eval_funding(p: SelfEvalProjectRow) -> list[dict]:
    rows = []
    for f in p.funding:
        budget = read_funding_cell(f.budget_printed) if f.budget_printed else None
        executed = read_funding_cell(f.executed_printed) if f.executed_printed else None
        rows.append(
            {
                "document_id": p.document_id,
                "source_file": p.source_file,
                "project_seq": p.project_seq,
                "field": f.field,
                "label_printed": f.label_printed,
                "budget_printed": f.budget_printed,
                "budget_amount": _exact(budget.amount) if budget else None,
                "budget_unit_printed": budget.unit_printed if budget else None,
                "executed_printed": f.executed_printed,
                "executed_amount": _exact(executed.amount) if executed else None,
                "executed_unit_printed": executed.unit_printed if executed else None,
                "weight_printed": f.weight_printed,
                "weight": _number(f.weight_printed),
                "rate_printed": f.rate_printed,
                "rate_percent": _percent(f.rate_printed),
                "score_printed": f.score_printed,
                "score": _number(f.score_printed),
                "method_printed": f.method_printed,
                "source_line": f.source_line,
            }
        )
    return rows


def _self_eval_indicator(i: SelfEvalIndicatorRow, fiscal_year: int | None) -> dict:
    return {
        "document_id": i.document_id,
        "source_file": i.source_file,
        "project_seq": i.project_seq,
        "indicator_seq": i.indicator_seq,
        "source_line": i.source_line,
        "source_page": i.source_page,
        "source_sheet": i.source_sheet,
        "source_cell": i.source_cell,
        "level1_printed": i.level1_printed,
        "level1_points_printed": i.level1_points_printed,
        "level2_printed": i.level2_printed,
        "level1_key": level_key(i.level1_printed),
        "level2_key": level_key(i.level2_printed),
        "indicator_name": i.indicator_name,
        "weight_printed": i.weight_printed,
        "weight": _number(i.weight_printed),
        "target_text": i.target_text,
        "actual_text": i.actual_text,
        "score_printed": i.score_printed,
        "score": _number(i.score_printed),
        "method_printed": i.method_printed,
        "reason_printed": i.reason_printed,
        "line_printed": i.line_printed,
        "parse_flags": i.parse_flags,
        **lexeme_columns(lex_target(i.target_text, default_year=fiscal_year), "target_lex_"),
        **lexeme_columns(lex_target(i.actual_text, default_year=fiscal_year), "actual_lex_"),
    }


def self_evaluation_records(parsed: ParsedDocument) -> dict[str, list[dict]]:
    """The rows of the self-evaluation tables (empty for a target table)."""
    year = parsed.document.fiscal_year
    return {
        "raw_self_evaluation_projects": [_self_eval_project(p) for p in parsed.self_eval_projects],
        "raw_self_evaluation_funding": [r for p in parsed.self_eval_projects for r in _self_eval_funding(p)],
        "raw_self_evaluation_indicators": [
            _self_eval_indicator(i, year) for i in parsed.self_eval_indicators
        ],
    }
