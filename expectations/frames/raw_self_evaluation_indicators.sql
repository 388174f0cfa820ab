-- Suite raw_self_evaluation_indicators: one row per live raw evaluated indicator row (lake), with
-- what of its key is missing, whether the self-evaluated project it names (document id + project
-- seq) is in raw_self_evaluation_projects, whether its source line is inside its document and
-- which printed text the reader always writes is missing.
with document_lines as (
    select
        document_id,
        max(line_count) as line_count
    from raw_documents
    group by document_id
)

select
    indicators.document_id,
    indicators.source_file,
    indicators.source_line,
    'self-evaluation ' || coalesce(indicators.project_seq::varchar, '?')
    || ' indicator ' || coalesce(indicators.indicator_seq::varchar, '?') as row_ref,
    indicators.project_seq,
    indicators.indicator_seq,
    nullif(concat_ws(
        ', ',
        case when indicators.document_id is null then 'document_id' end,
        case when indicators.project_seq is null then 'project_seq' end,
        case when indicators.indicator_seq is null then 'indicator_seq' end,
        case when indicators.source_file is null then 'source_file' end
    ), '') as missing_key,
    exists(
        select 1
        from raw_self_evaluation_projects as projects
        where projects.document_id = indicators.document_id
            and projects.project_seq = indicators.project_seq
    ) as has_project,
    case
        when indicators.source_line is null then 'source_line missing'
        when indicators.source_line < 1 or indicators.source_line > document_lines.line_count
            then 'line ' || indicators.source_line || ' of a document of ' || document_lines.line_count || ' lines'
    end as line_outside_document,
    nullif(concat_ws(
        ', ',
        case when indicators.indicator_name is null then 'indicator_name' end,
        case when indicators.target_text is null then 'target_text' end,
        case when indicators.actual_text is null then 'actual_text' end,
        case when indicators.line_printed is null then 'line_printed' end
    ), '') as printed_missing,
    case
        when indicators.weight < 0 or indicators.score < 0
            then '分值 ' || coalesce(indicators.weight_printed, '') || ' / 得分 ' || coalesce(indicators.score_printed, '')
    end as negative_weight_or_score
from raw_self_evaluation_indicators as indicators
left join document_lines on indicators.document_id = document_lines.document_id
