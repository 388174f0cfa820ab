"""What a person reads at the end of a refresh."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import duckdb

from jixiao.refresh import RefreshResult


def warehouse_figures(warehouse: Path) -> dict[str, object]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        docs, projects = con.execute("select count(*), sum(project_count) from marts.dim_document").fetchone()
        indicators = con.execute("select count(*) from marts.fct_indicator_target").fetchone()[0]
        annual, transfer = con.execute(
            "select sum(f.annual_total_yuan), sum(coalesce(f.transfer_total_yuan, 0)) from marts.fct_project_funding f "
            "join marts.dim_project p using (project_id) where p.is_counted"  # a project in two documents counts once
        ).fetchone()
        per_doc = con.execute(
            """
            select d.source_file, d.admin_level, count(distinct p.project_id), count(i.indicator_id)
            from marts.dim_document d
            left join marts.dim_project p using (document_id)
            left join marts.fct_indicator_target i using (project_id)
            group by all order by 1
            """
        ).fetchall()
        # self-evaluations (自评表) land in their own facts, never in dim_project (a warehouse built
        # before them has no such table)
        has_evaluations = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts' and table_name = 'fct_project_self_evaluation'"
        ).fetchone()[0]
        evaluated = {
            src: (p, i)
            for src, p, i in con.execute(
                """
                select e.source_file, count(distinct e.self_evaluation_id), count(i.self_evaluation_indicator_id)
                from marts.fct_project_self_evaluation e
                left join marts.fct_indicator_self_evaluation i using (self_evaluation_id)
                group by all
                """
            ).fetchall()
            if has_evaluations
        }
    finally:
        con.close()
    return {
        "documents": docs,
        "projects": projects or 0,
        "indicators": indicators,
        "annual_yuan": annual or 0,
        "transfer_yuan": transfer or 0,
        "per_document": per_doc,
        "self_evaluations": evaluated,
    }


def quarantine_lines(result: RefreshResult) -> list[str]:
    """The summary's quarantine block: documents not loaded (with reasons), and where to look."""
    outcomes = result.ingest.outcomes if result.ingest is not None else []
    bad = [o for o in outcomes if o.status in ("quarantined", "failed")]
    warned = [o for o in outcomes if o.status == "loaded_with_warnings"]
    lines: list[str] = []
    if bad:
        exit_note = " (exit code 5)" if result.published else ""
        lines.append(
            f"Quarantine: {len(bad)} document(s) not loaded{exit_note}; the other documents load, and a version "
            "of the same file loaded before stays published. `jixiao quarantine` lists them:"
        )
        lines += [f"  [{o.reason_code or o.status}] {o.reason or o.source_file}" for o in bad]
    if warned:
        lines.append(
            f"Warnings: {len(warned)} document(s) loaded with warnings (sound projects loaded, problems flagged); "
            "`jixiao quarantine --warnings` lists every issue with its line."
        )
    return lines


def format_summary(result: RefreshResult, warehouse: Path) -> str:
    lines: list[str] = []
    if result.ingest is not None:
        for o in result.ingest.outcomes:
            reason = f" — {o.reason}" if o.reason else ""
            lines.append(f"  {o.status:<22} {o.source_file}{reason}")
        for doc_id in result.ingest.removed:
            lines.append(f"  {'removed':<22} document {doc_id}")
        lines += quarantine_lines(result)
    if result.gate is not None:  # verdict, failed rules with counts and examples, Data Docs link
        from jixiao.quality.report import format_gate

        lines += format_gate(result.gate)
    if result.published or warehouse.exists():
        f = warehouse_figures(warehouse)
        annual = float(f["annual_yuan"])
        transfer = float(f["transfer_yuan"])
        lines += [
            "",
            f"Warehouse: {warehouse}"
            + (
                ""
                if result.published
                else "  (unchanged)"
                if result.outcome == "no_change"
                else "  (previous, still served)"
            ),
            f"  documents {f['documents']}, projects {f['projects']}, indicators {f['indicators']}",
            f"  annual funding {annual:,.2f} 元 ({annual / 10000:,.2f} 万元), "
            f"of which transferred to lower levels {transfer:,.2f} 元",
        ]
        for src, level, p, i in f["per_document"]:
            if src in f["self_evaluations"]:
                sp, si = f["self_evaluations"][src]
                lines.append(
                    f"    {src} ({level}): self-evaluation, {sp} projects, {si} evaluated indicators"
                )
            else:
                lines.append(f"    {src} ({level}): {p} projects, {i} indicators")
        dbt_page = warehouse.parent / "dbt_docs" / "index.html"  # jixiao.dbtdocs.site()
        if dbt_page.exists():
            lines.append(f"dbt docs (every table and column, lineage; offline): {dbt_page.as_uri()}")
        lines += [
            "Query it (read-only, safe while a refresh runs):",
            f"  {Path(sys.executable).parent / 'python'} -c "
            + shlex.quote(
                f"import jixiao; print(jixiao.connect({str(warehouse)!r}).sql('select project_name, annual_total_yuan "
                "from marts.dim_project join marts.fct_project_funding using (project_id) order by 2 desc limit 5'))"
            ),
        ]
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    lines.append(f"Result: {result.message} ({timing})")
    return "\n".join(lines)
