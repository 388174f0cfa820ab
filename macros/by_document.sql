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
            select document_id from {{ source('ops', 'build_delta') }} where change <> 'removed'
        )
    {%- endif -%}
{%- endmacro %}

{#- Whether this build patches a copy of the served warehouse (ops.build_delta says so). -#}
{% macro build_is_incremental() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(*) from " ~ source('ops', 'build_delta') ~ " where build_mode = 'incremental'"
    ) -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{#-
    dbt tests in an incremental build: a test of an incremental model keyed by document reads only
    the rows of the documents this build inserted (the other rows are the served build's, which
    passed these tests); tests of the models rebuilt whole read the whole table. A test's own
    `where` config still applies.
-#}
{% macro duckdb__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set key = jixiao.document_key_of(relation) if jixiao.build_is_incremental() else none -%}
    {%- if key -%}
        {%- set delta_where -%}
            {{ key }} in (select document_id from {{ source('ops', 'build_delta') }} where change <> 'removed')
        {%- endset -%}
        {%- set where = '(' ~ where ~ ') and ' ~ delta_where if where else delta_where -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}

{#- The document key of an incremental model (none for a model rebuilt whole, or not a model). -#}
{% macro document_key_of(relation) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.alias == relation.identifier
            and node.schema == relation.schema and node.config.materialized == 'incremental' -%}
            {{ return(node.config.meta.get('document_key', 'document_id')) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#- The document of a project id (document_id || '-p' || seq; document ids have no '-'), as SQL: the
    document key of a model keyed by project without a document_id column. -#}
{% macro project_document(column='project_id') -%}
    {{ return("split_part(" ~ column ~ ", '-', 1)") }}
{%- endmacro %}

{#- A pair model (project_id_a, project_id_b; project ids start with their document id): the pairs
    touching a project of a document in the delta go before the build inserts the new ones. -#}
{% macro delete_delta_pairs() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ project_document('project_id_a') }} in (select document_id from {{ source('ops', 'build_delta') }})
            or {{ project_document('project_id_b') }} in (select document_id from {{ source('ops', 'build_delta') }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
