-- Suite marts_projects: one row per project of the built warehouse (dim_project), with how many
-- indicator rows it has and whether it has a funding row. jixiao.quality.frames adds one column
-- per project rule the models flag (named by the rule's name; NULL = not flagged, else the
-- anomaly's detail from marts.fct_anomaly), read by the rule's expectation.
with indicator_counts as (
    select
        project_id,
        count(*) as indicator_count
    from marts.fct_indicator_target
    group by project_id
)

select
    projects.project_id,
    projects.document_id,
    projects.source_file,
    projects.source_line,
    coalesce(projects.project_name, projects.project_id) as row_ref,
    projects.project_attribute_code,
    coalesce(indicator_counts.indicator_count, 0) as indicator_count,
    exists(
        select 1 from marts.fct_project_funding as funding
        where funding.project_id = projects.project_id
    ) as has_funding
from marts.dim_project as projects
left join indicator_counts on projects.project_id = indicator_counts.project_id
