{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per goal printed beside the year's goal (raw_project_goals): the long-term (长期目标),
-- mid-term (中期滚动目标) and implementation-period (实施期绩效目标) goals, text as printed.
with source as (
    select * from {{ source('raw', 'raw_project_goals') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        document_id || '-p' || lpad(project_seq::varchar, 3, '0') as project_id,
        source_file,
        project_seq,
        horizon,
        label_printed as goal_label_printed,
        goal_printed,
        source_line
    from source
)

select * from renamed
