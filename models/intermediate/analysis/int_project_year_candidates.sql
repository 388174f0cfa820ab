-- Candidate links of a project to a project of the same publisher in its next printed fiscal
-- year, with the evidence: name similarity (character-bigram Jaccard of the folded names with
-- years removed), indicator-name similarity (Jaccard of the folded level-3 name sets) and the
-- ratio of the annual funding. confidence = name 0.5 + money 0.2 + indicators (indicator_weight,
-- default 0.3; seeds/analysis_params.csv across_years), money scoring 1 for equal funding down to
-- 0 at money_ratio_max.
with projects as (
    select
        project_id,
        document_id,
        project_name,
        is_counted
    from {{ ref('dim_project') }}
    where is_counted
),

documents as (
    select
        document_id,
        {{ fold_text('publisher') }} as publisher_key,
        fiscal_year
    from {{ ref('dim_document') }}
    where fiscal_year is not null
),

funding as (
    select
        project_id,
        annual_total_yuan
    from {{ ref('fct_project_funding') }}
),

indicators as (
    select
        project_id,
        name_key
    from {{ ref('int_indicator_clusters') }}
),

named as (
    select
        projects.project_id,
        projects.project_name,
        documents.publisher_key,
        documents.fiscal_year,
        funding.annual_total_yuan,
        regexp_replace(coalesce({{ fold_text('projects.project_name') }}, ''), '(19|20)\d{2}年?', '', 'g') as name_key
    from projects
    inner join documents on projects.document_id = documents.document_id
    left join funding on projects.project_id = funding.project_id
),

shaped as (
    select
        named.*,
        {{ bigrams('named.name_key') }} as name_bigrams,
        (
            select list(distinct indicators.name_key) from indicators
            where indicators.project_id = named.project_id
        ) as indicator_names
    from named
),

publisher_years as (
    select distinct
        publisher_key,
        fiscal_year
    from named
),

next_years as (
    select
        a.publisher_key,
        a.fiscal_year,
        min(b.fiscal_year) as next_year
    from publisher_years as a
    inner join publisher_years as b
        on a.publisher_key = b.publisher_key and a.fiscal_year < b.fiscal_year
    group by a.publisher_key, a.fiscal_year
),

pairs as (
    select
        a.project_id as project_id_from,
        b.project_id as project_id_to,
        a.fiscal_year as fiscal_year_from,
        b.fiscal_year as fiscal_year_to,
        a.name_key = b.name_key as same_name,
        {{ list_jaccard('a.name_bigrams', 'b.name_bigrams') }} as name_similarity,
        coalesce({{ list_jaccard('a.indicator_names', 'b.indicator_names') }}, 0) as indicator_similarity,
        greatest(a.annual_total_yuan, b.annual_total_yuan)
        / nullif(least(a.annual_total_yuan, b.annual_total_yuan), 0) as money_ratio
    from shaped as a
    inner join next_years on a.publisher_key = next_years.publisher_key and a.fiscal_year = next_years.fiscal_year
    inner join shaped as b on a.publisher_key = b.publisher_key and next_years.next_year = b.fiscal_year
),

scored as (
    select
        *,
        coalesce(
            greatest(0, 1 - ln(money_ratio) / ln({{ analysis_param('across_years', 'money_ratio_max') }})), 0
        ) as money_score
    from pairs
),

final as (
    select
        *,
        (1 - {{ analysis_param('across_years', 'indicator_weight') }} - 0.2) * name_similarity
        + 0.2 * money_score
        + {{ analysis_param('across_years', 'indicator_weight') }} * indicator_similarity as confidence
    from scored
)

select * from final
