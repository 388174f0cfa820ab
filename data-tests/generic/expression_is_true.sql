{#- Rows where a boolean SQL expression is false (or NULL when null_is_false) fail the test.
    Written here because the project uses no dbt packages. -#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}
{% endtest %}
