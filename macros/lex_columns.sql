{#- The lexed target columns of a raw table (ingest.schema.lex_fields(prefix): the target grammar
    of ingest.values.lex_target), typed: bounds as decimals, the deadline as a date. One list for
    raw_indicators (prefix 'lex_') and the target and actual of raw_self_evaluation_indicators. -#}
{% macro lex_columns(prefix) -%}
    {{ prefix }}kind,
    {{ prefix }}comparator,
    {{ prefix }}comparator_printed,
    {{ prefix }}low::decimal(24, 6) as {{ prefix }}low,
    {{ prefix }}high::decimal(24, 6) as {{ prefix }}high,
    {{ prefix }}multiplier,
    {{ prefix }}unit_printed,
    {{ prefix }}unit_base,
    {{ prefix }}unit_per,
    try_cast({{ prefix }}date as date) as {{ prefix }}date,
    {{ prefix }}date_rule,
    {{ prefix }}qualifier,
    {{ prefix }}notes
{%- endmacro %}
