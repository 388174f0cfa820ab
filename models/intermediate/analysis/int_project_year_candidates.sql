-- Candidate links of a project to a project of the same publisher in its next printed fiscal
-- year, with the evidence: name similarity (character-bigram Jaccard of the folded names with
-- years removed), indicator-name similarity (Jaccard of the folded level-3 name sets) and the
-- ratio of the annual funding. confidence = name 0.5 + money 0.2 + indicators (indicator_weight,
-- default 0.3; seeds/analysis_params.csv across_years), money scoring 1 for equal funding down to
-- 0 at money_ratio_max.
-- Both Jaccards are counted, not intersected pair by pair: each project's name bigrams and
-- indicator names are listed once, the tokens of one publisher's two years are joined on the
-- token (shared = the pairs' matches), and |a ∪ b| = |a| + |b| - shared (both are sets), which
-- gives the same values as list_intersect / list_distinct(list_concat) at a fraction of the cost.
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
        *,
        {{ bigrams('name_key') }} as name_bigrams
    from named
),

-- tokens carry their publisher and year, so each token join below stays inside one publisher's
-- two years whatever order the planner joins in (a join on the token alone pairs every project
-- whose name holds 经费 with every other)
name_tokens as (
    select
        project_id,
        publisher_key,
        fiscal_year,
        unnest(name_bigrams) as token
    from shaped
),

indicator_tokens as (
    select distinct
        indicators.project_id,
        shaped.publisher_key,
        shaped.fiscal_year,
        indicators.name_key as token
    from indicators
    inner join shaped on indicators.project_id = shaped.project_id
),

indicator_counts as (
    select
        project_id,
        count(*) as indicator_count
    from indicator_tokens
    group by project_id
),

sized as (
    select
        shaped.project_id,
        shaped.publisher_key,
        shaped.fiscal_year,
        shaped.annual_total_yuan,
        shaped.name_key,
        len(shaped.name_bigrams) as name_count,
        coalesce(indicator_counts.indicator_count, 0) as indicator_count
    from shaped
    left join indicator_counts on shaped.project_id = indicator_counts.project_id
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

tokens as (
    select
        'name' as token_kind,
        *
    from name_tokens
    union all
    select
        'indicator' as token_kind,
        *
    from indicator_tokens
),

-- shared tokens of each kind between a project and each project of its publisher's next year
shared as (
    select
        tokens_from.token_kind,
        tokens_from.project_id as project_id_from,
        tokens_to.project_id as project_id_to,
        count(*) as shared
    from tokens as tokens_from
    inner join next_years
        on tokens_from.publisher_key = next_years.publisher_key and tokens_from.fiscal_year = next_years.fiscal_year
    inner join tokens as tokens_to
        on
            tokens_from.token_kind = tokens_to.token_kind
            and tokens_from.publisher_key = tokens_to.publisher_key
            and next_years.next_year = tokens_to.fiscal_year
            and tokens_from.token = tokens_to.token
    group by tokens_from.token_kind, tokens_from.project_id, tokens_to.project_id
),

shared_names as (
    select * from shared
    where token_kind = 'name'
),

shared_indicators as (
    select * from shared
    where token_kind = 'indicator'
),

pairs as (
    select
        a.project_id as project_id_from,
        b.project_id as project_id_to,
        a.fiscal_year as fiscal_year_from,
        b.fiscal_year as fiscal_year_to,
        a.name_key = b.name_key as same_name,
        coalesce(shared_names.shared, 0)::double
        / nullif(a.name_count + b.name_count - coalesce(shared_names.shared, 0), 0) as name_similarity,
        coalesce(
            coalesce(shared_indicators.shared, 0)::double
            / nullif(a.indicator_count + b.indicator_count - coalesce(shared_indicators.shared, 0), 0),
            0
        ) as indicator_similarity,
        greatest(a.annual_total_yuan, b.annual_total_yuan)
        / nullif(least(a.annual_total_yuan, b.annual_total_yuan), 0) as money_ratio
    from sized as a
    inner join next_years on a.publisher_key = next_years.publisher_key and a.fiscal_year = next_years.fiscal_year
    inner join sized as b on a.publisher_key = b.publisher_key and next_years.next_year = b.fiscal_year
    left join shared_names on a.project_id = shared_names.project_id_from and b.project_id = shared_names.project_id_to
    left join shared_indicators
        on a.project_id = shared_indicators.project_id_from and b.project_id = shared_indicators.project_id_to
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
