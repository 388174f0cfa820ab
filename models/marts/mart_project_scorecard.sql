-- depends_on: {{ ref('rules') }}
-- Per project: its money, how many targets per level-2 category, how many are quantified,
-- which mandatory categories are missing, and how many anomalies of each severity it has.
-- Project facts (document year, level, region) come from dim_project, joined once there.
with projects as (
    select * from {{ ref('dim_project') }}
),

funding as (
    select * from {{ ref('int_project_funding_yuan') }}
),

indicator_flags as (
    select * from {{ ref('int_indicator_flags') }}
),

project_flags as (
    select * from {{ ref('int_project_flags') }}
),

rules as (
    select
        rule_id,
        severity
    from {{ ref('rules') }}
),

cost_level2 as (
    select satisfied_by_level2 as level2 from {{ ref('mandatory_level2') }}
where category_key = 'cost'
),

indicator_counts as (
    select
        project_id,
        count(*) as indicator_count,
        count(*) filter (where value_kind <> 'not_applicable') as applicable_indicator_count,
        count(*) filter (where is_quantified) as quantified_count,
        count(*) filter (where value_kind = 'text') as qualitative_count,
        count(*) filter (where level2 = '数量指标') as count_quantity,
        count(*) filter (where level2 = '质量指标') as count_quality,
        count(*) filter (where level2 = '时效指标') as count_timeliness,
        count(*) filter (where level2 in (select level2 from cost_level2)) as count_cost,
        count(*) filter (where level2 = '经济效益指标') as count_economic_benefit,
        count(*) filter (where level2 = '社会效益指标') as count_social_benefit,
        count(*) filter (where level2 = '生态效益指标') as count_ecological_benefit,
        count(*) filter (where level2 = '可持续影响指标') as count_sustainability,
        count(*) filter (where level2 = '服务对象满意度指标') as count_satisfaction
    from indicator_flags
    group by project_id
),

fired as (
    select
        project_id,
        unnest(anomaly_rule_ids) as rule_id
    from indicator_flags
    union all
    select
        project_id,
        unnest(project_anomaly_rule_ids) as rule_id
    from project_flags
),

anomaly_counts as (
    select
        fired.project_id,
        count(*) as anomaly_count,
        count(*) filter (where rules.severity = 'critical') as critical_anomaly_count,
        count(*) filter (where rules.severity = 'warning') as warning_anomaly_count,
        count(*) filter (where rules.severity = 'info') as info_anomaly_count
    from fired
    left join rules on fired.rule_id = rules.rule_id
    group by fired.project_id
),

final as (
    select
        projects.project_id,
        projects.document_id,
        projects.project_name,
        projects.department_name,
        projects.implementing_unit,
        projects.project_attribute_code,
        projects.fiscal_year,
        projects.admin_level,
        projects.region_name,
        funding.annual_total_yuan,
        funding.own_level_total_yuan,
        funding.transfer_total_yuan,
        coalesce(indicator_counts.indicator_count, 0)::integer as indicator_count,
        coalesce(indicator_counts.applicable_indicator_count, 0)::integer as applicable_indicator_count,
        coalesce(indicator_counts.quantified_count, 0)::integer as quantified_count,
        coalesce(indicator_counts.qualitative_count, 0)::integer as qualitative_count,
        (
            indicator_counts.quantified_count / nullif(indicator_counts.applicable_indicator_count, 0)
        )::decimal(6, 4) as share_quantified,
        coalesce(indicator_counts.count_quantity, 0)::integer as count_quantity,
        coalesce(indicator_counts.count_quality, 0)::integer as count_quality,
        coalesce(indicator_counts.count_timeliness, 0)::integer as count_timeliness,
        coalesce(indicator_counts.count_cost, 0)::integer as count_cost,
        coalesce(indicator_counts.count_economic_benefit, 0)::integer as count_economic_benefit,
        coalesce(indicator_counts.count_social_benefit, 0)::integer as count_social_benefit,
        coalesce(indicator_counts.count_ecological_benefit, 0)::integer as count_ecological_benefit,
        coalesce(indicator_counts.count_sustainability, 0)::integer as count_sustainability,
        coalesce(indicator_counts.count_satisfaction, 0)::integer as count_satisfaction,
        project_flags.cost_money_yuan,
        project_flags.cost_to_funding_ratio,
        project_flags.missing_level2_categories,
        project_flags.missing_level2_keys,
        project_flags.funding_check_failures,
        {{ flag_columns('project', 'project_flags') }}
        project_flags.counted_copy_project_id,
        project_flags.project_anomaly_rule_ids,
        coalesce(anomaly_counts.anomaly_count, 0)::integer as anomaly_count,
        coalesce(anomaly_counts.critical_anomaly_count, 0)::integer as critical_anomaly_count,
        coalesce(anomaly_counts.warning_anomaly_count, 0)::integer as warning_anomaly_count,
        coalesce(anomaly_counts.info_anomaly_count, 0)::integer as info_anomaly_count,
        projects.source_file,
        projects.source_line,
        coalesce(
            funding.own_level_total_yuan,
            funding.annual_total_yuan - coalesce(funding.transfer_total_yuan, 0)
        )::decimal(20, 2) as own_level_yuan,
        {{ list_text('project_flags.missing_level2_categories') }} as missing_level2_categories_text,
        {{ list_text('project_flags.missing_level2_keys') }} as missing_level2_keys_text,
        {{ list_text('project_flags.funding_check_failures') }} as funding_check_failures_text,
        {{ list_text('project_flags.project_anomaly_rule_ids') }} as project_anomaly_rule_ids_text
    from projects
    left join funding on projects.project_id = funding.project_id
    left join indicator_counts on projects.project_id = indicator_counts.project_id
    left join project_flags on projects.project_id = project_flags.project_id
    left join anomaly_counts on projects.project_id = anomaly_counts.project_id
)

select * from final
