-- Suite raw_schema: one row per column of every raw Parquet file in the lake, compared with
-- what ingest/schema.py writes, plus one row per expected column a file lacks.
-- status = 'ok' | 'unexpected column' | 'missing column' | 'type X, expected Y'.
with found as (
    select
        file_name,
        regexp_extract(file_name, '[/\\]raw[/\\]([^/\\]+)[/\\]', 1) as raw_table,
        column_name,
        column_type
    from raw_parquet_schema
),

files as (
    select distinct
        file_name,
        raw_table
    from found
),

expected as (
    select
        files.file_name,
        files.raw_table,
        ingest_schema.column_name,
        ingest_schema.column_type
    from files
    inner join ingest_schema on files.raw_table = ingest_schema.raw_table
),

compared as (
    select
        coalesce(found.file_name, expected.file_name) as file_name,
        coalesce(found.raw_table, expected.raw_table) as raw_table,
        coalesce(found.column_name, expected.column_name) as column_name,
        case
            when expected.column_name is null then 'unexpected column'
            when found.column_name is null then 'missing column'
            when found.column_type <> expected.column_type
                then 'type ' || found.column_type || ', expected ' || expected.column_type
            else 'ok'
        end as status
    from found
    full outer join expected
        on found.file_name = expected.file_name and found.column_name = expected.column_name
),

tables_without_files as (
    select distinct ingest_schema.raw_table
    from ingest_schema
    where ingest_schema.raw_table not in (select raw_table from files)
)

select
    regexp_extract(file_name, '([/\\]raw[/\\].*)$', 1) as source_file,
    null::integer as source_line,
    raw_table || '.' || column_name as row_ref,
    status
from compared
union all
select
    'raw/' || raw_table as source_file,
    null::integer as source_line,
    raw_table as row_ref,
    'no Parquet file' as status
from tables_without_files
