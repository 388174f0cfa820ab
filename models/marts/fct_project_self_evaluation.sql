-- One row per self-evaluated project (自评表): the funding block in yuan (年初预算数 A, 全年执行数 B),
-- the execution rate as printed beside B / A computed, the scores, and the same project's row in
-- dim_project where a target table of the same publisher (folded), fiscal year and name is loaded.
with self_evaluations as (
    select * from {{ ref('stg_raw__self_evaluation_projects') }}
),

funding as (
    select * from {{ ref('stg_raw__self_evaluation_funding') }}
),

evaluated as (
    select * from {{ ref('stg_raw__self_evaluation_indicators') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

units as (
    select * from {{ ref('units') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

target_documents as (
    select * from {{ ref('dim_document') }}
),

-- A funding line in yuan: the cell's own unit, else the caption's (资金情况(万元)); none: NULL.
funding_yuan as (
    select
        funding.self_evaluation_id,
        funding.funding_field,
        funding.budget_printed,
        funding.executed_printed,
        funding.rate_printed,
        funding.rate_percent,
        funding.weight,
        funding.score,
        cast(funding.budget_amount * budget_units.factor as decimal(20, 2)) as budget_yuan,
        cast(funding.executed_amount * executed_units.factor as decimal(20, 2)) as executed_yuan
    from funding
    inner join self_evaluations on funding.self_evaluation_id = self_evaluations.self_evaluation_id
    left join units as budget_units
        on
            coalesce(funding.budget_unit_printed, self_evaluations.money_unit_printed) = budget_units.unit_printed
            and budget_units.value_kind = 'money'
    left join units as executed_units
        on
            coalesce(funding.executed_unit_printed, self_evaluations.money_unit_printed)
            = executed_units.unit_printed
            and executed_units.value_kind = 'money'
),

funding_wide as (
    select
        self_evaluation_id,
        max(budget_printed) filter (where funding_field = 'annual_total') as budget_printed,
        max(budget_yuan) filter (where funding_field = 'annual_total') as budget_yuan,
        max(executed_printed) filter (where funding_field = 'annual_total') as executed_printed,
        max(executed_yuan) filter (where funding_field = 'annual_total') as executed_yuan,
        max(rate_printed) filter (where funding_field = 'annual_total') as execution_rate_printed,
        max(rate_percent) filter (where funding_field = 'annual_total') as execution_rate_percent,
        max(weight) filter (where funding_field = 'annual_total') as funding_weight,
        max(score) filter (where funding_field = 'annual_total') as funding_score,
        max(budget_yuan) filter (where funding_field = 'fiscal_appropriation') as fiscal_appropriation_budget_yuan,
        max(executed_yuan) filter (
            where funding_field = 'fiscal_appropriation'
        ) as fiscal_appropriation_executed_yuan,
        max(budget_yuan) filter (where funding_field = 'other_funds') as other_funds_budget_yuan,
        max(executed_yuan) filter (where funding_field = 'other_funds') as other_funds_executed_yuan
    from funding_yuan
    group by self_evaluation_id
),

indicator_totals as (
    select
        self_evaluation_id,
        count(*) as indicator_count,
        sum(weight) as indicator_weight_sum,
        sum(score) as indicator_score_sum
    from evaluated
    group by self_evaluation_id
),

target_projects as (
    select
        {{ fold_text('target_documents.publisher') }} as publisher_key,
        target_documents.fiscal_year,
        {{ fold_text('projects.project_name') }} as project_key,
        min(projects.project_id) as target_project_id
    from projects
    inner join target_documents on projects.document_id = target_documents.document_id
    group by all
),

final as (
    select
        self_evaluations.self_evaluation_id,
        self_evaluations.document_id,
        self_evaluations.source_file,
        self_evaluations.source_line,
        documents.fiscal_year,
        documents.publisher,
        self_evaluations.project_name,
        self_evaluations.department_printed,
        self_evaluations.department_name,
        self_evaluations.central_department_printed,
        self_evaluations.implementing_unit,
        self_evaluations.money_unit_printed,
        funding_wide.budget_printed,
        funding_wide.budget_yuan,
        funding_wide.executed_printed,
        funding_wide.executed_yuan,
        funding_wide.execution_rate_printed,
        cast(funding_wide.execution_rate_percent as decimal(10, 4)) as execution_rate_percent,
        cast(
            round(100 * funding_wide.executed_yuan / nullif(funding_wide.budget_yuan, 0), 2) as decimal(10, 4)
        ) as execution_rate_computed_percent,
        cast(funding_wide.funding_weight as decimal(10, 4)) as funding_weight,
        cast(funding_wide.funding_score as decimal(10, 4)) as funding_score,
        funding_wide.fiscal_appropriation_budget_yuan,
        funding_wide.fiscal_appropriation_executed_yuan,
        funding_wide.other_funds_budget_yuan,
        funding_wide.other_funds_executed_yuan,
        cast(coalesce(indicator_totals.indicator_count, 0) as integer) as indicator_count,
        cast(indicator_totals.indicator_weight_sum as decimal(10, 4)) as indicator_weight_sum,
        cast(indicator_totals.indicator_score_sum as decimal(10, 4)) as indicator_score_sum,
        self_evaluations.total_weight_printed,
        self_evaluations.total_score_printed,
        cast(self_evaluations.total_score as decimal(10, 4)) as total_score,
        self_evaluations.goal_target,
        self_evaluations.goal_actual,
        self_evaluations.parse_flags,
        {{ list_text('self_evaluations.parse_flags') }} as parse_flags_text,
        target_projects.target_project_id
    from self_evaluations
    inner join documents on self_evaluations.document_id = documents.document_id
    left join funding_wide on self_evaluations.self_evaluation_id = funding_wide.self_evaluation_id
    left join indicator_totals on self_evaluations.self_evaluation_id = indicator_totals.self_evaluation_id
    left join target_projects
        on
            {{ fold_text('documents.publisher') }} = target_projects.publisher_key
            and documents.fiscal_year = target_projects.fiscal_year
            and {{ fold_text('self_evaluations.project_name') }} = target_projects.project_key
)

select * from final
