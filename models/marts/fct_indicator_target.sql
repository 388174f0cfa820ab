with indicators as (
    select * from {{ ref('int_indicators_labelled') }}
),

final as (
    select
        indicator_id,
        project_id,
        indicator_seq,
        level1,
        level2,
        level1_printed,
        level2_printed,
        indicator_name,
        target_text,
        cast(null as varchar) as comparator,
        cast(null as decimal(20, 4)) as value_low,
        cast(null as decimal(20, 4)) as value_high,
        cast(null as varchar) as unit,
        cast(null as varchar) as value_kind,
        cast(null as decimal(20, 2)) as value_yuan,
        cast(null as date) as target_date,
        cast(null as boolean) as is_quantified,
        source_file,
        source_line,
        document_id,
        parse_flags
    from indicators
)

select * from final
