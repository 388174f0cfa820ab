-- The fiscal-year rollup equals the projects' funding. Whether own level + transferred =
-- annual in the source is a property of the documents, not of this model: the quality gate
-- flags it (REC-01..04) and names the line, so it is not tested twice here.
with projects as (
    select
        documents.fiscal_year,
        sum(funding.annual_total_yuan) as annual_total_yuan
    from {{ ref('fct_project_funding') }} as funding
    inner join {{ ref('dim_project') }} as projects on funding.project_id = projects.project_id
    inner join {{ ref('dim_document') }} as documents on projects.document_id = documents.document_id
    where projects.is_counted
    group by documents.fiscal_year
),

rollup as (
    select
        fiscal_year,
        annual_total_yuan
    from {{ ref('mart_funding_rollup') }}
    where rollup_by = 'fiscal_year'
)

select
    'fiscal_year_total' as problem,
    projects.fiscal_year
from projects
full outer join rollup on projects.fiscal_year = rollup.fiscal_year
where projects.annual_total_yuan is distinct from rollup.annual_total_yuan
