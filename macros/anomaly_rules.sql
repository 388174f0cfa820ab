{#- Reading the anomaly rule seed inside a model: a rule's threshold and whether it is on.
    Analysts tune or switch off a rule by editing seeds/anomaly_rules.csv and re-running. -#}
{% macro rule_threshold(rule_id) -%}
    (select threshold from {{ ref('anomaly_rules') }} where rule_id = '{{ rule_id }}')
{%- endmacro %}

{% macro rule_enabled(rule_id) -%}
    coalesce((select is_enabled from {{ ref('anomaly_rules') }} where rule_id = '{{ rule_id }}'), false)
{%- endmacro %}

{#- The indicator-level and project-level rules, in the order their flag columns appear. -#}
{% macro indicator_rules() -%}
    {{ return(['kind_mismatch_level2', 'deadline_outside_fiscal_year', 'placeholder_unfilled',
               'money_magnitude_outlier', 'duplicate_indicator_name', 'target_equals_name', 'target_empty']) }}
{%- endmacro %}

{% macro project_rules() -%}
    {{ return(['missing_mandatory_level2', 'funding_unreconciled', 'cost_sum_exceeds_funding',
               'cost_sum_far_below_funding']) }}
{%- endmacro %}

{#- list of the rule ids whose flag_<rule_id> column is true -#}
{% macro fired_rule_ids(rules) -%}
    list_filter(
        [
            {% for rule in rules -%}
            case when flag_{{ rule }} then '{{ rule }}' end{{ "," if not loop.last }}
            {% endfor %}
        ],
        lambda x: x is not null
    )
{%- endmacro %}
