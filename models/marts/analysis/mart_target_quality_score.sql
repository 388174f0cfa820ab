-- League tables of the target-quality score (财预〔2021〕101号): per project, department,
-- publisher and region, the weighted mean of the check shares (weights in
-- seeds/target_quality_checks.csv; a check with nothing to judge is left out of the mean),
-- its rank within the scope, and the weakest check. Explained by mart_target_quality_checks
-- (the shares) and mart_target_quality_findings (the failing rows).
with check_shares as (
    select * from {{ ref('mart_target_quality_checks') }}
),

projects as (
    select
        project_id,
        is_counted
    from {{ ref('dim_project') }}
),

weakest as (
    select
        scope,
        scope_key,
        check_id as weakest_check_id,
        share_passed as weakest_share,
        row_number() over (partition by scope, scope_key order by share_passed nulls last, check_id) as weak_rank
    from check_shares
),

scored as (
    select
        scope,
        scope_key,
        any_value(scope_name) as scope_name,
        -- summed in check order, so a rebuild gives the same floating-point score
        (
            100 * list_sum(list(weight * share_passed order by check_id))
            / nullif(list_sum(list(weight order by check_id) filter (where share_passed is not null)), 0)
        ) as score,
        sum(items_checked - items_passed)::integer as failed_items,
        string_agg(check_id || '=' || coalesce(round(share_passed, 2)::varchar, '-'), '; ' order by check_id)
            as check_shares_text
    from check_shares
    group by scope, scope_key
),

final as (
    select
        scored.scope || ':' || scored.scope_key as score_id,
        scored.scope,
        scored.scope_key,
        scored.scope_name,
        round(scored.score, 2)::double as score,
        rank() over (partition by scored.scope order by round(scored.score, 2) desc nulls last)::integer as score_rank,
        count(*) over (partition by scored.scope)::integer as scope_size,
        scored.failed_items,
        weakest.weakest_check_id,
        weakest.weakest_share::double as weakest_share,
        scored.check_shares_text,
        coalesce(scored.scope <> 'project' or projects.is_counted, true) as is_counted
    from scored
    inner join weakest
        on scored.scope = weakest.scope and scored.scope_key = weakest.scope_key and weakest.weak_rank = 1
    left join projects on scored.scope = 'project' and scored.scope_key = projects.project_id
)

select * from final
