-- The canonical indicator library, per indicator: the level-3 name folded (half-width, no
-- spaces, a trailing (2) numbering and years removed) and matched against the cluster patterns
-- of seeds/indicator_clusters.csv (lowest priority wins; a pattern may be scoped to a mandatory
-- category of seeds/mandatory_level2.csv). A name no pattern matches is a cluster of its own
-- folded name (name:<folded name>), so identical names across publishers still meet.
-- An indicator's cluster depends only on its own row and the seeds (a seed change is a full
-- build), so the model is incremental by document.
{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
with indicators as (
    select
        indicator_id,
        project_id,
        document_id,
        level2,
        indicator_name,
        unit,
        value_kind
    from {{ ref('fct_indicator_target') }}
    {{ delta_documents_only() }}
),

clusters as (
    select * from {{ ref('indicator_clusters') }}
),

categories as (
    select
        category_key,
        satisfied_by_level2 as level2
    from {{ ref('mandatory_level2') }}
),

-- a name is folded once, not once per indicator (the regular expressions dominated the model)
indicator_names as (
    select distinct indicator_name
    from indicators
),

name_keys as (
    select
        indicator_name,
        regexp_replace(
            regexp_replace(coalesce({{ fold_text('indicator_name') }}, ''), '\(\d+\)$', ''),
            '(19|20)\d{2}年?', '', 'g'
        ) as name_key
    from indicator_names
),

named as (
    select
        indicators.*,
        name_keys.name_key
    from indicators
    inner join name_keys on indicators.indicator_name is not distinct from name_keys.indicator_name
),

-- each distinct (name, level 2) is matched once: a pattern read from a column is compiled per row
distinct_names as (
    select distinct
        name_key,
        level2
    from named
),

matched as (
    select
        distinct_names.name_key,
        distinct_names.level2,
        clusters.cluster_id,
        clusters.cluster_zh,
        row_number() over (
            partition by distinct_names.name_key, distinct_names.level2
            order by clusters.priority, clusters.cluster_id
        ) as match_rank
    from distinct_names
    inner join clusters on regexp_matches(distinct_names.name_key, clusters.pattern)
    where
        clusters.level2_scope is null
        or exists (
            select 1 from categories
            where categories.category_key = clusters.level2_scope and categories.level2 = distinct_names.level2
        )
),

final as (
    select
        named.indicator_id,
        named.project_id,
        named.document_id,
        named.level2,
        named.indicator_name,
        named.name_key,
        named.unit,
        named.value_kind,
        coalesce(matched.cluster_id, 'name:' || named.name_key) as cluster_id,
        coalesce(matched.cluster_zh, named.name_key) as cluster_zh,
        case when matched.cluster_id is null then 'name' else 'pattern' end as cluster_method
    from named
    left join matched
        on
            named.name_key = matched.name_key
            and named.level2 is not distinct from matched.level2
            and matched.match_rank = 1
)

select * from final
