with documents as (
    select * from {{ ref('stg_raw__documents') }}
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
        documents.layout,
        documents.title,
        documents.published_on_raw,
        documents.content_sha256,
        documents.line_count,
        coalesce(projects.project_count, 0)::integer as project_count,
        documents.parser_version
    from documents
    left join projects on documents.document_id = projects.document_id
)

select * from final
