with source as (
    select * from {{ source('raw', 'raw_indicators') }}
),

renamed as (
    select
        document_id || '-p' || lpad(project_seq::varchar, 3, '0')
        || '-i' || lpad(indicator_seq::varchar, 3, '0') as indicator_id,
        document_id || '-p' || lpad(project_seq::varchar, 3, '0') as project_id,
        document_id,
        source_file,
        project_seq,
        indicator_seq,
        source_line,
        level1_printed,
        level2_printed,
        level1_key,
        level2_key,
        indicator_name,
        target_text,
        line_printed,
        parse_flags
    from source
)

select * from renamed
