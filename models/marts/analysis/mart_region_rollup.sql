-- Regions that add up: per GB/T 2260 division and fiscal year, the own-level spending printed by
-- the division's own documents, the same summed over the division and every division below it
-- (own-level money adds up across levels: a transfer is counted where it is spent, never at the
-- granting level too), what the division transferred down, and how much of that the warehouse
-- finds in receiving documents (mart_region_transfers). Counted projects only.
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

flows as (
    select * from {{ ref('mart_region_transfers') }}
),

own as (
    select
        documents.division_code,
        documents.fiscal_year,
        count(distinct documents.document_id) as document_count,
        count(*) as project_count,
        sum(funding.own_level_yuan) as own_level_yuan,
        sum(coalesce(funding.transfer_total_yuan, 0)) as transferred_down_yuan
    from projects
    inner join documents on projects.document_id = documents.document_id
    inner join funding on projects.project_id = funding.project_id
    where documents.division_code is not null
    group by documents.division_code, documents.fiscal_year
),

received as (
    select
        granting_division_code as division_code,
        fiscal_year,
        sum(received_yuan) as transfers_found_yuan,
        count(receiving_project_id) as transfer_flows_found
    from flows
    group by granting_division_code, fiscal_year
),

lineage as (
    select distinct
        regions.code as division_code,
        ancestor.code as ancestor_code
    from regions
    inner join regions as ancestor
        on ancestor.code in (regions.code, regions.parent_code, regions.city_code, regions.province_code)
),

rolled as (
    select
        lineage.ancestor_code as division_code,
        own.fiscal_year,
        sum(own.own_level_yuan) as territory_own_level_yuan,
        sum(own.document_count) as territory_document_count
    from own
    inner join lineage
        on own.division_code = lineage.division_code
    group by lineage.ancestor_code, own.fiscal_year
),

final as (
    select
        rolled.division_code || ':' || rolled.fiscal_year as rollup_id,
        rolled.division_code,
        regions.name as region_name,
        regions.level as admin_level,
        regions.parent_code,
        rolled.fiscal_year,
        coalesce(own.document_count, 0)::integer as document_count,
        coalesce(own.project_count, 0)::integer as project_count,
        coalesce(own.own_level_yuan, 0)::decimal(20, 2) as own_level_yuan,
        rolled.territory_own_level_yuan::decimal(20, 2) as territory_own_level_yuan,
        rolled.territory_document_count::integer as territory_document_count,
        coalesce(own.transferred_down_yuan, 0)::decimal(20, 2) as transferred_down_yuan,
        coalesce(received.transfers_found_yuan, 0)::decimal(20, 2) as transfers_found_yuan,
        coalesce(received.transfer_flows_found, 0)::integer as transfer_flows_found
    from rolled
    inner join regions on rolled.division_code = regions.code
    left join own on rolled.division_code = own.division_code and rolled.fiscal_year = own.fiscal_year
    left join received
        on rolled.division_code = received.division_code and rolled.fiscal_year = received.fiscal_year
)

select * from final
