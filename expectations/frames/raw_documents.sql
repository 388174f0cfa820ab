-- Suite raw_documents: one row per document the manifest (raw_live) says is live, with its
-- row of the raw documents table read from the segment the manifest names (the live rows) and
-- the publisher's division. partition_document_id is the manifest's document: a live document
-- whose segment lacks its row shows as 'missing from seg-<segment>' (LIN-01 fails).
select
    coalesce(documents.document_id, 'missing from seg-' || live.segment) as document_id,
    documents.source_file,
    null::integer as source_line,
    'document ' || coalesce(documents.document_id, live.document_id)
    || coalesce(' ' || documents.publisher, '')
    || coalesce(' (' || documents.division_evidence || ')', '') as row_ref,
    documents.division_code,
    live.document_id as partition_document_id
from raw_live as live
left join raw_documents as documents on live.document_id = documents.document_id
