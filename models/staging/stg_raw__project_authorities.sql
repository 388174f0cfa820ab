{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per authority a transfer-payment regional table prints (raw_project_authorities):
-- its role, the label and the value as printed, the line.
with source as (
    select * from {{ source('raw', 'raw_project_authorities') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        document_id || '-p' || lpad(project_seq::varchar, 3, '0') as project_id,
        source_file,
        project_seq,
        authority_seq,
        role as authority_role,
        label_printed,
        printed as authority_printed,
        source_line
    from source
)

select * from renamed
