{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

with source as (
    select * from {{ source('raw', 'raw_projects') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        document_id || '-p' || lpad(project_seq::varchar, 3, '0') as project_id,
        source_file,
        project_seq,
        source_line,
        header_line,
        source_page,
        source_sheet,
        source_cell,
        end_line,
        page_count,
        page_lines,
        project_name,
        department_printed,
        department_name,
        department_code,
        implementing_unit,
        attribute_printed,
        attribute_code,
        attribute_label,
        period_printed,
        annual_goal,
        -- 万元 when the table names none, unless the reader says no unit can be known there
        case
            when not list_contains(parse_flags, 'money_unit_not_printed') then coalesce(money_unit_printed, '万元')
        end as money_unit,
        money_unit_printed,
        transfer_label_printed,
        project_total_printed,
        annual_total_printed,
        own_level_total_printed,
        fiscal_appropriation_printed,
        other_funds_printed,
        carryover_printed,
        transfer_total_printed,
        transfer_central_printed,
        transfer_regional_printed,
        project_total_line,
        annual_total_line,
        own_level_total_line,
        fiscal_appropriation_line,
        other_funds_line,
        carryover_line,
        transfer_total_line,
        transfer_central_line,
        transfer_regional_line,
        parse_flags
    from source
)

select * from renamed
