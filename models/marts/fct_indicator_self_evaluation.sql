-- One row per evaluated indicator of a self-evaluation (自评表): target and actual as printed and
-- parsed, weight, score, reason; linked to the same project's target row in fct_indicator_target
-- where a target table of the same publisher (folded), fiscal year, project name and level-3 name
-- is loaded (the lowest indicator_id when several match; target_match_count says how many).
with evaluated as (
    select * from {{ ref('int_self_evaluation_values') }}
),

self_evaluations as (
    select * from {{ ref('stg_raw__self_evaluation_projects') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
),

targets as (
    select * from {{ ref('fct_indicator_target') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

target_documents as (
    select * from {{ ref('dim_document') }}
),

target_keys as (
    select
        targets.indicator_id,
        target_documents.fiscal_year,
        {{ fold_text('target_documents.publisher') }} as publisher_key,
        {{ fold_text('projects.project_name') }} as project_key,
        {{ fold_text('targets.indicator_name') }} as name_key
    from targets
    inner join projects on targets.project_id = projects.project_id
    inner join target_documents on projects.document_id = target_documents.document_id
),

evaluated_keys as (
    select
        evaluated.self_evaluation_indicator_id,
        documents.fiscal_year,
        self_evaluations.project_name,
        {{ fold_text('documents.publisher') }} as publisher_key,
        {{ fold_text('self_evaluations.project_name') }} as project_key,
        {{ fold_text('evaluated.indicator_name') }} as name_key
    from evaluated
    inner join self_evaluations on evaluated.self_evaluation_id = self_evaluations.self_evaluation_id
    inner join documents on evaluated.document_id = documents.document_id
),

matches as (
    select
        evaluated_keys.self_evaluation_indicator_id,
        min(target_keys.indicator_id) as target_indicator_id,
        count(*) as target_match_count
    from evaluated_keys
    inner join target_keys
        on
            evaluated_keys.publisher_key = target_keys.publisher_key
            and evaluated_keys.fiscal_year = target_keys.fiscal_year
            and evaluated_keys.project_key = target_keys.project_key
            and evaluated_keys.name_key = target_keys.name_key
    group by evaluated_keys.self_evaluation_indicator_id
),

final as (
    select
        evaluated.self_evaluation_indicator_id,
        evaluated.self_evaluation_id,
        evaluated.document_id,
        evaluated.source_file,
        evaluated.source_line,
        evaluated_keys.fiscal_year,
        evaluated_keys.project_name,
        evaluated.indicator_seq,
        evaluated.level1_printed,
        evaluated.level1_points_printed,
        evaluated.level2_printed,
        evaluated.level1,
        evaluated.level2,
        evaluated.indicator_name,
        evaluated.weight_printed,
        cast(evaluated.weight as decimal(10, 4)) as weight,
        evaluated.target_text,
        evaluated.target_value_kind,
        evaluated.target_comparator,
        evaluated.target_value_low,
        evaluated.target_value_high,
        evaluated.target_unit,
        evaluated.target_date,
        evaluated.actual_text,
        evaluated.actual_value_kind,
        evaluated.actual_comparator,
        evaluated.actual_value_low,
        evaluated.actual_value_high,
        evaluated.actual_unit,
        evaluated.actual_date,
        evaluated.score_printed,
        cast(evaluated.score as decimal(10, 4)) as score,
        evaluated.method_printed as scoring_method_printed,
        evaluated.reason_printed,
        evaluated.parse_flags,
        {{ list_text('evaluated.parse_flags') }} as parse_flags_text,
        matches.target_indicator_id,
        cast(coalesce(matches.target_match_count, 0) as integer) as target_match_count,
        evaluated.line_printed
    from evaluated
    inner join evaluated_keys
        on evaluated.self_evaluation_indicator_id = evaluated_keys.self_evaluation_indicator_id
    left join matches on evaluated.self_evaluation_indicator_id = matches.self_evaluation_indicator_id
)

select * from final
