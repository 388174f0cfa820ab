with projects as (
    select * from {{ ref('stg_raw__projects') }}
),

documents as (
    select
        document_id,
        fiscal_year,
        admin_level,
        region_name
    from {{ ref('stg_raw__documents') }}
),

copies as (
    select * from {{ ref('int_project_copies') }}
),

attributes as (
    select * from {{ ref('project_attributes') }}
),

final as (
    select
        projects.project_id,
        projects.document_id,
        projects.project_name,
        projects.department_name,
        projects.department_code,
        {{ fold_text('projects.implementing_unit') }} as implementing_unit,
        projects.attribute_code as project_attribute_code,
        projects.attribute_label as project_attribute,
        projects.period_printed as project_period_raw,
        projects.annual_goal,
        projects.source_line,
        projects.source_file,
        projects.project_seq,
        projects.department_printed,
        projects.attribute_printed,
        attributes.attribute_label as project_attribute_canonical,
        attributes.is_multi_year,
        attributes.attribute_label_en as project_attribute_en,
        projects.page_count,
        projects.page_lines,
        projects.end_line,
        documents.fiscal_year,
        documents.admin_level,
        documents.region_name,
        projects.parse_flags,
        copies.is_counted,
        copies.counted_copy_project_id,
        copies.document_copies,
        projects.implementing_unit as implementing_unit_printed,
        {{ list_text('projects.page_lines') }} as page_lines_text,
        {{ list_text('projects.parse_flags') }} as parse_flags_text
    from projects
    left join documents on projects.document_id = documents.document_id
    left join attributes on projects.attribute_code = attributes.attribute_code
    left join copies on projects.project_id = copies.project_id
)

select * from final
