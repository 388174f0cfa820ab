-- Near-duplicate annual goals and indicator sets between projects (any department, publisher
-- or year; copies of a project too: mart_boilerplate_pairs keeps the counted ones). The sets and
-- their MinHash band keys are int_boilerplate_sets'. Similarity is Jaccard (shared / either),
-- always computed exactly (after a cheap upper bound from the sets' token bits drops the
-- candidates that cannot reach the threshold); the candidates are the pairs that share a band key (locality-sensitive
-- hashing): a pair of Jaccard J is a candidate with probability 1 - (1 - J^r)^b (b bands of r
-- rows), so every reported pair is a true one and a pair at the 0.8 threshold is found with
-- probability 0.9995 (b = 25, r = 6; 1 - 6e-9 at 0.9). Exact prefix filtering, used before,
-- made a candidate of every pair sharing a rare-enough bigram; in goals built from common stock
-- phrases that is most pairs, and it did not finish at 100,000 documents (docs/benchmarks.md).
-- A length filter (t * |a| <= |b| <= |a| / t) drops candidates that cannot reach the threshold.
-- Full build: identical sets are grouped first (their pairs have similarity 1), so a phrase printed
-- by a thousand projects is one set in the candidate join. Incremental build: the pairs touching a
-- project of the delta's documents are deleted, and the pairs with a side in an added or changed
-- document are searched by the same rule (whether a pair is found depends only on its two
-- sets, so the result equals a full build's).
-- Its tests read the whole table (no document key: a pair has two documents).
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_delta_pairs() }}",
    meta={'document_key': ''},
) }}
with sets as (
    select
        project_id,
        document_id,
        text_kind,
        tokens,
        set_size,
        band_keys,
        token_bits
    from {{ ref('int_boilerplate_sets') }}
),

thresholds as (
    select
        'goal' as text_kind,
        {{ analysis_param('boilerplate', 'goal_similarity') }} as threshold
    union all
    select
        'indicator_set' as text_kind,
        {{ analysis_param('boilerplate', 'indicator_set_similarity') }} as threshold
),

{% if is_incremental() %}
probed as (
    select * from sets
    {{ delta_documents_only() }}
),

bands as (
    select
        sets.project_id,
        sets.text_kind,
        sets.set_size,
        thresholds.threshold,
        unnest(sets.band_keys) as band_key,
        unnest(range(len(sets.band_keys))) as band
    from sets
    inner join thresholds on sets.text_kind = thresholds.text_kind
),

probed_bands as (
    select * from bands
    where project_id in (select project_id from probed)
),

-- each pair once, in (smaller id, larger id) order, whichever side was probed
candidates as (
    select distinct
        probe.text_kind,
        least(probe.project_id, other.project_id) as project_id_a,
        greatest(probe.project_id, other.project_id) as project_id_b,
        probe.threshold
    from probed_bands as probe
    inner join bands as other
        on
            probe.text_kind = other.text_kind
            and probe.band = other.band
            and probe.band_key = other.band_key
            and probe.project_id <> other.project_id
            and other.set_size between probe.threshold * probe.set_size and probe.set_size / probe.threshold
),

bounded as (
    select
        candidates.text_kind,
        candidates.project_id_a,
        candidates.project_id_b,
        candidates.threshold,
        a.set_size as size_a,
        b.set_size as size_b,
        a.tokens as tokens_a,
        b.tokens as tokens_b,
        a.set_size + b.set_size - bit_count(a.token_bits | b.token_bits) as shared_bound
    from candidates
    inner join sets as a on candidates.text_kind = a.text_kind and candidates.project_id_a = a.project_id
    inner join sets as b on candidates.text_kind = b.text_kind and candidates.project_id_b = b.project_id
),

compared as (
    select
        text_kind,
        project_id_a,
        project_id_b,
        threshold,
        size_a,
        size_b,
        len(list_filter(tokens_a, lambda token: list_contains(tokens_b, token))) as shared_tokens
    from bounded
    where shared_bound::double / (size_a + size_b - shared_bound) >= threshold
),
{% else %}
-- identical sets as one: its projects are its members
distinct_sets as (
    select
        text_kind,
        tokens,
        any_value(set_size) as set_size,
        any_value(band_keys) as band_keys,
        any_value(token_bits) as token_bits,
        list(project_id order by project_id) as members
    from sets
    group by text_kind, tokens
),

numbered as (
    select
        row_number() over (order by distinct_sets.text_kind, distinct_sets.members[1]) as set_no,
        distinct_sets.*,
        thresholds.threshold
    from distinct_sets
    inner join thresholds on distinct_sets.text_kind = thresholds.text_kind
),

bands as (
    select
        set_no,
        text_kind,
        set_size,
        threshold,
        unnest(band_keys) as band_key,
        unnest(range(len(band_keys))) as band
    from numbered
),

set_candidates as (
    select distinct
        a.set_no as set_no_a,
        b.set_no as set_no_b
    from bands as a
    inner join bands as b
        on
            a.text_kind = b.text_kind
            and a.band = b.band
            and a.band_key = b.band_key
            and a.set_no < b.set_no
            and b.set_size between a.threshold * a.set_size and a.set_size / a.threshold
),

-- the bits' upper bound of the shared tokens first, the tokens themselves for what it keeps
set_bounds as (
    select
        set_candidates.set_no_a,
        set_candidates.set_no_b,
        a.threshold,
        a.set_size as size_a,
        b.set_size as size_b,
        a.set_size + b.set_size - bit_count(a.token_bits | b.token_bits) as shared_bound
    from set_candidates
    inner join numbered as a on set_candidates.set_no_a = a.set_no
    inner join numbered as b on set_candidates.set_no_b = b.set_no
),

set_pairs as (
    select
        a.text_kind,
        set_bounds.threshold,
        a.members as members_a,
        b.members as members_b,
        set_bounds.size_a,
        set_bounds.size_b,
        len(list_filter(a.tokens, lambda token: list_contains(b.tokens, token))) as shared_tokens
    from set_bounds
    inner join numbered as a on set_bounds.set_no_a = a.set_no
    inner join numbered as b on set_bounds.set_no_b = b.set_no
    where set_bounds.shared_bound::double / (set_bounds.size_a + set_bounds.size_b - set_bounds.shared_bound)
        >= set_bounds.threshold
),

across_sets as (
    select
        text_kind,
        threshold,
        unnest(members_a) as project_a,
        members_b,
        size_a,
        size_b,
        shared_tokens
    from set_pairs
    where shared_tokens::double / (size_a + size_b - shared_tokens) >= threshold
),

across_members as (
    select
        text_kind,
        threshold,
        project_a,
        unnest(members_b) as project_b,
        size_a,
        size_b,
        shared_tokens
    from across_sets
),

across_pairs as (
    select
        text_kind,
        least(project_a, project_b) as project_id_a,
        greatest(project_a, project_b) as project_id_b,
        threshold,
        size_a,
        size_b,
        shared_tokens
    from across_members
),

-- two projects of one identical set
within_sets as (
    select
        text_kind,
        threshold,
        set_size,
        unnest(members) as project_a,
        members
    from numbered
    where len(members) > 1
),

within_members as (
    select
        text_kind,
        threshold,
        set_size,
        project_a,
        unnest(members) as project_b
    from within_sets
),

within_pairs as (
    select
        text_kind,
        project_a as project_id_a,
        project_b as project_id_b,
        threshold,
        set_size as size_a,
        set_size as size_b,
        set_size as shared_tokens
    from within_members
    where project_a < project_b
),

compared as (
    select * from across_pairs
    union all
    select * from within_pairs
),
{% endif %}

scored as (
    select
        text_kind,
        project_id_a,
        project_id_b,
        shared_tokens::double / (size_a + size_b - shared_tokens) as similarity,
        shared_tokens,
        threshold
    from compared
),

final as (
    select * from scored
    where similarity >= threshold
)

select * from final
