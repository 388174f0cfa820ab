-- depends_on: {{ ref('rules') }}
-- Project-level rules of the catalogue (seeds/rules.csv, grain project, checked in the models):
-- missing mandatory level-2 categories (PLB-09), funding that does not reconcile (REC-01..04),
-- funding cells that are not typed (CEL-01..03), cost indicators against the funding
-- (PLB-10, PLB-13), the same project printed in another document (DUP-02).
with projects as (
    select
        project_id,
        document_id
    from {{ ref('stg_raw__projects') }}
),

funding as (
    select * from {{ ref('int_project_funding_yuan') }}
),

repeats as (
    select
        project_id,
        counted_copy_project_id
    from {{ ref('int_project_copies') }}
    where not is_counted
),

indicator_values as (
    select * from {{ ref('int_indicator_values') }}
),

mandatory as (
    select * from {{ ref('mandatory_level2') }}
),

categories as (
    select
        category_key,
        min(sort_order) as sort_order,
        any_value(category_zh) as category_zh,
        list(satisfied_by_level2) as level2_values
    from mandatory
    group by category_key
),

cost_level2 as (
    select satisfied_by_level2 as level2 from mandatory
where category_key = 'cost'
),

project_categories as (
    select
        projects.project_id,
        categories.category_key,
        categories.category_zh,
        categories.sort_order,
        exists(
            select 1 from indicator_values
            where indicator_values.project_id = projects.project_id
                and list_contains(categories.level2_values, indicator_values.level2)
        ) as is_present
    from projects
    cross join categories
),

missing as (
    select
        project_id,
        coalesce(
            list(category_zh order by sort_order) filter (where not is_present),
            []::varchar[]
        ) as missing_level2_categories,
        coalesce(
            list(category_key order by sort_order) filter (where not is_present),
            []::varchar[]
        ) as missing_level2_keys
    from project_categories
    group by project_id
),

-- Funding identities, in yuan (REC-01..04); a NULL part (blank cell) counts as 0, a NULL
-- total skips the check. A gap beyond the rule's tolerance is the publisher's arithmetic.
gaps as (
    select
        project_id,
        case when own_level_total_yuan is not null or transfer_total_yuan is not null
            then annual_total_yuan - coalesce(own_level_total_yuan, 0) - coalesce(transfer_total_yuan, 0)
        end as annual_gap_yuan,
        case when coalesce(fiscal_appropriation_yuan, other_funds_yuan, carryover_yuan) is not null
            then coalesce(own_level_total_yuan, case when transfer_total_yuan is null then annual_total_yuan end)
                - coalesce(fiscal_appropriation_yuan, 0) - coalesce(other_funds_yuan, 0) - coalesce(carryover_yuan, 0)
        end as own_level_gap_yuan,
        case when coalesce(transfer_central_yuan, transfer_regional_yuan) is not null
            then transfer_total_yuan - coalesce(transfer_central_yuan, 0) - coalesce(transfer_regional_yuan, 0)
        end as transfer_gap_yuan,
        project_total_yuan - annual_total_yuan as project_total_over_annual_yuan,
        unparsed_funding_cells,
        negative_funding_cells,
        implausible_funding_cells
    from funding
),

funding_checks as (
    select
        gaps.*,
        coalesce(abs(annual_gap_yuan) > {{ rule_threshold('REC-01') }}, false) as is_annual_unreconciled,
        coalesce(abs(own_level_gap_yuan) > {{ rule_threshold('REC-02') }}, false) as is_own_level_unreconciled,
        coalesce(abs(transfer_gap_yuan) > {{ rule_threshold('REC-03') }}, false) as is_transfer_unreconciled,
        coalesce(project_total_over_annual_yuan < -{{ rule_threshold('REC-04') }}, false) as is_total_below_annual
    from gaps
),

cost as (
    select
        project_id,
        (sum(value_yuan) filter (where value_kind = 'money' and not is_per_unit))::decimal(20, 2)
            as cost_money_yuan,
        count(*) filter (where value_kind = 'money' and not is_per_unit) as cost_money_count,
        count(*) filter (where value_kind = 'money' and is_per_unit) as cost_per_unit_count
    from indicator_values
    where level2 in (select level2 from cost_level2)
    group by project_id
),

joined as (
    select
        projects.project_id,
        projects.document_id,
        missing.missing_level2_categories,
        missing.missing_level2_keys,
        funding_checks.annual_gap_yuan,
        funding_checks.own_level_gap_yuan,
        funding_checks.transfer_gap_yuan,
        funding_checks.project_total_over_annual_yuan,
        funding_checks.is_annual_unreconciled,
        funding_checks.is_own_level_unreconciled,
        funding_checks.is_transfer_unreconciled,
        funding_checks.is_total_below_annual,
        coalesce(funding_checks.unparsed_funding_cells, []::varchar[]) as unparsed_funding_cells,
        coalesce(funding_checks.negative_funding_cells, []::varchar[]) as negative_funding_cells,
        coalesce(funding_checks.implausible_funding_cells, []::varchar[]) as implausible_funding_cells,
        funding.annual_total_yuan,
        cost.cost_money_yuan,
        coalesce(cost.cost_money_count, 0) as cost_money_count,
        coalesce(cost.cost_per_unit_count, 0) as cost_per_unit_count,
        case when funding.annual_total_yuan > 0 and cost.cost_money_yuan is not null
            then (cost.cost_money_yuan / funding.annual_total_yuan)::decimal(12, 4)
        end as cost_to_funding_ratio
    from projects
    left join missing on projects.project_id = missing.project_id
    left join funding_checks on projects.project_id = funding_checks.project_id
    left join funding on projects.project_id = funding.project_id
    left join cost on projects.project_id = cost.project_id
),

flagged as (
    select
        joined.*,
        list_filter(
            [
                case when joined.is_annual_unreconciled then 'annual_ne_own_plus_transferred' end,
                case when joined.is_own_level_unreconciled then 'own_level_ne_parts' end,
                case when joined.is_transfer_unreconciled then 'transferred_ne_central_plus_regional' end,
                case when joined.is_total_below_annual then 'project_total_below_annual' end
            ],
            lambda x: x is not null
        ) as funding_check_failures,
        {{ rule_enabled('PLB-09') }}
        and coalesce(len(joined.missing_level2_categories) > 0, false) as flag_missing_mandatory_level2,
        {{ rule_enabled('PLB-10') }}
        and coalesce(joined.cost_to_funding_ratio > {{ rule_threshold('PLB-10') }}, false)
            as flag_cost_sum_exceeds_funding,
        {{ rule_enabled('PLB-13') }}
        and coalesce(
            joined.cost_to_funding_ratio < {{ rule_threshold('PLB-13') }}
            and joined.cost_per_unit_count = 0,
            false
        ) as flag_cost_sum_far_below_funding,
        {{ rule_enabled('REC-01') }} and joined.is_annual_unreconciled as flag_annual_ne_own_plus_transferred,
        {{ rule_enabled('REC-02') }} and joined.is_own_level_unreconciled as flag_own_level_ne_parts,
        {{ rule_enabled('REC-03') }} and joined.is_transfer_unreconciled as flag_transferred_ne_central_plus_regional,
        {{ rule_enabled('REC-04') }} and joined.is_total_below_annual as flag_project_total_below_annual,
        {{ rule_enabled('CEL-01') }} and len(joined.unparsed_funding_cells) > 0 as flag_funding_cell_unreadable,
        {{ rule_enabled('CEL-02') }} and len(joined.negative_funding_cells) > 0 as flag_funding_cell_negative,
        {{ rule_enabled('CEL-03') }} and len(joined.implausible_funding_cells) > 0 as flag_funding_cell_implausible,
        {{ rule_enabled('DUP-02') }} and repeats.project_id is not null as flag_project_repeated_in_other_document,
        repeats.counted_copy_project_id
    from joined
    left join repeats on joined.project_id = repeats.project_id
),

final as (
    select
        flagged.*,
        {{ fired_rule_ids('project') }} as project_anomaly_rule_ids
    from flagged
)

select * from final
