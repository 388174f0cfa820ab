{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per evaluated indicator of a self-evaluation: labels, name, target and actual as
-- printed, each lexed by the target grammar (ingest.values.lex_target).
with source as (
    select * from {{ source('raw', 'raw_self_evaluation_indicators') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id || '-s' || lpad(project_seq::varchar, 3, '0')
        || '-i' || lpad(indicator_seq::varchar, 3, '0') as self_evaluation_indicator_id,
        document_id || '-s' || lpad(project_seq::varchar, 3, '0') as self_evaluation_id,
        document_id,
        source_file,
        project_seq,
        indicator_seq,
        source_line,
        source_page,
        source_sheet,
        source_cell,
        level1_printed,
        level1_points_printed,
        level2_printed,
        level1_key,
        level2_key,
        indicator_name,
        weight_printed,
        weight::decimal(24, 6) as weight,
        target_text,
        actual_text,
        score_printed,
        score::decimal(24, 6) as score,
        method_printed,
        reason_printed,
        line_printed,
        parse_flags,
        {{ lex_columns('target_lex_') }},
        {{ lex_columns('actual_lex_') }}
    from source
)

select * from renamed
