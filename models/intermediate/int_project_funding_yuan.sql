-- Funding cells as printed -> yuan. '' (label printed, value blank) and absent cells are
-- NULL; a printed 0 stays 0; a cell that is not a plain number is NULL and listed in
-- unparsed_funding_cells so nothing is silently dropped.
with projects as (
    select * from {{ ref('stg_raw__projects') }}
),

units as (
    select * from {{ ref('units') }}
where value_kind = 'money'
),

cells as (
    select
        projects.project_id,
        projects.money_unit,
        units.factor,
        {% for key in funding_fields() -%}
        nullif(trim(projects.{{ key }}_printed), '') as {{ key }}_printed{{ "," if not loop.last }}
        {% endfor %}
    from projects
    left join units on projects.money_unit = units.unit_printed
),

converted as (
    select
        project_id,
        money_unit,
        {% for key in funding_fields() -%}
        cast(try_cast({{ key }}_printed as decimal(20, 6)) * factor as decimal(20, 2)) as {{ key }}_yuan,
        {% endfor -%}
        list_filter(
            [
                {% for key in funding_fields() -%}
                case when {{ key }}_printed is not null and try_cast({{ key }}_printed as decimal(20, 6)) is null
                    then '{{ key }}=' || {{ key }}_printed end{{ "," if not loop.last }}
                {% endfor %}
            ],
            lambda x: x is not null
        ) as unparsed_funding_cells
    from cells
)

select * from converted
