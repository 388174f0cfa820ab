{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
-- Every printed funding cell in yuan, or NULL with the reason (rules CEL-01..03): the number
-- ingest read (ingest.numbers, the same reader as for targets) times the unit the cell prints,
-- else the table's unit (万元 when the table names none). A cell that is text, exponent
-- notation, NaN or too long (CEL-01), negative (CEL-02) or beyond the plausible maximum for
-- one project (CEL-03) is kept as printed and never enters a sum.
with cells as (
    select * from {{ ref('stg_raw__funding_cells') }}
    {{ delta_documents_only() }}
),

projects as (
    select
        project_id,
        money_unit
    from {{ ref('stg_raw__projects') }}
),

units as (
    select
        unit_printed,
        factor
    from {{ ref('units') }}
    where value_kind = 'money'
),

priced as (
    select
        cells.*,
        coalesce(cells.cell_unit_printed, projects.money_unit) as unit_used,
        units.factor as unit_factor,
        cells.amount_printed * units.factor as amount_yuan_exact
    from cells
    left join projects on cells.project_id = projects.project_id
    left join units on coalesce(cells.cell_unit_printed, projects.money_unit) = units.unit_printed
),

judged as (
    select
        priced.*,
        case
            when priced.read_problem = 'blank' then null
            when priced.read_problem is not null then 'unreadable'
            when priced.unit_factor is null then 'unreadable'
            when priced.amount_printed < 0 then 'negative'
            when priced.amount_yuan_exact > {{ rule_threshold('CEL-03') }} then 'implausible'
        end as cell_problem
    from priced
),

final as (
    select
        project_id,
        document_id,
        source_file,
        source_line,
        funding_field,
        cell_printed,
        cell_unit_printed,
        unit_used,
        amount_printed,
        read_problem,
        cell_problem,
        case
            when cell_problem is null and read_problem is null then amount_yuan_exact::decimal(20, 2)
        end as amount_yuan
    from judged
)

select * from final
