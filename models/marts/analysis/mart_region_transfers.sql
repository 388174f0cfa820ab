-- Transfers as flows: every counted project that transfers money to lower levels
-- (transfer_total_yuan > 0), matched to the projects of receiving documents where they exist:
-- a counted project of a division below the granting one (dim_region), in the same fiscal year,
-- whose name (years removed) is alike (transfer_name_similarity) and whose funding is at most the
-- transfer (transfer_match_tolerance); seeds/analysis_params.csv regions. A grant with no
-- receiving document in the warehouse has one row with the receiving side empty.
with projects as (
    select * from {{ ref('dim_project') }}
    where is_counted
),

documents as (
    select * from {{ ref('dim_document') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

funding as (
    select * from {{ ref('fct_project_funding') }}
),

sides as (
    select
        projects.project_id,
        projects.project_name,
        documents.division_code,
        documents.region_name,
        documents.admin_level,
        documents.fiscal_year,
        documents.source_file,
        funding.annual_total_yuan,
        funding.transfer_total_yuan,
        regexp_replace(coalesce({{ fold_text('projects.project_name') }}, ''), '(19|20)\d{2}年?', '', 'g') as name_key
    from projects
    inner join documents on projects.document_id = documents.document_id
    inner join funding on projects.project_id = funding.project_id
),

keyed as (
    select
        *,
        {{ bigrams('name_key') }} as name_bigrams
    from sides
),

grants as (
    select * from keyed
    where transfer_total_yuan > 0
),

below as (
    select
        ancestor.code as granting_code,
        regions.code as receiving_code
    from regions
    inner join regions as ancestor
        on
            regions.code <> ancestor.code
            and ancestor.code in (regions.parent_code, regions.city_code, regions.province_code)
),

matches as (
    select
        grants.project_id as granting_project_id,
        receiving.project_id as receiving_project_id,
        receiving.annual_total_yuan as received_yuan,
        {{ list_jaccard('grants.name_bigrams', 'receiving.name_bigrams') }} as name_similarity
    from grants
    inner join below on grants.division_code = below.granting_code
    inner join keyed as receiving
        on
            below.receiving_code = receiving.division_code
            and grants.fiscal_year = receiving.fiscal_year
    where
        receiving.annual_total_yuan
        <= grants.transfer_total_yuan * (1 + {{ analysis_param('regions', 'transfer_match_tolerance') }})
        and {{ list_jaccard('grants.name_bigrams', 'receiving.name_bigrams') }}
        >= {{ analysis_param('regions', 'transfer_name_similarity') }}
),

final as (
    select
        grants.project_id || '>' || coalesce(matches.receiving_project_id, '-') as flow_id,
        grants.fiscal_year,
        grants.division_code as granting_division_code,
        grants.region_name as granting_region_name,
        grants.admin_level as granting_admin_level,
        grants.project_id as granting_project_id,
        grants.project_name as granting_project_name,
        grants.transfer_total_yuan,
        matches.receiving_project_id,
        receiving.project_name as receiving_project_name,
        receiving.division_code as receiving_division_code,
        receiving.region_name as receiving_region_name,
        receiving.admin_level as receiving_admin_level,
        matches.received_yuan,
        (matches.received_yuan / grants.transfer_total_yuan)::double as share_of_transfer,
        round(matches.name_similarity, 4)::double as name_similarity,
        grants.source_file as granting_source_file,
        receiving.source_file as receiving_source_file
    from grants
    left join matches on grants.project_id = matches.granting_project_id
    left join sides as receiving on matches.receiving_project_id = receiving.project_id
)

select * from final
