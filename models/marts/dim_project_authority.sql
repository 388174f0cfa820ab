with authorities as (
    select * from {{ ref('stg_raw__project_authorities') }}
),

final as (
    select
        project_id || '-a' || lpad(authority_seq::varchar, 2, '0') as project_authority_id,
        project_id,
        document_id,
        authority_seq,
        authority_role,
        label_printed,
        authority_printed,
        source_file,
        source_line
    from authorities
)

select * from final
