-- The rows behind the target-quality score (财预〔2021〕101号; checks in
-- seeds/target_quality_checks.csv): one row per project, check and item it judges.
--   quantified   an applicable output, cost or satisfaction indicator (not 无, not blank) is
--                quantified (the guidance asks numbers of these);
--   mandatory    a mandatory category (seeds/mandatory_level2.csv) has at least one indicator;
--   direction    a one-sided target points the way seeds/target_directions.csv expects;
--   placeholder  a printed indicator is not a template placeholder (***户, **%);
--   vague        an applicable effect indicator (效益指标, where words are allowed) is a number
--                or names a direction of change (提升, 下降: seeds/target_vocabulary.csv);
--                wording that promises nothing measurable (长期, 良好, 持续稳定) fails.
-- A project's rows depend only on its own indicators and the seeds (a seed change is a full
-- build), so the model is incremental by document (the document of a project id: no
-- document_id column).
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_delta_documents(key=project_document()) }}",
    meta={'document_key': project_document()},
) }}
with indicators as (
    select * from {{ ref('fct_indicator_target') }}
    {{ delta_documents_only() }}
),

projects as (
    select
        project_id,
        document_id
    from {{ ref('dim_project') }}
    {{ delta_documents_only() }}
),

mandatory as (
    select * from {{ ref('mandatory_level2') }}
),

directions as (
    select * from {{ ref('target_directions') }}
),

categories as (
    select
        category_key,
        any_value(category_zh) as category_zh
    from mandatory
    group by category_key
),

printed as (
    select * from indicators
    where value_kind not in ('not_applicable', 'empty')
),

quantified_items as (
    select
        project_id,
        'quantified' as check_id,
        indicator_id as item_id,
        indicator_id,
        is_quantified as passed,
        '未量化 (not quantified, ' || value_kind || '): ' || target_text as detail
    from printed
    where level1 <> '效益指标'
),

-- the mandatory categories a project has an indicator of, by an equality join on level 2
satisfied as (
    select distinct
        indicators.project_id,
        mandatory.category_key
    from indicators
    inner join mandatory on indicators.level2 = mandatory.satisfied_by_level2
),

mandatory_items as (
    select
        projects.project_id,
        'mandatory' as check_id,
        categories.category_key as item_id,
        null::varchar as indicator_id,
        satisfied.project_id is not null as passed,
        '缺少 ' || categories.category_zh || ' 指标 (missing ' || categories.category_key || ')' as detail
    from projects
    cross join categories
    left join satisfied
        on projects.project_id = satisfied.project_id and categories.category_key = satisfied.category_key
),

one_sided as (
    select * from indicators
    where comparator in ('>=', '>', '<=', '<')
),

-- each distinct (level 2, name) is matched once: a pattern read from a column is compiled per row
one_sided_names as (
    select distinct
        level2,
        indicator_name
    from one_sided
),

name_directions as (
    select
        one_sided_names.level2,
        one_sided_names.indicator_name,
        directions.expected_direction,
        row_number() over (
            partition by one_sided_names.level2, one_sided_names.indicator_name
            order by directions.priority, directions.name_pattern
        ) as match_rank
    from one_sided_names
    inner join directions
        on
            one_sided_names.level2 = directions.level2
            and (
                directions.name_pattern is null
                or regexp_matches(one_sided_names.indicator_name, directions.name_pattern)
            )
),

expected as (
    select
        one_sided.indicator_id,
        one_sided.project_id,
        one_sided.comparator,
        one_sided.target_text,
        name_directions.expected_direction
    from one_sided
    inner join name_directions
        on
            one_sided.level2 = name_directions.level2
            and one_sided.indicator_name is not distinct from name_directions.indicator_name
            and name_directions.match_rank = 1
),

direction_items as (
    select
        project_id,
        'direction' as check_id,
        indicator_id as item_id,
        indicator_id,
        case expected_direction
            when 'upper' then comparator in ('<=', '<')
            else comparator in ('>=', '>')
        end as passed,
        '应为' || case expected_direction when 'upper' then '上限' else '下限' end
        || ' (expected ' || expected_direction || ' bound): ' || target_text as detail
    from expected
),

placeholder_items as (
    select
        project_id,
        'placeholder' as check_id,
        indicator_id as item_id,
        indicator_id,
        value_kind <> 'placeholder' as passed,
        '占位符 (placeholder): ' || target_text as detail
    from printed
),

vague_items as (
    select
        project_id,
        'vague' as check_id,
        indicator_id as item_id,
        indicator_id,
        value_kind <> 'text' or coalesce(qualitative_direction in ('increase', 'decrease'), false) as passed,
        '模糊表述 (vague, no direction of change): ' || target_text as detail
    from printed
    where level1 = '效益指标'
),

items as (
    select * from quantified_items
    union all
    select * from mandatory_items
    union all
    select * from direction_items
    union all
    select * from placeholder_items
    union all
    select * from vague_items
),

final as (
    select
        project_id,
        check_id,
        item_id,
        indicator_id,
        passed,
        case when not passed then detail end as detail
    from items
)

select * from final
