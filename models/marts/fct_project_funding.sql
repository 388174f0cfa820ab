{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
with projects as (
    select
        project_id,
        document_id,
        source_file,
        source_line,
        money_unit_printed
    from {{ ref('stg_raw__projects') }}
    {{ delta_documents_only() }}
),

funding as (
    select * from {{ ref('int_project_funding_yuan') }}
),

final as (
    select
        projects.project_id,
        funding.project_total_yuan,
        funding.annual_total_yuan,
        funding.fiscal_appropriation_yuan,
        funding.other_funds_yuan,
        funding.carryover_yuan,
        funding.own_level_total_yuan,
        funding.transfer_total_yuan,
        funding.transfer_central_yuan,
        funding.transfer_regional_yuan,
        projects.document_id,
        funding.money_unit as money_unit_printed,
        list_concat(
            funding.unparsed_funding_cells, funding.negative_funding_cells, funding.implausible_funding_cells
        ) as unparsed_funding_cells,
        projects.source_file,
        projects.source_line,
        -- county layout: no own-level cell, the whole annual total is spent at its own level
        coalesce(
            funding.own_level_total_yuan,
            funding.annual_total_yuan - coalesce(funding.transfer_total_yuan, 0)
        )::decimal(20, 2) as own_level_yuan,
        array_to_string(
            list_concat(
                funding.unparsed_funding_cells, funding.negative_funding_cells, funding.implausible_funding_cells
            ),
            '、'
        ) as unparsed_funding_cells_text
    from projects
    inner join funding on projects.project_id = funding.project_id
)

select * from final
