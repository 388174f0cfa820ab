{#- Every element of a list column is one of the accepted values. -#}
{% test list_values_in(model, column_name, values) %}
select *
from {{ model }}
where len(list_filter({{ column_name }}, lambda x: x not in ({% for v in values %}'{{ v }}'{{ "," if not loop.last }}{% endfor %}))) > 0
{% endtest %}
