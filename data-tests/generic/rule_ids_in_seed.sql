{#- Every rule id listed in a column (a varchar[]) is a rule of seeds/rules.csv. -#}
{% test rule_ids_in_seed(model, column_name) %}
with fired as (
    select unnest({{ column_name }}) as rule_id from {{ model }}
)
select fired.rule_id
from fired
left join {{ ref('rules') }} as rules on fired.rule_id = rules.rule_id
where rules.rule_id is null
{% endtest %}
