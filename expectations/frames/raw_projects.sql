-- Suite raw_projects: one row per raw project row (lake), with its partition's document id
-- and whether its document is in the raw documents table.
select
    projects.document_id,
    projects.source_file,
    projects.source_line,
    'project ' || coalesce(projects.project_seq::varchar, '?') as row_ref,
    projects.project_seq,
    regexp_extract(projects.filename, 'document_id=([^/\\]+)', 1) as partition_document_id,
    exists(
        select 1 from raw_documents as documents
where documents.document_id = projects.document_id
    ) as has_document
from raw_projects as projects
