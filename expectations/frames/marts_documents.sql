-- Suite marts_documents: one row per document of the built warehouse, with how far its
-- publication year is from its fiscal year and how many projects it yields.
select
    document_id,
    source_file,
    null::integer as source_line,
    coalesce(title, document_id) as row_ref,
    year(published_on) - fiscal_year as published_year_offset,
    project_count
from marts.dim_document
