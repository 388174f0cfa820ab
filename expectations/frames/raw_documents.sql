-- Suite raw_documents: one row per row of the raw documents table (lake), with the
-- document id of the partition folder the row was read from.
select
    document_id,
    source_file,
    null::integer as source_line,
    'document ' || coalesce(document_id, '?') as row_ref,
    regexp_extract(filename, 'document_id=([^/\\]+)', 1) as partition_document_id
from raw_documents
