-- Transfers as flows: every counted project that transfers money to lower levels
-- (transfer_total_yuan > 0), matched to the projects of receiving documents where they exist:
-- a counted project of a division below the granting one (dim_region), in the same fiscal year,
-- whose name (years removed) is alike (transfer_name_similarity) and whose funding is at most the
-- transfer (transfer_match_tolerance); seeds/analysis_params.csv regions. A grant with no
-- receiving document in the warehouse has one row with the receiving side empty.
-- Candidate pairs come from prefix filtering on the name bigrams, which is exact: with every
-- name's bigrams in order of rising corpus frequency, two names of Jaccard >= t share a bigram
-- among the first |s| - ceil(t * |s|) + 1 of each (and t * |a| <= |b| <= |a| / t), so only the
-- pairs sharing a rare bigram are compared instead of every grant with every project below it.
-- The bounds have a 1e-9 margin (never fewer candidates); the candidates are verified with the
-- same expressions as before. A threshold of 0 or less makes every pair below a candidate.
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

thresholds as (
    select
        {{ analysis_param('regions', 'transfer_name_similarity') }} as name_similarity,
        {{ analysis_param('regions', 'transfer_match_tolerance') }} as match_tolerance
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

bigram_tokens as (
    select
        project_id,
        unnest(name_bigrams) as bigram,
        len(name_bigrams) as bigram_count
    from keyed
),

bigram_frequencies as (
    select
        *,
        count(*) over (partition by bigram) as bigram_frequency
    from bigram_tokens
),

ranked_bigrams as (
    select
        *,
        row_number() over (partition by project_id order by bigram_frequency, bigram) as bigram_rank
    from bigram_frequencies
),

prefixes as (
    select
        ranked_bigrams.project_id,
        ranked_bigrams.bigram,
        ranked_bigrams.bigram_count
    from ranked_bigrams
    cross join thresholds
    where
        ranked_bigrams.bigram_rank
        <= ranked_bigrams.bigram_count - ceil(thresholds.name_similarity * ranked_bigrams.bigram_count - 1e-9) + 1
),

-- each grant's prefix, once for every division below the granting one
grant_prefixes as (
    select
        grants.project_id,
        grants.fiscal_year,
        grants.transfer_total_yuan,
        below.receiving_code,
        prefixes.bigram,
        prefixes.bigram_count
    from grants
    inner join below on grants.division_code = below.granting_code
    inner join prefixes on grants.project_id = prefixes.project_id
),

receiving_prefixes as (
    select
        keyed.project_id,
        keyed.division_code,
        keyed.fiscal_year,
        keyed.annual_total_yuan,
        prefixes.bigram,
        prefixes.bigram_count
    from keyed
    inner join prefixes on keyed.project_id = prefixes.project_id
),

prefix_candidates as (
    select
        grant_prefixes.project_id as granting_project_id,
        receiving_prefixes.project_id as receiving_project_id
    from grant_prefixes
    inner join receiving_prefixes
        on
            grant_prefixes.receiving_code = receiving_prefixes.division_code
            and grant_prefixes.fiscal_year = receiving_prefixes.fiscal_year
            and grant_prefixes.bigram = receiving_prefixes.bigram
    cross join thresholds
    where
        receiving_prefixes.annual_total_yuan <= grant_prefixes.transfer_total_yuan * (1 + thresholds.match_tolerance)
        -- Jaccard >= t needs t * |a| <= |b| <= |a| / t
        and receiving_prefixes.bigram_count
        between thresholds.name_similarity * grant_prefixes.bigram_count - 1e-9
        and grant_prefixes.bigram_count / nullif(thresholds.name_similarity, 0) + 1e-9
),

-- a threshold of 0 or less also keeps names that share no bigram, which no prefix finds: then every
-- project below the grant in its year is a candidate (no rows at a positive threshold)
unblocked_candidates as (
    select
        grants.project_id as granting_project_id,
        keyed.project_id as receiving_project_id
    from grants
    cross join thresholds
    inner join below on grants.division_code = below.granting_code
    inner join keyed on below.receiving_code = keyed.division_code and grants.fiscal_year = keyed.fiscal_year
    where thresholds.name_similarity <= 0
),

candidates as (
    select * from prefix_candidates
    union
    select * from unblocked_candidates
),

matches as (
    select
        grants.project_id as granting_project_id,
        receiving.project_id as receiving_project_id,
        receiving.annual_total_yuan as received_yuan,
        {{ list_jaccard('grants.name_bigrams', 'receiving.name_bigrams') }} as name_similarity
    from candidates
    inner join grants on candidates.granting_project_id = grants.project_id
    inner join keyed as receiving on candidates.receiving_project_id = receiving.project_id
    inner join below
        on
            grants.division_code = below.granting_code
            and receiving.division_code = below.receiving_code
    where
        grants.fiscal_year = receiving.fiscal_year
        and receiving.annual_total_yuan
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
