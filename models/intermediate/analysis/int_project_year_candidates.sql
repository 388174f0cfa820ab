-- Candidate links of a project to a project of the same publisher in its next printed fiscal
-- year, with the evidence: name similarity (character-bigram Jaccard of the folded names with
-- years removed), indicator-name similarity (Jaccard of the folded level-3 name sets) and the
-- ratio of the annual funding. confidence = name 0.5 + money 0.2 + indicators (indicator_weight,
-- default 0.3; seeds/analysis_params.csv across_years), money scoring 1 for equal funding down to
-- 0 at money_ratio_max.
-- Only the pairs that can link are kept: confidence >= min_confidence and either similarity >=
-- name_similarity (the rule mart_project_across_years links by). Such a pair's name similarity
-- is at least min_name = least(name_similarity, (min_confidence - 0.2 - indicator_weight) /
-- (0.8 - indicator_weight)) (0.2 by default: money and indicators give at most 0.5), so the pairs
-- are found by prefix filtering on the name bigrams: with every name's bigrams ordered rarest
-- first, two names of Jaccard >= t share one of their first len - ceil(t * len) + 1 bigrams.
-- Every pair of a publisher's two years was compared before: at 100,000 synthetic documents that
-- is some 80 million pairs, and the indicator-token join behind them did not finish in 48 GB.
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

thresholds as (
    select
        {{ analysis_param('across_years', 'name_similarity') }} as name_threshold,
        {{ analysis_param('across_years', 'min_confidence') }} as min_confidence,
        least(
            {{ analysis_param('across_years', 'name_similarity') }},
            ({{ analysis_param('across_years', 'min_confidence') }} - 0.2
                - {{ analysis_param('across_years', 'indicator_weight') }})
            / (0.8 - {{ analysis_param('across_years', 'indicator_weight') }})
        ) as min_name
),

indicator_lists as (
    select
        project_id,
        list(distinct name_key) as indicator_names
    from indicators
    group by project_id
),

sized as (
    select
        shaped.project_id,
        shaped.publisher_key,
        shaped.fiscal_year,
        shaped.annual_total_yuan,
        shaped.name_key,
        shaped.name_bigrams,
        coalesce(indicator_lists.indicator_names, []) as indicator_names
    from shaped
    left join indicator_lists on shaped.project_id = indicator_lists.project_id
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

name_tokens as (
    select
        project_id,
        publisher_key,
        fiscal_year,
        len(name_bigrams) as name_count,
        unnest(name_bigrams) as token
    from shaped
),

token_frequency as (
    select
        token,
        count(*) as frequency
    from name_tokens
    group by token
),

-- each name's first bigrams, rarest first (ties by the bigram: one order for every name); the
-- 1e-9 keeps a product such as 0.2 * 15 = 3.0000000000000004 from shortening a prefix
prefix_tokens as (
    select
        name_tokens.*,
        row_number() over (
            partition by name_tokens.project_id order by token_frequency.frequency, name_tokens.token
        ) as token_rank
    from name_tokens
    inner join token_frequency on name_tokens.token = token_frequency.token
    qualify token_rank <= name_count - ceil((select min_name from thresholds) * name_count - 1e-9) + 1
),

-- tokens carry their publisher and year, so the join stays inside one publisher's two years
candidate_pairs as (
    select distinct
        prefix_from.project_id as project_id_from,
        prefix_to.project_id as project_id_to
    from prefix_tokens as prefix_from
    inner join next_years
        on prefix_from.publisher_key = next_years.publisher_key and prefix_from.fiscal_year = next_years.fiscal_year
    inner join prefix_tokens as prefix_to
        on
            prefix_from.publisher_key = prefix_to.publisher_key
            and next_years.next_year = prefix_to.fiscal_year
            and prefix_from.token = prefix_to.token
),

pairs as (
    select
        a.project_id as project_id_from,
        b.project_id as project_id_to,
        a.fiscal_year as fiscal_year_from,
        b.fiscal_year as fiscal_year_to,
        a.name_key = b.name_key as same_name,
        len(a.name_bigrams) as name_count_from,
        len(b.name_bigrams) as name_count_to,
        len(list_filter(a.name_bigrams, lambda x: list_contains(b.name_bigrams, x))) as shared_names,
        len(a.indicator_names) as indicator_count_from,
        len(b.indicator_names) as indicator_count_to,
        len(list_filter(a.indicator_names, lambda x: list_contains(b.indicator_names, x))) as shared_indicators,
        greatest(a.annual_total_yuan, b.annual_total_yuan)
        / nullif(least(a.annual_total_yuan, b.annual_total_yuan), 0) as money_ratio
    from candidate_pairs
    inner join sized as a on candidate_pairs.project_id_from = a.project_id
    inner join sized as b on candidate_pairs.project_id_to = b.project_id
),

similarities as (
    select
        project_id_from,
        project_id_to,
        fiscal_year_from,
        fiscal_year_to,
        same_name,
        shared_names::double / nullif(name_count_from + name_count_to - shared_names, 0) as name_similarity,
        coalesce(
            shared_indicators::double / nullif(indicator_count_from + indicator_count_to - shared_indicators, 0), 0
        ) as indicator_similarity,
        money_ratio
    from pairs
),

scored as (
    select
        *,
        coalesce(
            greatest(0, 1 - ln(money_ratio) / ln({{ analysis_param('across_years', 'money_ratio_max') }})), 0
        ) as money_score
    from similarities
),

confident as (
    select
        *,
        (1 - {{ analysis_param('across_years', 'indicator_weight') }} - 0.2) * name_similarity
        + 0.2 * money_score
        + {{ analysis_param('across_years', 'indicator_weight') }} * indicator_similarity as confidence
    from scored
),

final as (
    select confident.*
    from confident
    cross join thresholds
    where
        confident.confidence >= thresholds.min_confidence
        and (
            confident.name_similarity >= thresholds.name_threshold
            or confident.indicator_similarity >= thresholds.name_threshold
        )
)

select * from final
