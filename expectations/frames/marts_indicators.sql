-- Suite marts_indicators: one row per indicator row of the built warehouse (fct_indicator_target):
-- canonical labels, parsed value, derived columns the rules read, and one column per anomaly
-- rule the models flag (marts.fct_anomaly; NULL = not flagged, else the anomaly's detail).
with anomalies as (
    select
        indicator_id,
        max(detail) filter (where rule_id = 'kind_mismatch_level2') as kind_mismatch_level2,
        max(detail) filter (where rule_id = 'deadline_outside_fiscal_year') as deadline_outside_fiscal_year,
        max(detail) filter (where rule_id = 'placeholder_unfilled') as placeholder_unfilled,
        max(detail) filter (where rule_id = 'money_magnitude_outlier') as money_magnitude_outlier,
        max(detail) filter (where rule_id = 'target_empty') as target_empty
    from marts.fct_anomaly
    where scope = 'indicator'
    group by indicator_id
)

select
    indicators.document_id,
    indicators.source_file,
    indicators.source_line,
    coalesce(indicators.indicator_name, indicators.indicator_id) as row_ref,
    indicators.level1,
    indicators.level2,
    indicators.level1 || '/' || indicators.level2 as level_pair,
    indicators.target_text,
    indicators.value_kind,
    indicators.value_yuan,
    case when indicators.value_kind = 'percent' then indicators.value_low end as percent_low,
    case when indicators.value_kind = 'percent' then indicators.value_high end as percent_high,
    -- parsed: a kind other than free text the vocabulary does not recognise either
    coalesce(
        indicators.value_kind <> 'text' or indicators.qualitative_direction is not null, false
    ) as has_parsed_value_kind,
    coalesce(indicators.is_quantified, false) as is_quantified_or_false,
    anomalies.kind_mismatch_level2,
    anomalies.deadline_outside_fiscal_year,
    anomalies.placeholder_unfilled,
    anomalies.money_magnitude_outlier,
    anomalies.target_empty
from marts.fct_indicator_target as indicators
left join anomalies on indicators.indicator_id = anomalies.indicator_id
