-- depends_on: {{ ref('rules') }}
{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
with indicators as (
    select * from {{ ref('int_indicator_flags') }}
    {{ delta_documents_only() }}
),

directions as (
    select * from {{ ref('int_indicator_direction') }}
),

final as (
    select
        indicators.indicator_id,
        project_id,
        indicator_seq,
        level1,
        level2,
        level1_printed,
        level2_printed,
        indicator_name,
        target_text,
        comparator,
        value_low,
        value_high,
        unit,
        value_kind,
        value_yuan,
        target_date,
        is_quantified,
        source_file,
        source_line,
        document_id,
        parse_flags,
        lex_unit_printed as unit_printed,
        lex_comparator_printed as comparator_printed,
        lex_qualifier as target_qualifier,
        date_rule,
        is_per_unit,
        qualitative_direction,
        weight_printed,
        weight,
        direction_printed,
        directions.level2_key,
        directions.level2_en,
        directions.target_value,
        directions.direction,
        directions.direction_basis,
        value_type_printed as value_type,
        standard_printed,
        remark_printed,
        horizon,
        target_parts,
        {{ flag_columns('indicator') }}
        anomaly_rule_ids,
        {{ list_text('parse_flags') }} as parse_flags_text,
        {{ list_text('anomaly_rule_ids') }} as anomaly_rule_ids_text,
        {{ list_text('target_parts') }} as target_parts_text
    from indicators
    left join directions on indicators.indicator_id = directions.indicator_id
)

select * from final
