-- Suite raw_documents: one row per row of the raw documents table (lake), with the
-- document id of the partition folder the row was read from, and the publisher's division.
select
    document_id,
    source_file,
    null::integer as source_line,
    'document ' || coalesce(document_id, '?') || coalesce(' ' || publisher, '')
    || coalesce(' (' || division_evidence || ')', '') as row_ref,
    division_code,
    regexp_extract(filename, 'document_id=([^/\\]+)', 1) as partition_document_id
from raw_documents
