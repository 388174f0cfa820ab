with source as (
    select * from {{ source('raw', 'raw_parse_issues') }}
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
