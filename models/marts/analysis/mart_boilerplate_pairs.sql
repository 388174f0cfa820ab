-- The pairs behind the boilerplate shares: two counted projects whose annual goals or
-- indicator sets are near-duplicates (int_boilerplate_pairs; thresholds in
-- seeds/analysis_params.csv), with where each was printed.
with pairs as (
    select * from {{ ref('int_boilerplate_pairs') }}
),

projects as (
    select * from {{ ref('dim_project') }}
    where is_counted
),

documents as (
    select * from {{ ref('dim_document') }}
),

sides as (
    select
        projects.project_id,
        projects.project_name,
        projects.department_name,
        projects.annual_goal,
        projects.source_line,
        documents.source_file,
        documents.publisher,
        documents.fiscal_year
    from projects
    inner join documents on projects.document_id = documents.document_id
),

final as (
    select
        pairs.text_kind || ':' || pairs.project_id_a || ':' || pairs.project_id_b as pair_id,
        pairs.text_kind,
        pairs.similarity::double as similarity,
        pairs.threshold::double as threshold,
        pairs.shared_tokens::integer as shared_tokens,
        pairs.project_id_a,
        a.project_name as project_name_a,
        a.department_name as department_name_a,
        a.publisher as publisher_a,
        a.fiscal_year as fiscal_year_a,
        a.source_file as source_file_a,
        a.source_line as source_line_a,
        pairs.project_id_b,
        b.project_name as project_name_b,
        b.department_name as department_name_b,
        b.publisher as publisher_b,
        b.fiscal_year as fiscal_year_b,
        b.source_file as source_file_b,
        b.source_line as source_line_b,
        coalesce(a.publisher = b.publisher, a.publisher is null and b.publisher is null) as same_publisher,
        coalesce(a.department_name = b.department_name, a.department_name is null and b.department_name is null)
            as same_department,
        coalesce(a.fiscal_year = b.fiscal_year, a.fiscal_year is null and b.fiscal_year is null) as same_fiscal_year,
        case when pairs.text_kind = 'goal' then a.annual_goal end as annual_goal_a,
        case when pairs.text_kind = 'goal' then b.annual_goal end as annual_goal_b
    from pairs
    inner join sides as a on pairs.project_id_a = a.project_id
    inner join sides as b on pairs.project_id_b = b.project_id
)

select * from final
