{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
with documents as (
    select * from {{ ref('stg_raw__documents') }}
    {{ delta_documents_only() }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

levels as (
    select * from {{ ref('admin_levels') }}
),

projects as (
    select
        document_id,
        count(*) as project_count
    from {{ ref('stg_raw__projects') }}
    group by document_id
),

final as (
    select
        documents.document_id,
        documents.source_file,
        documents.publisher,
        documents.region_name,
        documents.admin_level,
        documents.fiscal_year,
        documents.published_on,
        documents.division_code,
        regions.province_name,
        regions.city_name,
        case when regions.level = 'county' then regions.name end as county_name,
        documents.publisher_unit,
        documents.division_evidence,
        documents.layout,
        documents.template_family,
        documents.title,
        documents.published_on_raw,
        documents.content_sha256,
        documents.line_count,
        coalesce(projects.project_count, 0)::integer as project_count,
        documents.parser_version,
        levels.admin_level_zh,
        levels.admin_level_en
    from documents
    left join regions on documents.division_code = regions.code
    left join projects on documents.document_id = projects.document_id
    left join levels on documents.admin_level = levels.admin_level
)

select * from final
