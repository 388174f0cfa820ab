{{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}

-- One row per printed funding cell (raw_funding_cells): which field, the text as printed, the
-- number ingest read from it (in the cell's own unit or the table's) and why it could not.
with source as (
    select * from {{ source('raw', 'raw_funding_cells') }}
    {{ delta_documents_only() }}
),

renamed as (
    select
        document_id,
        document_id || '-p' || lpad(project_seq::varchar, 3, '0') as project_id,
        source_file,
        project_seq,
        field as funding_field,
        printed as cell_printed,
        amount as amount_printed,
        unit_printed as cell_unit_printed,
        problem as read_problem,
        source_line
    from source
)

select * from renamed
