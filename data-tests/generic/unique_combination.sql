{#- No two rows share the same values of `columns` (a compound key). Written here because the
    project uses no dbt packages. -#}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
