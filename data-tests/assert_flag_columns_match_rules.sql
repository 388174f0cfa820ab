-- depends_on: {{ ref('fct_indicator_target') }}
-- depends_on: {{ ref('mart_project_scorecard') }}
-- Every rule of seeds/rules.csv the models check has a flag_<name> column: indicator rules on
-- marts.fct_indicator_target, project rules on marts.mart_project_scorecard; and no flag column
-- exists without a rule.
with rules as (
    select
        'flag_' || name as column_name,
        case grain when 'indicator' then 'fct_indicator_target' else 'mart_project_scorecard' end as table_name
    from {{ ref('rules') }}
    where checked_in = 'model'
),

columns as (
    select
        table_name,
        column_name
    from information_schema.columns
    where table_schema = 'marts'
        and table_name in ('fct_indicator_target', 'mart_project_scorecard')
        and column_name like 'flag\_%' escape '\'
)

select
    coalesce(rules.table_name, columns.table_name) as table_name,
    coalesce(rules.column_name, columns.column_name) as column_name,
    case when columns.column_name is null then 'rule without flag column' else 'flag column without rule' end
        as problem
from rules
full outer join columns
    on rules.table_name = columns.table_name and rules.column_name = columns.column_name
where rules.column_name is null or columns.column_name is null
