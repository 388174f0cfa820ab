-- Share of boilerplate per department (主管部门): of its counted projects, how many have an
-- annual goal or an indicator set that is a near-duplicate of another project's
-- (mart_boilerplate_pairs), and how many pairs are behind it.
with pairs as (
    select * from {{ ref('mart_boilerplate_pairs') }}
),

projects as (
    select
        project_id,
        coalesce(department_name, '(未知)') as department_name
    from {{ ref('dim_project') }}
    where is_counted
),

sides as (
    select
        project_id_a as project_id,
        text_kind,
        pair_id
    from pairs
    union all
    select
        project_id_b as project_id,
        text_kind,
        pair_id
    from pairs
),

per_project as (
    select
        projects.department_name,
        projects.project_id,
        bool_or(sides.text_kind = 'goal') as has_goal_copy,
        bool_or(sides.text_kind = 'indicator_set') as has_indicator_copy,
        count(sides.pair_id) as pair_count
    from projects
    left join sides on projects.project_id = sides.project_id
    group by projects.department_name, projects.project_id
),

final as (
    select
        department_name,
        count(*)::integer as project_count,
        count(*) filter (where has_goal_copy)::integer as goal_boilerplate_projects,
        count(*) filter (where has_indicator_copy)::integer as indicator_boilerplate_projects,
        count(*) filter (where has_goal_copy or has_indicator_copy)::integer as boilerplate_projects,
        (count(*) filter (where has_goal_copy or has_indicator_copy))::double / count(*) as share_boilerplate,
        sum(pair_count)::integer as pair_sides
    from per_project
    group by department_name
)

select * from final
