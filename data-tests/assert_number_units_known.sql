-- A number printed with a unit the units seed does not know: add the unit to seeds/units.csv.
{{ config(severity = 'warn') }}
select
    indicator_id,
    source_file,
    source_line,
    target_text,
    lex_unit_base
from {{ ref('int_indicator_values') }}
where lex_kind = 'number' and lex_unit_base is not null and not is_unit_known
