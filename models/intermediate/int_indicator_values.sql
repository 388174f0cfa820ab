{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
-- Targets made comparable: the lexed target (ingest.values) given its meaning from the seeds.
-- units: printed unit -> canonical unit, factor, value kind; target_vocabulary: 无 / placeholders /
-- qualitative wording. Money goes to yuan, counts keep their unit, per-unit money keeps its
-- denominator (≤2.5万元/家 -> 25000 元/家).
with indicators as (
    select * from {{ ref('int_indicators_labelled') }}
    {{ delta_documents_only() }}
),

units as (
    select * from {{ ref('units') }}
),

vocabulary as (
    select * from {{ ref('target_vocabulary') }}
),

keyed as (
    select
        indicators.*,
        regexp_replace(coalesce(indicators.target_text, ''), '\s+', '', 'g') as target_key,
        regexp_replace(regexp_replace(coalesce(indicators.indicator_name, ''), '\s+', '', 'g'), '[。.]+$', '')
            as name_key
    from indicators
),

-- 无 / placeholders named in the vocabulary override what the lexer called text.
kind_hits as (
    select
        keyed.indicator_id,
        vocabulary.value_kind,
        row_number() over (
            partition by keyed.indicator_id
            order by vocabulary.priority, vocabulary.match_type, length(vocabulary.term) desc
        ) as hit_rank
    from keyed
    inner join vocabulary
        on vocabulary.value_kind in ('not_applicable', 'placeholder')
        and (
            (vocabulary.match_type = 'exact' and keyed.target_key = vocabulary.term)
            or (vocabulary.match_type = 'regex' and regexp_matches(keyed.target_key, vocabulary.term))
        )
    where keyed.lex_kind in ('text', 'not_applicable', 'placeholder')
),

-- A row whose level-3 name is 无 (经济效益 | 无 | blank) is not applicable, not a blank target.
name_not_applicable as (
    select distinct keyed.indicator_id
    from keyed
    inner join vocabulary
        on vocabulary.value_kind = 'not_applicable'
        and vocabulary.match_type = 'exact'
        and keyed.name_key = vocabulary.term
),

direction_hits as (
    select
        keyed.indicator_id,
        vocabulary.qualitative_direction,
        row_number() over (
            partition by keyed.indicator_id
            order by vocabulary.priority asc, length(vocabulary.term) desc, vocabulary.term
        ) as hit_rank
    from keyed
    inner join vocabulary
        on vocabulary.qualitative_direction is not null
        and vocabulary.match_type = 'contains'
        and contains(keyed.target_key, vocabulary.term)
    where keyed.lex_kind = 'text'
),

typed as (
    select
        keyed.*,
        units.unit as base_unit,
        units.factor as unit_factor,
        units.unit_printed is not null as is_unit_known,
        case
            when keyed.lex_kind = 'empty' and name_not_applicable.indicator_id is not null then 'not_applicable'
            when keyed.lex_kind = 'empty' then 'empty'
            when kind_hits.value_kind is not null then kind_hits.value_kind
            when keyed.lex_kind in ('text', 'not_applicable', 'placeholder') then keyed.lex_kind
            when keyed.lex_kind = 'date' then 'date'
            when keyed.lex_kind = 'percent' then 'percent'
            when keyed.lex_kind = 'number' then coalesce(units.value_kind, 'count')
        end as value_kind,
        direction_hits.qualitative_direction
    from keyed
    left join units
        on keyed.lex_kind in ('number', 'percent')
        and keyed.lex_unit_base = units.unit_printed
    left join kind_hits
        on keyed.indicator_id = kind_hits.indicator_id
        and kind_hits.hit_rank = 1
    left join name_not_applicable
        on keyed.indicator_id = name_not_applicable.indicator_id
    left join direction_hits
        on keyed.indicator_id = direction_hits.indicator_id
        and direction_hits.hit_rank = 1
),

-- A number is typed only when it is plausible (rule CEL-05): its magnitude in the canonical
-- unit within the threshold, and money not negative; else it stays NULL and is flagged, so an
-- absurd cell can never fail a cast or swamp a sum. Unreadable numbers (CEL-04) are NULL
-- from ingest already.
plausibility as (
    select
        typed.*,
        typed.value_kind in ('money', 'percent', 'count', 'duration') as is_numeric_kind,
        coalesce(
            greatest(abs(cast(typed.lex_low as double)), abs(cast(typed.lex_high as double)))
            * cast(coalesce(typed.unit_factor, 1) as double) > {{ rule_threshold('CEL-05') }}
            or (typed.value_kind = 'money' and least(typed.lex_low, typed.lex_high) < 0),
            false
        ) as is_number_implausible,
        list_has_any(
            coalesce(typed.lex_notes, cast([] as varchar[])),
            ['exponent_notation', 'not_a_number', 'number_out_of_range']
        ) as is_number_unreadable
    from typed
),

valued as (
    select
        plausibility.*,
        case when plausibility.is_numeric_kind and not plausibility.is_number_implausible
            then cast(plausibility.lex_low * coalesce(plausibility.unit_factor, 1) as decimal(20, 4))
        end as value_low,
        case when plausibility.is_numeric_kind and not plausibility.is_number_implausible
            then cast(plausibility.lex_high * coalesce(plausibility.unit_factor, 1) as decimal(20, 4))
        end as value_high,
        case
            when plausibility.value_kind not in ('money', 'percent', 'count', 'duration') then null
            when plausibility.lex_unit_per is not null
                then coalesce(plausibility.base_unit, plausibility.lex_unit_base, '')
                || '/' || plausibility.lex_unit_per
            else coalesce(plausibility.base_unit, plausibility.lex_unit_base)
        end as unit
    from plausibility
),

final as (
    select
        valued.*,
        case when valued.value_kind in ('money', 'percent', 'count', 'duration', 'date')
            then valued.lex_comparator
        end as comparator,
        case when valued.value_kind = 'money'
            then cast(coalesce(valued.value_high, valued.value_low) as decimal(20, 2))
        end as value_yuan,
        case when valued.value_kind = 'date' then valued.lex_date end as target_date,
        case when valued.value_kind = 'date' then valued.lex_date_rule end as date_rule,
        coalesce(valued.lex_unit_per is not null and valued.is_numeric_kind, false) as is_per_unit,
        case
            when valued.value_kind = 'date' then valued.lex_date is not null
            when valued.is_numeric_kind then valued.value_low is not null or valued.value_high is not null
            else false
        end as is_quantified
    from valued
)

select * from final
