{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
-- Indicator rows with canonical level 1 / level 2 from the label seed.
with indicators as (
    select * from {{ ref('stg_raw__indicators') }}
    {{ delta_documents_only() }}
),

label_map as (
    select * from {{ ref('indicator_label_map') }}
),

level1_labels as (
    select
        label_key,
        level1
    from label_map
    where label_level = 1
),

level2_labels as (
    select
        label_key,
        level1,
        level2
    from label_map
    where label_level = 2
),

labelled as (
    select
        indicators.*,
        coalesce(level2_labels.level1, level1_labels.level1) as level1,
        level2_labels.level2
    from indicators
    left join level1_labels on indicators.level1_key = level1_labels.label_key
    left join level2_labels on indicators.level2_key = level2_labels.label_key
)

select * from labelled
