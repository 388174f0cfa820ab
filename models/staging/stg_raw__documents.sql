{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

with source as (
    select * from {{ source('raw', 'raw_documents') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        source_file,
        content_sha256,
        byte_size,
        encoding,
        layout,
        template_family,
        nullif(trim(title), '') as title,
        nullif(trim(publisher), '') as publisher,
        nullif(trim(region_name), '') as region_name,
        admin_level,
        division_code,
        nullif(trim(publisher_unit), '') as publisher_unit,
        division_evidence,
        fiscal_year::integer as fiscal_year,
        published_on_raw,
        try_cast(published_on as date) as published_on,
        published_on_line,
        line_count,
        parser_version
    from source
)

select * from renamed
