-- Suite raw_self_evaluation_funding: one row per live raw line of a self-evaluation's funding
-- block (lake), with what of its key is missing, whether the self-evaluated project it names
-- (document id + project seq) is in raw_self_evaluation_projects and whether its source line
-- is inside its document.
with document_lines as (
    select
        document_id,
        max(line_count) as line_count
    from raw_documents
    group by document_id
)

select
    funding.document_id,
    funding.source_file,
    funding.source_line,
    'self-evaluation ' || coalesce(funding.project_seq::varchar, '?')
    || ' funding ' || coalesce(funding.label_printed, '?') as row_ref,
    funding.project_seq,
    funding.label_printed,
    nullif(concat_ws(
        ', ',
        case when funding.document_id is null then 'document_id' end,
        case when funding.project_seq is null then 'project_seq' end,
        case when funding.source_file is null then 'source_file' end
    ), '') as missing_key,
    exists(
        select 1
        from raw_self_evaluation_projects as projects
        where projects.document_id = funding.document_id
            and projects.project_seq = funding.project_seq
    ) as has_project,
    case
        when funding.source_line is null then 'source_line missing'
        when funding.source_line < 1 or funding.source_line > document_lines.line_count
            then 'line ' || funding.source_line || ' of a document of ' || document_lines.line_count || ' lines'
    end as line_outside_document,
    case
        when funding.weight < 0 or funding.score < 0
            then '分值 ' || coalesce(funding.weight_printed, '') || ' / 得分 ' || coalesce(funding.score_printed, '')
    end as negative_weight_or_score
from raw_self_evaluation_funding as funding
left join document_lines on funding.document_id = document_lines.document_id
