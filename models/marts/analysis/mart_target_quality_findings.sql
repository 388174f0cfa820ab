-- The rows behind each target-quality score: every item a check failed, with its line.
with items as (
    select * from {{ ref('int_target_quality_items') }}
),

checks as (
    select * from {{ ref('target_quality_checks') }}
),

indicators as (
    select
        indicator_id,
        indicator_name,
        target_text,
        source_line
    from {{ ref('fct_indicator_target') }}
),

projects as (
    select
        project_id,
        project_name,
        source_file,
        source_line
    from {{ ref('dim_project') }}
),

final as (
    select
        items.project_id || ':' || items.check_id || ':' || items.item_id as finding_id,
        items.project_id,
        projects.project_name,
        items.check_id,
        checks.name_zh as check_name_zh,
        items.item_id,
        items.indicator_id,
        indicators.indicator_name,
        indicators.target_text,
        items.detail,
        projects.source_file,
        coalesce(indicators.source_line, projects.source_line) as source_line
    from items
    inner join checks on items.check_id = checks.check_id
    inner join projects on items.project_id = projects.project_id
    left join indicators on items.indicator_id = indicators.indicator_id
    where not items.passed
)

select * from final
