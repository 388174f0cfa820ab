{#-
    Incremental models keyed by document (issue 12). A build records the documents whose rows
    differ from the served warehouse's in ops.build_delta (jixiao.delta); a model whose rows
    belong to one document states only its key:

        {{ config(materialized='incremental', pre_hook="{{ delete_delta_documents() }}") }}
        ... from {{ ref('upstream') }} {{ delta_documents_only() }}

    In an incremental build the pre-hook deletes the rows of every document in the delta (added,
    changed, removed: delete+insert by unique_key could not retract a removed document) and the
    model inserts the rows read for the added and changed ones. A full build (--full-refresh, or
    no table yet) renders neither and builds the whole table.
-#}

{% macro delete_delta_documents(key='document_id') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ key }} in (select document_id from {{ source('ops', 'build_delta') }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro delta_documents_only(key='document_id', prefix='where') -%}
    {%- if is_incremental() -%}
        {{ prefix }} {{ key }} in (
            select document_id from {{ source('ops', 'build_delta') }} where change != 'removed'
        )
    {%- endif -%}
{%- endmacro %}
