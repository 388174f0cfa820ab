{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

with source as (
    select * from {{ source('raw', 'raw_indicators') }}
    {{ delta_documents_only() }}
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
        source_page,
        source_sheet,
        source_cell,
        level1_printed,
        level2_printed,
        level1_key,
        level2_key,
        indicator_name,
        target_text,
        line_printed,
        parse_flags,
        target_parts,
        nullif(trim(weight_printed), '') as weight_printed,
        try_cast(replace(weight_printed, ',', '') as decimal(10, 4)) as weight,
        nullif(trim(direction_printed), '') as direction_printed,
        nullif(trim(value_type_printed), '') as value_type_printed,
        nullif(trim(standard_printed), '') as standard_printed,
        nullif(trim(remark_printed), '') as remark_printed,
        coalesce(horizon, 'annual') as horizon,
        {{ lex_columns('lex_') }}
    from source
)

select * from renamed
