-- The canonical indicator library's cluster id on every indicator (int_indicator_clusters).
with clusters as (
    select * from {{ ref('int_indicator_clusters') }}
),

final as (
    select
        indicator_id,
        project_id,
        document_id,
        level2,
        indicator_name,
        name_key,
        cluster_id,
        cluster_zh,
        cluster_method
    from clusters
)

select * from final
