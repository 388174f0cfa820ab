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
        target_lex_kind,
        target_lex_comparator,
        target_lex_comparator_printed,
        target_lex_low::decimal(24, 6) as target_lex_low,
        target_lex_high::decimal(24, 6) as target_lex_high,
        target_lex_multiplier,
        target_lex_unit_printed,
        target_lex_unit_base,
        target_lex_unit_per,
        try_cast(target_lex_date as date) as target_lex_date,
        target_lex_date_rule,
        target_lex_qualifier,
        target_lex_notes,
        actual_lex_kind,
        actual_lex_comparator,
        actual_lex_comparator_printed,
        actual_lex_low::decimal(24, 6) as actual_lex_low,
        actual_lex_high::decimal(24, 6) as actual_lex_high,
        actual_lex_multiplier,
        actual_lex_unit_printed,
        actual_lex_unit_base,
        actual_lex_unit_per,
        try_cast(actual_lex_date as date) as actual_lex_date,
        actual_lex_date_rule,
        actual_lex_qualifier,
        actual_lex_notes
    from source
)

select * from renamed
