-- Suite marts_funding: one row per project's funding, in 万元 (as the documents print money),
-- with the gaps between each total and the sum of its parts. A gap is NULL (not checked) when
-- the parts it needs are not printed.
--   annual_gap_wan    年度资金总额 - (本级资金总额 + 转移市县资金总额)      provincial layout
--   own_level_gap_wan 本级资金总额 (county: 年度资金总额) - (财政拨款 + 其他资金 + 结余结转)
--   transfer_gap_wan  转移市县资金总额 - (中央资金 + 自治区资金)
with funding as (
    select
        funding.*,
        projects.project_name
    from marts.fct_project_funding as funding
    left join marts.dim_project as projects on funding.project_id = projects.project_id
)

select
    document_id,
    source_file,
    source_line,
    coalesce(project_name, project_id) as row_ref,
    annual_total_yuan / 10000 as annual_total_wan,
    -- COV-03: the annual total is readable, or the cell printed something else and PLB-03 reports it
    case
        when annual_total_yuan is not null then 'readable'
        when list_contains(list_transform(unparsed_funding_cells, lambda c: split_part(c, '=', 1)), 'annual_total')
            then 'printed, not a number (PLB-03)'
    end as annual_total_state,
    least(
        project_total_yuan, annual_total_yuan, fiscal_appropriation_yuan, other_funds_yuan, carryover_yuan,
        own_level_total_yuan, transfer_total_yuan, transfer_central_yuan, transfer_regional_yuan
    ) / 10000 as smallest_cell_wan,
    case when own_level_total_yuan is not null or transfer_total_yuan is not null then
        (annual_total_yuan - coalesce(own_level_total_yuan, 0) - coalesce(transfer_total_yuan, 0)) / 10000
    end as annual_gap_wan,
    case when coalesce(fiscal_appropriation_yuan, other_funds_yuan, carryover_yuan) is not null then
        (
            coalesce(own_level_total_yuan, case when transfer_total_yuan is null then annual_total_yuan end)
            - coalesce(fiscal_appropriation_yuan, 0) - coalesce(other_funds_yuan, 0) - coalesce(carryover_yuan, 0)
        ) / 10000
    end as own_level_gap_wan,
    case when coalesce(transfer_central_yuan, transfer_regional_yuan) is not null then
        (transfer_total_yuan - coalesce(transfer_central_yuan, 0) - coalesce(transfer_regional_yuan, 0)) / 10000
    end as transfer_gap_wan,
    (project_total_yuan - annual_total_yuan) / 10000 as project_total_over_annual_wan,
    nullif(array_to_string(unparsed_funding_cells, '; '), '') as unparsed_cells
from funding
