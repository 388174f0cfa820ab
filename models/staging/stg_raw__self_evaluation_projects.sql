{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per project of a self-evaluation (项目支出绩效自评表): header, goals and 总分 as printed.
with source as (
    select * from {{ source('raw', 'raw_self_evaluation_projects') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id || '-s' || lpad(project_seq::varchar, 3, '0') as self_evaluation_id,
        document_id,
        source_file,
        project_seq,
        source_line,
        end_line,
        project_name,
        department_printed,
        department_name,
        department_code,
        central_department_printed,
        implementing_unit,
        money_unit_printed,
        goal_target,
        goal_actual,
        goal_line,
        total_weight_printed,
        total_weight::decimal(24, 6) as total_weight,
        total_score_printed,
        total_score::decimal(24, 6) as total_score,
        total_line,
        parse_flags
    from source
)

select * from renamed
