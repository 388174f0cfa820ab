-- One row per project: each funding field in yuan (the long cells pivoted), NULL where the
-- document prints no such cell or prints it blank, 0 where it prints 0, NULL and listed
-- (`field=printed`) where the cell could not be typed (int_funding_cells_yuan).
with projects as (
    select
        project_id,
        money_unit
    from {{ ref('stg_raw__projects') }}
),

cells as (
    select * from {{ ref('int_funding_cells_yuan') }}
),

pivoted as (
    select
        project_id,
        {% for key in funding_fields() -%}
        max(amount_yuan) filter (where funding_field = '{{ key }}') as {{ key }}_yuan,
        {% endfor -%}
        list(funding_field || '=' || cell_printed order by funding_field) filter (where cell_problem = 'unreadable')
            as unparsed_funding_cells,
        list(funding_field || '=' || cell_printed order by funding_field) filter (where cell_problem = 'negative')
            as negative_funding_cells,
        list(funding_field || '=' || cell_printed order by funding_field) filter (where cell_problem = 'implausible')
            as implausible_funding_cells
    from cells
    group by project_id
),

final as (
    select
        projects.project_id,
        projects.money_unit,
        {% for key in funding_fields() -%}
        pivoted.{{ key }}_yuan,
        {% endfor -%}
        coalesce(pivoted.unparsed_funding_cells, []::varchar[]) as unparsed_funding_cells,
        coalesce(pivoted.negative_funding_cells, []::varchar[]) as negative_funding_cells,
        coalesce(pivoted.implausible_funding_cells, []::varchar[]) as implausible_funding_cells
    from projects
    left join pivoted on projects.project_id = pivoted.project_id
)

select * from final
