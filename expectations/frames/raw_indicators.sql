-- Suite raw_indicators: one row per live raw indicator row (lake), with the document whose
-- raw_documents row sits in the same segment (partition_document_id, as in raw_projects) and
-- whether the project it names (document id + project seq) is in the raw projects table.
select
    indicators.document_id,
    indicators.source_file,
    indicators.source_line,
    'project ' || coalesce(indicators.project_seq::varchar, '?')
    || ' indicator ' || coalesce(indicators.indicator_seq::varchar, '?') as row_ref,
    indicators.project_seq,
    indicators.indicator_seq,
    (
        select max(documents.document_id)
        from raw_documents as documents
        where
            documents.document_id = indicators.document_id
            and parse_filename(documents.filename, true) = parse_filename(indicators.filename, true)
    ) as partition_document_id,
    exists(
        select 1
        from raw_projects as projects
        where projects.document_id = indicators.document_id
            and projects.project_seq = indicators.project_seq
    ) as has_project
from raw_indicators as indicators
