-- Suite raw_document_verdicts: one row per document of the folder (and per document the lake
-- keeps), with the verdict ingest gave it: the catalogue rule its reason belongs to (a DOC-nn
-- rule held it back; DUP-01: loaded once under another name), where, and why. The table
-- document_verdicts is registered by jixiao.quality.frames from the refresh's outcomes (or the
-- registry, for `jixiao validate`).
select
    document_id,
    source_file,
    reason_line as source_line,
    status as row_ref,
    rule_id,
    reason
from document_verdicts
