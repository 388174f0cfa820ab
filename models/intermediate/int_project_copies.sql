-- The same project printed in more than one document (a re-publication, an excerpt, a
-- consolidated departmental disclosure): same publisher, fiscal year, project name (without
-- spaces) and annual funding. Each copy gets the id of the copy that is counted;
-- every rollup counts only that one (rule DUP-02 flags the others). The counted copy is the
-- one in the document with the most projects (the fullest disclosure keeps its totals whole),
-- then the earliest published, then the first file name.
with projects as (
    select
        project_id,
        document_id,
        source_file,
        project_name
    from {{ ref('stg_raw__projects') }}
),

documents as (
    select
        document_id,
        publisher,
        fiscal_year,
        published_on
    from {{ ref('stg_raw__documents') }}
),

funding as (
    select
        project_id,
        annual_total_yuan
    from {{ ref('int_project_funding_yuan') }}
),

document_sizes as (
    select
        document_id,
        count(*) as project_count
    from projects
    group by document_id
),

keyed as (
    select
        projects.project_id,
        projects.document_id,
        projects.source_file,
        documents.published_on,
        document_sizes.project_count,
        case when documents.publisher is not null and documents.fiscal_year is not null
            and funding.annual_total_yuan is not null and projects.project_name is not null
            then concat_ws(
                '|', regexp_replace(documents.publisher, '\s+', '', 'g'), documents.fiscal_year::varchar,
                regexp_replace(nfc_normalize(projects.project_name), '\s+', '', 'g'), funding.annual_total_yuan::varchar
            )
        end as copy_key
    from projects
    left join documents on projects.document_id = documents.document_id
    left join funding on projects.project_id = funding.project_id
    left join document_sizes on projects.document_id = document_sizes.document_id
),

ranked as (
    select
        keyed.*,
        first_value(keyed.project_id) over copies as counted_copy_project_id,
        first_value(keyed.document_id) over copies as counted_document_id,
        count(distinct keyed.document_id) over (partition by coalesce(keyed.copy_key, keyed.project_id))
            as document_copies
    from keyed
    window copies as (
        partition by coalesce(keyed.copy_key, keyed.project_id)
        order by
            keyed.project_count desc, keyed.published_on asc nulls last, keyed.source_file asc, keyed.project_id asc
    )
),

final as (
    select
        project_id,
        -- two identical projects inside one document are that document's business, not copies
        case when document_id = counted_document_id then project_id else counted_copy_project_id end
            as counted_copy_project_id,
        document_id = counted_document_id as is_counted,
        document_copies
    from ranked
)

select * from final
