-- Funding by fiscal year and project attribute: one grouping of mart_funding_rollup per table,
-- so summing a column counts every (counted) project once. Across levels add own_level_yuan.
with rollup as (
    select * from {{ ref('mart_funding_rollup') }}
),

final as (
    select
        rollup_key,
        fiscal_year,
        admin_level,
        project_attribute_code,
        project_attribute,
        project_count,
        annual_total_yuan,
        annual_total_wan,
        own_level_yuan,
        own_level_wan,
        transferred_down_yuan,
        transferred_down_wan,
        fiscal_appropriation_yuan,
        other_funds_yuan,
        carryover_yuan,
        transfer_central_yuan,
        transfer_regional_yuan
    from rollup
    where rollup_by = 'project_attribute'
)

select * from final
