-- The scorecard's anomaly counts are the rows of fct_anomaly for the project.
with hits as (
    select
        project_id,
        count(*) as anomaly_count
    from {{ ref('fct_anomaly') }}
    group by project_id
)

select scorecard.project_id
from {{ ref('mart_project_scorecard') }} as scorecard
left join hits on scorecard.project_id = hits.project_id
where scorecard.anomaly_count <> coalesce(hits.anomaly_count, 0)
    or scorecard.anomaly_count
    <> scorecard.critical_anomaly_count + scorecard.warning_anomaly_count + scorecard.info_anomaly_count
