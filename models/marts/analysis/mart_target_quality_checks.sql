-- Each check of the target-quality score per project, department (主管部门), publisher and
-- region (GB/T 2260 division): items judged, items passed, the share and the check's weight.
-- Above project level the items of the counted projects are pooled (dim_project.is_counted).
with items as (
    select * from {{ ref('int_target_quality_items') }}
),

checks as (
    select * from {{ ref('target_quality_checks') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

scoped_projects as (
    select
        projects.project_id,
        projects.is_counted,
        'project' as scope,
        projects.project_id as scope_key,
        projects.project_name as scope_name
    from projects
    union all
    select
        projects.project_id,
        projects.is_counted,
        'department' as scope,
        coalesce(projects.department_name, '(未知)') as scope_key,
        coalesce(projects.department_name, '(未知)') as scope_name
    from projects
    union all
    select
        projects.project_id,
        projects.is_counted,
        'publisher' as scope,
        coalesce(documents.publisher, '(未知)') as scope_key,
        coalesce(documents.publisher, '(未知)') as scope_name
    from projects
    inner join documents on projects.document_id = documents.document_id
    union all
    select
        projects.project_id,
        projects.is_counted,
        'region' as scope,
        coalesce(documents.division_code, '(未知)') as scope_key,
        coalesce(documents.region_name, '(未知)') as scope_name
    from projects
    inner join documents on projects.document_id = documents.document_id
),

counted as (
    select * from scoped_projects
    where scope = 'project' or is_counted
),

final as (
    select
        counted.scope,
        counted.scope_key,
        any_value(counted.scope_name) as scope_name,
        checks.check_id,
        any_value(checks.name_zh) as check_name_zh,
        any_value(checks.weight)::double as weight,
        count(items.item_id)::integer as items_checked,
        count(items.item_id) filter (where items.passed)::integer as items_passed,
        (
            count(items.item_id) filter (where items.passed)::double / nullif(count(items.item_id), 0)
        ) as share_passed
    from counted
    cross join checks
    left join items on counted.project_id = items.project_id and checks.check_id = items.check_id
    group by counted.scope, counted.scope_key, checks.check_id
)

select * from final
