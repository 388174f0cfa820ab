{#- One grouping of mart_funding_rollup as its own table (the mart_funding_by_* models): the
    grouping's key columns, then the money columns, in one place for all six tables, so summing
    a column counts every (counted) project once. -#}
{% macro funding_money_columns() -%}
    {{ return(['project_count', 'annual_total_yuan', 'annual_total_wan', 'own_level_yuan', 'own_level_wan',
               'transferred_down_yuan', 'transferred_down_wan', 'fiscal_appropriation_yuan', 'other_funds_yuan',
               'carryover_yuan', 'transfer_central_yuan', 'transfer_regional_yuan']) }}
{%- endmacro %}

{% macro funding_by(rollup_by, keys) -%}
with rollup as (
    select * from {{ ref('mart_funding_rollup') }}
),

final as (
    select
        rollup_key,
        {% for column in keys + funding_money_columns() -%}
        {{ column }}{{ "," if not loop.last }}
        {% endfor %}
    from rollup
    where rollup_by = '{{ rollup_by }}'
)

select * from final
{%- endmacro %}
