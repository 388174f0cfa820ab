-- Evaluated indicators with canonical levels (label seed: the printed level-1 label without its
-- points, 产出指标(70分) -> 产出指标) and the target and the actual given the same meaning
-- from the units seed, so they compare: money in yuan, counts and percents in their unit.
with indicators as (
    select * from {{ ref('stg_raw__self_evaluation_indicators') }}
),

label_map as (
    select * from {{ ref('indicator_label_map') }}
),

units as (
    select * from {{ ref('units') }}
),

level1_labels as (
    select
        label_key,
        level1
    from label_map
    where label_level = 1
),

level2_labels as (
    select
        label_key,
        level1,
        level2
    from label_map
    where label_level = 2
),

final as (
    select
        indicators.*,
        coalesce(level2_labels.level1, level1_labels.level1) as level1,
        level2_labels.level2,
        {%- for side in ['target', 'actual'] %}
        case
            when indicators.{{ side }}_lex_kind = 'number' then coalesce({{ side }}_units.value_kind, 'count')
            else indicators.{{ side }}_lex_kind
        end as {{ side }}_value_kind,
        case when indicators.{{ side }}_lex_kind in ('number', 'percent')
                then indicators.{{ side }}_lex_comparator
        end as {{ side }}_comparator,
        case when indicators.{{ side }}_lex_kind in ('number', 'percent')
                then cast(indicators.{{ side }}_lex_low * coalesce({{ side }}_units.factor, 1) as decimal(20, 4))
        end as {{ side }}_value_low,
        case when indicators.{{ side }}_lex_kind in ('number', 'percent')
                then cast(indicators.{{ side }}_lex_high * coalesce({{ side }}_units.factor, 1) as decimal(20, 4))
        end as {{ side }}_value_high,
        case
            when indicators.{{ side }}_lex_kind not in ('number', 'percent') then null
            when indicators.{{ side }}_lex_unit_per is not null
                then coalesce({{ side }}_units.unit, indicators.{{ side }}_lex_unit_base, '')
                || '/' || indicators.{{ side }}_lex_unit_per
            else coalesce({{ side }}_units.unit, indicators.{{ side }}_lex_unit_base)
        end as {{ side }}_unit,
        case when indicators.{{ side }}_lex_kind = 'date' then indicators.{{ side }}_lex_date end as {{ side }}_date
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from indicators
    left join level1_labels on indicators.level1_key = level1_labels.label_key
    left join level2_labels on indicators.level2_key = level2_labels.label_key
    left join units as target_units
        on
            indicators.target_lex_kind in ('number', 'percent')
            and indicators.target_lex_unit_base = target_units.unit_printed
    left join units as actual_units
        on
            indicators.actual_lex_kind in ('number', 'percent')
            and indicators.actual_lex_unit_base = actual_units.unit_printed
)

select * from final
