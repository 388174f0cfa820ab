{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
with goals as (
    select * from {{ ref('stg_raw__project_goals') }}
    {{ delta_documents_only() }}
),

final as (
    select
        project_id || '-' || horizon || '-' || lpad(
            row_number() over (partition by project_id, horizon order by source_line)::varchar, 2, '0'
        ) as goal_id,
        project_id,
        horizon,
        goal_label_printed,
        goal_printed,
        document_id,
        source_file,
        source_line
    from goals
)

select * from final
