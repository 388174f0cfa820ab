-- One row per anomaly found: which rule of the catalogue (seeds/rules.csv), how severe, and the
-- source row (file + line) it names.
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

-- a funding rule names the line of the cell it is about, where there is one
cells as (
    select
        project_id,
        funding_field,
        source_line
    from {{ ref('int_funding_cells_yuan') }}
),

rules as (
    select * from {{ ref('rules') }}
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
        'indicator' as grain,
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
            case when rule_id = 'PLB-04'
                then 'fiscal_year=' || fiscal_year::varchar end
        ) as detail
    from indicator_fired
),

project_hits as (
    select
        project_fired.project_id || ':' || project_fired.rule_id as anomaly_id,
        project_fired.rule_id,
        'project' as grain,
        project_fired.project_id,
        null::varchar as indicator_id,
        project_fired.document_id,
        projects.source_file,
        coalesce(
            case project_fired.rule_id
                when 'REC-01' then annual_cell.source_line
                when 'REC-02' then coalesce(own_cell.source_line, annual_cell.source_line)
                when 'REC-03' then transfer_cell.source_line
                when 'REC-04' then annual_cell.source_line
            end,
            projects.source_line
        ) as source_line,
        case project_fired.rule_id
            when 'PLB-09'
                then 'missing=' || array_to_string(project_fired.missing_level2_categories, ',')
            when 'REC-01' then 'gap_yuan=' || project_fired.annual_gap_yuan::varchar
            when 'REC-02' then 'gap_yuan=' || project_fired.own_level_gap_yuan::varchar
            when 'REC-03' then 'gap_yuan=' || project_fired.transfer_gap_yuan::varchar
            when 'REC-04' then 'total_minus_annual_yuan=' || project_fired.project_total_over_annual_yuan::varchar
            when 'CEL-01' then 'cells=' || array_to_string(project_fired.unparsed_funding_cells, '; ')
            when 'CEL-02' then 'cells=' || array_to_string(project_fired.negative_funding_cells, '; ')
            when 'CEL-03' then 'cells=' || array_to_string(project_fired.implausible_funding_cells, '; ')
            when 'DUP-02' then 'counted_copy=' || project_fired.counted_copy_project_id
            else 'cost_money_yuan=' || coalesce(project_fired.cost_money_yuan::varchar, '?')
                || '; annual_total_yuan=' || coalesce(project_fired.annual_total_yuan::varchar, '?')
                || '; ratio=' || coalesce(project_fired.cost_to_funding_ratio::varchar, '?')
        end as detail
    from project_fired
    inner join projects on project_fired.project_id = projects.project_id
    left join cells as annual_cell
        on project_fired.project_id = annual_cell.project_id
        and annual_cell.funding_field = 'annual_total'
    left join cells as own_cell
        on project_fired.project_id = own_cell.project_id
        and own_cell.funding_field = 'own_level_total'
    left join cells as transfer_cell
        on project_fired.project_id = transfer_cell.project_id
        and transfer_cell.funding_field = 'transfer_total'
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
        rules.name as rule_name,
        rules.severity,
        rules.category,
        hits.grain,
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
