-- Suite raw_projects: one row per live raw project row (lake), with the document whose
-- raw_documents row sits in the same segment (partition_document_id: NULL-free and equal to the
-- row's document when the row was read from the segment its document is live in) and whether
-- its document is in the raw documents table.
select
    projects.document_id,
    projects.source_file,
    projects.source_line,
    'project ' || coalesce(projects.project_seq::varchar, '?') as row_ref,
    projects.project_seq,
    (
        select max(documents.document_id)
        from raw_documents as documents
        where
            documents.document_id = projects.document_id
            and parse_filename(documents.filename, true) = parse_filename(projects.filename, true)
    ) as partition_document_id,
    exists(
        select 1 from raw_documents as documents
        where documents.document_id = projects.document_id
    ) as has_document
from raw_projects as projects
