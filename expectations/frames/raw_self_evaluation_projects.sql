-- Suite raw_self_evaluation_projects: one row per live raw self-evaluation project row (lake),
-- with what of its key is missing, whether its document is in the raw documents table and
-- whether its source line is inside that document, and a 总分 read as a negative number.
with document_lines as (
    select
        document_id,
        max(line_count) as line_count
    from raw_documents
    group by document_id
)

select
    projects.document_id,
    projects.source_file,
    projects.source_line,
    'self-evaluation ' || coalesce(projects.project_seq::varchar, '?') as row_ref,
    projects.project_seq,
    nullif(concat_ws(
        ', ',
        case when projects.document_id is null then 'document_id' end,
        case when projects.project_seq is null then 'project_seq' end,
        case when projects.source_file is null then 'source_file' end
    ), '') as missing_key,
    exists(
        select 1 from raw_documents as documents
        where documents.document_id = projects.document_id
    ) as has_document,
    case
        when projects.source_line is null then 'source_line missing'
        when projects.source_line < 1 or projects.source_line > document_lines.line_count
            then 'line ' || projects.source_line || ' of a document of ' || document_lines.line_count || ' lines'
    end as line_outside_document,
    case
        when projects.total_weight < 0 or projects.total_score < 0
            then '总分 ' || coalesce(projects.total_weight_printed, '')
            || ' / ' || coalesce(projects.total_score_printed, '')
    end as negative_weight_or_score
from raw_self_evaluation_projects as projects
left join document_lines on projects.document_id = document_lines.document_id
