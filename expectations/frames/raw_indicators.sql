-- Suite raw_indicators: one row per raw indicator row (lake), with its partition's document id
-- and whether the project it names (document id + project seq) is in the raw projects table.
select
    indicators.document_id,
    indicators.source_file,
    indicators.source_line,
    'project ' || coalesce(indicators.project_seq::varchar, '?')
    || ' indicator ' || coalesce(indicators.indicator_seq::varchar, '?') as row_ref,
    indicators.project_seq,
    indicators.indicator_seq,
    regexp_extract(indicators.filename, 'document_id=([^/\\]+)', 1) as partition_document_id,
    exists(
        select 1
        from raw_projects as projects
        where projects.document_id = indicators.document_id
            and projects.project_seq = indicators.project_seq
    ) as has_project
from raw_indicators as indicators
