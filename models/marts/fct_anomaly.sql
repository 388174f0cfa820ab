-- One row per anomaly found: which rule, how severe, and the source row (file + line) it names.
with indicator_flags as (
    select * from {{ ref('int_indicator_flags') }}
),

project_flags as (
    select * from {{ ref('int_project_flags') }}
),

projects as (
    select
        project_id,
        source_file,
        source_line
    from {{ ref('stg_raw__projects') }}
),

rules as (
    select * from {{ ref('anomaly_rules') }}
),

indicator_fired as (
    select
        indicator_flags.*,
        unnest(anomaly_rule_ids) as rule_id
    from indicator_flags
),

project_fired as (
    select
        project_flags.*,
        unnest(project_anomaly_rule_ids) as rule_id
    from project_flags
),

indicator_hits as (
    select
        indicator_id || ':' || rule_id as anomaly_id,
        rule_id,
        'indicator' as scope,
        project_id,
        indicator_id,
        document_id,
        source_file,
        source_line,
        concat_ws(
            '; ',
            'level2=' || coalesce(level2, '?'),
            'value_kind=' || value_kind,
            'target=' || target_text,
            case when rule_id = 'deadline_outside_fiscal_year'
                then 'fiscal_year=' || fiscal_year::varchar end
        ) as detail
    from indicator_fired
),

project_hits as (
    select
        project_fired.project_id || ':' || project_fired.rule_id as anomaly_id,
        project_fired.rule_id,
        'project' as scope,
        project_fired.project_id,
        null::varchar as indicator_id,
        project_fired.document_id,
        projects.source_file,
        projects.source_line,
        case project_fired.rule_id
            when 'missing_mandatory_level2'
                then 'missing=' || array_to_string(project_fired.missing_level2_categories, ',')
            when 'funding_unreconciled'
                then 'checks=' || array_to_string(project_fired.funding_check_failures, ',')
            else 'cost_money_yuan=' || coalesce(project_fired.cost_money_yuan::varchar, '?')
                || '; annual_total_yuan=' || coalesce(project_fired.annual_total_yuan::varchar, '?')
                || '; ratio=' || coalesce(project_fired.cost_to_funding_ratio::varchar, '?')
        end as detail
    from project_fired
    inner join projects on project_fired.project_id = projects.project_id
),

hits as (
    select * from indicator_hits
    union all
    select * from project_hits
),

final as (
    select
        hits.anomaly_id,
        hits.rule_id,
        rules.severity,
        rules.category,
        hits.scope,
        hits.project_id,
        hits.indicator_id,
        hits.document_id,
        hits.source_file,
        hits.source_line,
        hits.detail,
        rules.message_zh,
        rules.message_en
    from hits
    left join rules on hits.rule_id = rules.rule_id
)

select * from final
