-- The canonical indicator library: one row per cluster of comparable level-3 indicators
-- (seeds/indicator_clusters.csv, else one folded name), how widely it is used, its name variants
-- and units, so like can be compared with like across publishers.
with clusters as (
    select * from {{ ref('int_indicator_clusters') }}
),

indicators as (
    select
        indicator_id,
        is_quantified
    from {{ ref('fct_indicator_target') }}
),

documents as (
    select
        document_id,
        publisher
    from {{ ref('dim_document') }}
),

seed as (
    select
        cluster_id,
        cluster_en
    from {{ ref('indicator_clusters') }}
),

variants as (
    select
        cluster_id,
        name_key,
        count(*) as uses
    from clusters
    group by cluster_id, name_key
),

units as (
    select
        cluster_id,
        unit,
        count(*) as uses
    from clusters
    where unit is not null
    group by cluster_id, unit
),

variant_lists as (
    select
        cluster_id,
        count(*) as name_variant_count,
        string_agg(name_key, '、' order by uses desc, name_key asc) filter (where variant_rank <= 5)
            as example_names_text
    from (
        select
            *,
            row_number() over (partition by cluster_id order by uses desc, name_key asc) as variant_rank
        from variants
    ) as ranked_variants
    group by cluster_id
),

unit_lists as (
    select
        cluster_id,
        string_agg(unit, '、' order by uses desc, unit asc) as units_text,
        list(unit order by uses desc, unit asc)[1] as main_unit
    from units
    group by cluster_id
),

usage as (
    select
        clusters.cluster_id,
        any_value(clusters.cluster_zh) as cluster_zh,
        any_value(clusters.cluster_method) as cluster_method,
        count(*) as indicator_count,
        count(distinct clusters.project_id) as project_count,
        count(distinct clusters.document_id) as document_count,
        count(distinct documents.publisher) as publisher_count,
        string_agg(distinct clusters.level2, '、' order by clusters.level2) as level2_text,
        avg(indicators.is_quantified::integer) as share_quantified
    from clusters
    inner join indicators on clusters.indicator_id = indicators.indicator_id
    left join documents on clusters.document_id = documents.document_id
    group by clusters.cluster_id
),

final as (
    select
        usage.cluster_id,
        usage.cluster_zh,
        seed.cluster_en,
        usage.cluster_method,
        usage.indicator_count::integer as indicator_count,
        usage.project_count::integer as project_count,
        usage.document_count::integer as document_count,
        usage.publisher_count::integer as publisher_count,
        variant_lists.name_variant_count::integer as name_variant_count,
        variant_lists.example_names_text,
        usage.level2_text,
        unit_lists.main_unit,
        unit_lists.units_text,
        usage.share_quantified::double as share_quantified
    from usage
    left join seed on usage.cluster_id = seed.cluster_id
    left join variant_lists on usage.cluster_id = variant_lists.cluster_id
    left join unit_lists on usage.cluster_id = unit_lists.cluster_id
)

select * from final
