{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per line of a self-evaluation's funding block: the cells as printed and the numbers read.
with source as (
    select * from {{ source('raw', 'raw_self_evaluation_funding') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id || '-s' || lpad(project_seq::varchar, 3, '0') as self_evaluation_id,
        document_id,
        source_file,
        project_seq,
        field as funding_field,
        label_printed,
        budget_printed,
        budget_amount::decimal(24, 6) as budget_amount,
        budget_unit_printed,
        executed_printed,
        executed_amount::decimal(24, 6) as executed_amount,
        executed_unit_printed,
        weight_printed,
        weight::decimal(24, 6) as weight,
        rate_printed,
        rate_percent::decimal(24, 6) as rate_percent,
        score_printed,
        score::decimal(24, 6) as score,
        method_printed,
        source_line
    from source
)

select * from renamed
