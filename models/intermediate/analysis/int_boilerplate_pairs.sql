-- Near-duplicate annual goals and indicator sets between projects (any department, publisher
-- or year; copies of a project too: mart_boilerplate_pairs keeps the counted ones, so a
-- pair depends only on its two projects' own texts and the model is incremental by
-- document). A project's goal is the set of its folded goal's character bigrams; its
-- indicator set is the set of (level 2 | folded level-3 name | folded target as printed).
-- Similarity is Jaccard (shared / either). Candidate pairs come from prefix filtering, which is
-- exact: with each set's tokens in order of rising corpus frequency, two sets of Jaccard >= t
-- share a token among the first |s| - ceil(t * |s|) + 1 of each, so no pair above the
-- threshold is missed and common tokens do not make every pair a candidate; a length and a
-- positional filter (PPJoin) drop candidates that cannot reach the threshold before they are verified.
-- Incremental build: the pairs touching a project of the delta's documents are deleted, and only
-- pairs with a side in an added or changed document are searched (any token order is exact as long
-- as both sides use the same one, so the kept pairs stay right when corpus frequencies move).
-- Its tests read the whole table (no document key: a pair has two documents; the table is small).
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_delta_pairs() }}",
    meta={'document_key': ''},
) }}
with projects as (
    select
        project_id,
        document_id,
        annual_goal
    from {{ ref('dim_project') }}
),


indicators as (
    select
        project_id,
        level2,
        indicator_name,
        target_text
    from {{ ref('fct_indicator_target') }}
),

goal_texts as (
    select
        project_id,
        {{ fold_text('annual_goal') }} as folded_goal
    from projects
),

goal_sets as (
    select
        project_id,
        'goal' as text_kind,
        {{ bigrams('folded_goal') }} as tokens
    from goal_texts
    where length(folded_goal) >= {{ analysis_param('boilerplate', 'min_goal_chars') }}
),

indicator_sets as (
    select
        indicators.project_id,
        'indicator_set' as text_kind,
        list(distinct
            coalesce(indicators.level2, '') || '|' || coalesce({{ fold_text('indicators.indicator_name') }}, '')
            || '|' || coalesce({{ fold_text('indicators.target_text') }}, '')
        ) as tokens
    from indicators
    inner join projects on indicators.project_id = projects.project_id
    group by indicators.project_id
    having count(*) >= {{ analysis_param('boilerplate', 'min_indicators') }}
),

sets as (
    select * from goal_sets
    union all
    select * from indicator_sets
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

tokens as (
    select
        sets.project_id,
        sets.text_kind,
        unnest(sets.tokens) as token,
        len(sets.tokens) as set_size
    from sets
),

frequencies as (
    select
        *,
        count(*) over (partition by text_kind, token) as token_frequency
    from tokens
),

ranked as (
    select
        frequencies.*,
        thresholds.threshold,
        row_number() over (
            partition by frequencies.text_kind, frequencies.project_id
            order by frequencies.token_frequency, frequencies.token
        ) as token_rank
    from frequencies
    inner join thresholds on frequencies.text_kind = thresholds.text_kind
),

prefixes as (
    select * from ranked
    where token_rank <= set_size - ceil(threshold * set_size) + 1
),

{% if is_incremental() %}
probed_projects as (
    select project_id from projects
    {{ delta_documents_only() }}
),

probe_prefixes as (
    select * from prefixes
    where project_id in (select project_id from probed_projects)
),

-- each pair once, in (smaller id, larger id) order, whichever side was probed
prefix_pairs as (
    select distinct
        probe.text_kind,
        least(probe.project_id, other.project_id) as project_id_a,
        greatest(probe.project_id, other.project_id) as project_id_b,
        case when probe.project_id < other.project_id then probe.set_size else other.set_size end as size_a,
        case when probe.project_id < other.project_id then other.set_size else probe.set_size end as size_b,
        probe.threshold,
        case when probe.project_id < other.project_id then probe.token_rank else other.token_rank end as rank_a,
        case when probe.project_id < other.project_id then other.token_rank else probe.token_rank end as rank_b,
        probe.token
    from probe_prefixes as probe
    inner join prefixes as other
        on
            probe.text_kind = other.text_kind
            and probe.token = other.token
            and (
                -- the full build's length filter, on the pair in (smaller id, larger id) order
                (
                    probe.project_id < other.project_id
                    and other.set_size between probe.threshold * probe.set_size and probe.set_size / probe.threshold
                )
                or (
                    probe.project_id > other.project_id
                    and probe.set_size between other.threshold * other.set_size and other.set_size / other.threshold
                )
            )
),
{% else %}
prefix_pairs as (
    select
        a.text_kind,
        a.project_id as project_id_a,
        b.project_id as project_id_b,
        a.set_size as size_a,
        b.set_size as size_b,
        a.threshold,
        a.token_rank as rank_a,
        b.token_rank as rank_b,
        a.token
    from prefixes as a
    inner join prefixes as b
        on
            a.text_kind = b.text_kind
            and a.token = b.token
            and a.project_id < b.project_id
            -- Jaccard >= t needs t * |a| <= |b| <= |a| / t
            and b.set_size between a.threshold * a.set_size and a.set_size / a.threshold
),
{% endif %}

-- positional filter: the shared prefix tokens plus what is left after the last of them bound the
-- overlap, which Jaccard >= t needs to be at least t / (1 + t) * (|a| + |b|)
candidates as (
    select
        text_kind,
        project_id_a,
        project_id_b,
        any_value(size_a) as size_a,
        any_value(size_b) as size_b,
        any_value(threshold) as threshold
    from prefix_pairs
    group by text_kind, project_id_a, project_id_b
    having
        count(*) + least(any_value(size_a) - max(rank_a), any_value(size_b) - max(rank_b))
        >= any_value(threshold) / (1 + any_value(threshold)) * (any_value(size_a) + any_value(size_b)) - 1e-9
),

-- shared tokens counted by a join (faster than intersecting lists pair by pair)
shared as (
    select
        candidates.text_kind,
        candidates.project_id_a,
        candidates.project_id_b,
        any_value(candidates.size_a) as size_a,
        any_value(candidates.size_b) as size_b,
        any_value(candidates.threshold) as threshold,
        count(*) as shared_tokens
    from candidates
    inner join tokens as tokens_a
        on candidates.text_kind = tokens_a.text_kind and candidates.project_id_a = tokens_a.project_id
    inner join tokens as tokens_b
        on
            candidates.text_kind = tokens_b.text_kind
            and candidates.project_id_b = tokens_b.project_id
            and tokens_a.token = tokens_b.token
    group by candidates.text_kind, candidates.project_id_a, candidates.project_id_b
),

scored as (
    select
        text_kind,
        project_id_a,
        project_id_b,
        shared_tokens::double / (size_a + size_b - shared_tokens) as similarity,
        shared_tokens,
        threshold
    from shared
),

final as (
    select * from scored
    where similarity >= threshold
)

select * from final
