{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

with source as (
    select * from {{ source('raw', 'raw_parse_issues') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        source_file,
        source_line,
        issue_code,
        severity,
        message
    from source
)

select * from renamed
