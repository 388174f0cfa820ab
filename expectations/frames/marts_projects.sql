-- Suite marts_projects: one row per project of the built warehouse (dim_project), with how many
-- indicator rows it has, whether it has a funding row, and one column per project-level anomaly
-- rule the models flag (marts.fct_anomaly; NULL = not flagged, else the anomaly's detail).
with indicator_counts as (
    select
        project_id,
        count(*) as indicator_count
    from marts.fct_indicator_target
    group by project_id
),

anomalies as (
    select
        project_id,
        max(detail) filter (where rule_id = 'missing_mandatory_level2') as missing_mandatory_level2,
        max(detail) filter (where rule_id = 'cost_sum_exceeds_funding') as cost_sum_exceeds_funding
    from marts.fct_anomaly
    where scope = 'project'
    group by project_id
)

select
    projects.document_id,
    projects.source_file,
    projects.source_line,
    coalesce(projects.project_name, projects.project_id) as row_ref,
    projects.project_attribute_code,
    coalesce(indicator_counts.indicator_count, 0) as indicator_count,
    exists(
        select 1 from marts.fct_project_funding as funding
where funding.project_id = projects.project_id
    ) as has_funding,
    anomalies.missing_mandatory_level2,
    anomalies.cost_sum_exceeds_funding
from marts.dim_project as projects
left join indicator_counts on projects.project_id = indicator_counts.project_id
left join anomalies on projects.project_id = anomalies.project_id
