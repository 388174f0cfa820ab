{#- The rule catalogue (seeds/rules.csv) inside the models: a rule's threshold, whether it is
    on, and which rules the models flag at a grain. Rules are named by id (PREFIX-nn); a
    rule's flag column is flag_<name>. Analysts tune or switch off a rule in the seed. -#}
{% macro rule_threshold(rule_id) -%}
    (select threshold from {{ ref('rules') }} where rule_id = '{{ rule_id }}')
{%- endmacro %}

{% macro rule_enabled(rule_id) -%}
    coalesce((select is_enabled from {{ ref('rules') }} where rule_id = '{{ rule_id }}'), false)
{%- endmacro %}

{#- The rules the models flag at `grain` (indicator | project), in catalogue order, as
    (rule_id, name) pairs, read from the seed when the model runs. -#}
{% macro model_rules(grain) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- set result = run_query(
            "select rule_id, name from " ~ ref('rules')
            ~ " where checked_in = 'model' and grain = '" ~ grain ~ "' order by rule_id"
        ) -%}
        {%- for row in result.rows -%}
            {%- do found.append((row[0], row[1])) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}

{#- list of the ids of the rules whose flag_<name> column is true -#}
{% macro fired_rule_ids(grain) -%}
    list_filter(
        [
            {% for rule_id, name in model_rules(grain) -%}
            case when flag_{{ name }} then '{{ rule_id }}' end,
            {% endfor %}
            null
        ],
        lambda x: x is not null
    )
{%- endmacro %}

{#- the flag columns of a grain, for a select list: `flag_a, flag_b,` -#}
{% macro flag_columns(grain, relation=none) -%}
    {% for rule_id, name in model_rules(grain) -%}
    {{ relation ~ '.' if relation }}flag_{{ name }},
    {% endfor -%}
{%- endmacro %}
