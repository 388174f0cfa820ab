-- Suite raw_parse_issues: one row per issue the parser reported (what it could not read as
-- expected), with the issue code and message as the row's value.
select
    document_id,
    source_file,
    source_line,
    issue_code as row_ref,
    issue_code || ': ' || coalesce(message, '') as issue
from raw_parse_issues
