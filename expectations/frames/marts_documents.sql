-- Suite marts_documents: one row per document of the built warehouse, with how far its fiscal
-- year is from today's year and its publication year from the fiscal year.
select
    document_id,
    source_file,
    null::integer as source_line,
    coalesce(title, document_id) as row_ref,
    fiscal_year,
    fiscal_year - year(current_date) as fiscal_year_offset,
    year(published_on) - fiscal_year as published_year_offset,
    project_count
from marts.dim_document
