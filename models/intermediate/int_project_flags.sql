-- Project-level anomaly rules (seeds/anomaly_rules.csv): missing mandatory level-2 categories,
-- funding that does not reconcile, cost indicators that do not add up to the funding.
with projects as (
    select
        project_id,
        document_id
    from {{ ref('stg_raw__projects') }}
),

funding as (
    select * from {{ ref('int_project_funding_yuan') }}
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
        ) as missing_level2_categories
    from project_categories
    group by project_id
),

-- Funding identities, in yuan; a NULL part (blank cell) counts as 0, a NULL total skips the check.
funding_checks as (
    select
        project_id,
        list_filter(
            [
                case when own_level_total_yuan is null and annual_total_yuan is not null
                    and fiscal_appropriation_yuan is not null
                    and abs(annual_total_yuan - (fiscal_appropriation_yuan + coalesce(other_funds_yuan, 0)
                        + coalesce(carryover_yuan, 0))) > {{ rule_threshold('funding_unreconciled') }}
                    then 'annual_ne_appropriation_other_carryover' end,
                case when own_level_total_yuan is not null
                    and abs(own_level_total_yuan - (coalesce(fiscal_appropriation_yuan, 0)
                        + coalesce(other_funds_yuan, 0) + coalesce(carryover_yuan, 0)))
                        > {{ rule_threshold('funding_unreconciled') }}
                    then 'own_level_ne_appropriation_other_carryover' end,
                case when own_level_total_yuan is not null and annual_total_yuan is not null
                    and abs(annual_total_yuan - (own_level_total_yuan + coalesce(transfer_total_yuan, 0)))
                        > {{ rule_threshold('funding_unreconciled') }}
                    then 'annual_ne_own_level_plus_transferred' end,
                case when transfer_total_yuan is not null
                    and (transfer_central_yuan is not null or transfer_regional_yuan is not null)
                    and abs(transfer_total_yuan - (coalesce(transfer_central_yuan, 0)
                        + coalesce(transfer_regional_yuan, 0))) > {{ rule_threshold('funding_unreconciled') }}
                    then 'transferred_ne_central_plus_regional' end,
                case when project_total_yuan is not null and annual_total_yuan is not null
                    and project_total_yuan + {{ rule_threshold('funding_unreconciled') }} < annual_total_yuan
                    then 'project_total_below_annual' end
            ],
            lambda x: x is not null
        ) as funding_check_failures
    from funding
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
        funding_checks.funding_check_failures,
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
        {{ rule_enabled('missing_mandatory_level2') }}
        and coalesce(len(joined.missing_level2_categories) > 0, false) as flag_missing_mandatory_level2,
        {{ rule_enabled('funding_unreconciled') }}
        and coalesce(len(joined.funding_check_failures) > 0, false) as flag_funding_unreconciled,
        {{ rule_enabled('cost_sum_exceeds_funding') }}
        and coalesce(joined.cost_to_funding_ratio > {{ rule_threshold('cost_sum_exceeds_funding') }}, false)
            as flag_cost_sum_exceeds_funding,
        {{ rule_enabled('cost_sum_far_below_funding') }}
        and coalesce(
            joined.cost_to_funding_ratio < {{ rule_threshold('cost_sum_far_below_funding') }}
            and joined.cost_per_unit_count = 0,
            false
        ) as flag_cost_sum_far_below_funding
    from joined
),

final as (
    select
        flagged.*,
        {{ fired_rule_ids(project_rules()) }} as project_anomaly_rule_ids
    from flagged
)

select * from final
