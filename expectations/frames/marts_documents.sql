-- Suite marts_documents: one row per document of the built warehouse, with how far its
-- publication year is from its fiscal year and how many projects it yields (a self-evaluation's
-- projects are in fct_project_self_evaluation, never in dim_project).
with self_evaluations as (
    select
        document_id,
        count(*) as self_evaluation_count
    from marts.fct_project_self_evaluation
    group by document_id
)

select
    dim_document.document_id,
    dim_document.source_file,
    null::integer as source_line,
    coalesce(dim_document.title, dim_document.document_id) as row_ref,
    year(dim_document.published_on) - dim_document.fiscal_year as published_year_offset,
    dim_document.project_count + coalesce(self_evaluations.self_evaluation_count, 0) as project_count
from marts.dim_document
left join self_evaluations on dim_document.document_id = self_evaluations.document_id
