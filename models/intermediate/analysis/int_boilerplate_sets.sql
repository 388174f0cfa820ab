{%- set token_bits = 2048 -%}
-- The texts compared for boilerplate (int_boilerplate_pairs), one row per project and kind: an
-- annual goal is the set of its folded goal's character bigrams; an indicator set is the set of
-- (level 2 | folded level-3 name | folded target as printed). Each set carries its MinHash
-- signature cut into bands (seeds/analysis_params.csv boilerplate lsh_bands x lsh_rows): the k-th
-- minimum hash is the smallest hash(token hash xor hash(k)) over the set (one integer hashed:
-- hash(x, k) combines the two hashes, and its orders for different k are too alike), and a band key is the hash of
-- lsh_rows consecutive minimum hashes. Two sets agree on a band with probability J^lsh_rows
-- (J their Jaccard similarity), so sets that share a band key are the candidates. token_bits
-- sets bit hash(token) % {{ token_bits }} per token: popcount(bits_a | bits_b) never exceeds
-- |a union b|, so |a| + |b| - popcount bounds the shared tokens from above, and a candidate whose
-- bound cannot reach the threshold is dropped before its tokens are compared. The row depends only
-- on its own project: incremental by document.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_delta_documents() }}",
) }}
with projects as (
    select
        project_id,
        document_id,
        annual_goal
    from {{ ref('dim_project') }}
    {{ delta_documents_only() }}
),

indicators as (
    select
        project_id,
        document_id,
        level2,
        indicator_name,
        target_text
    from {{ ref('fct_indicator_target') }}
    {{ delta_documents_only() }}
),

signature_shape as (
    select
        {{ analysis_param('boilerplate', 'lsh_bands') }}::integer as bands,
        {{ analysis_param('boilerplate', 'lsh_rows') }}::integer as band_rows
),

goal_texts as (
    select
        project_id,
        document_id,
        {{ fold_text('annual_goal') }} as folded_goal
    from projects
),

goal_sets as (
    select
        project_id,
        document_id,
        'goal' as text_kind,
        {{ bigrams('folded_goal') }} as tokens
    from goal_texts
    where length(folded_goal) >= {{ analysis_param('boilerplate', 'min_goal_chars') }}
),

indicator_sets as (
    select
        indicators.project_id,
        indicators.document_id,
        'indicator_set' as text_kind,
        list(distinct
            coalesce(indicators.level2, '') || '|' || coalesce({{ fold_text('indicators.indicator_name') }}, '')
            || '|' || coalesce({{ fold_text('indicators.target_text') }}, '')
        ) as tokens
    from indicators
    inner join projects on indicators.project_id = projects.project_id
    group by indicators.project_id, indicators.document_id
    having count(*) >= {{ analysis_param('boilerplate', 'min_indicators') }}
),

sets as (
    select * from goal_sets
    union all
    select * from indicator_sets
),

hashed as (
    select
        sets.project_id,
        sets.document_id,
        sets.text_kind,
        list_sort(sets.tokens) as tokens,
        list_transform(sets.tokens, lambda token: hash(token)) as token_hashes,
        signature_shape.bands,
        signature_shape.band_rows
    from sets
    cross join signature_shape
),

signed as (
    select
        *,
        list_transform(
            range(bands * band_rows),
            lambda k: list_min(list_transform(token_hashes, lambda h: hash(xor(h, hash(k)))))
        ) as minimum_hashes
    from hashed
),

set_tokens as (
    select
        project_id,
        text_kind,
        unnest(tokens) as token
    from sets
),

bits as (
    select
        project_id,
        text_kind,
        bitstring_agg((hash(token) % {{ token_bits }})::integer, 0, {{ token_bits - 1 }}) as token_bits
    from set_tokens
    group by project_id, text_kind
),

final as (
    select
        signed.project_id,
        signed.document_id,
        signed.text_kind,
        signed.tokens,
        len(signed.tokens) as set_size,
        list_transform(
            range(signed.bands),
            lambda band: hash(
                band, list_slice(signed.minimum_hashes, band * signed.band_rows + 1, (band + 1) * signed.band_rows)
            )
        ) as band_keys,
        bits.token_bits
    from signed
    inner join bits on signed.project_id = bits.project_id and signed.text_kind = bits.text_kind
)

select * from final
