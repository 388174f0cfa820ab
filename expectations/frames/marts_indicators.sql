-- Suite marts_indicators: one row per indicator row of the built warehouse (fct_indicator_target):
-- canonical labels, parsed value, derived columns the rules read. jixiao.quality.frames adds one
-- column per indicator rule the models flag (named by the rule's name; NULL = not flagged, else
-- the anomaly's detail from marts.fct_anomaly), read by the rule's expectation.
select
    indicators.indicator_id,
    indicators.document_id,
    indicators.source_file,
    indicators.source_line,
    coalesce(indicators.indicator_name, indicators.indicator_id) as row_ref,
    indicators.level1,
    indicators.level2,
    indicators.level1 || '/' || indicators.level2 as level_pair,
    indicators.target_text,
    indicators.value_kind,
    -- parsed: a kind other than free text the vocabulary does not recognise either
    coalesce(
        indicators.value_kind <> 'text' or indicators.qualitative_direction is not null, false
    ) as has_parsed_value_kind,
    coalesce(indicators.is_quantified, false) as is_quantified_or_false
from marts.fct_indicator_target as indicators
