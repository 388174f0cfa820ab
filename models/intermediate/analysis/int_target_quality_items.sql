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
with indicators as (
    select * from {{ ref('fct_indicator_target') }}
),

projects as (
    select
        project_id,
        document_id
    from {{ ref('dim_project') }}
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
        any_value(category_zh) as category_zh,
        list(satisfied_by_level2) as level2_values
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

mandatory_items as (
    select
        projects.project_id,
        'mandatory' as check_id,
        categories.category_key as item_id,
        null::varchar as indicator_id,
        exists(
            select 1 from indicators
            where
                indicators.project_id = projects.project_id
                and list_contains(categories.level2_values, indicators.level2)
        ) as passed,
        '缺少 ' || categories.category_zh || ' 指标 (missing ' || categories.category_key || ')' as detail
    from projects
    cross join categories
),

expected as (
    select
        indicators.indicator_id,
        indicators.project_id,
        indicators.comparator,
        indicators.target_text,
        directions.expected_direction,
        row_number() over (
            partition by indicators.indicator_id order by directions.priority, directions.name_pattern
        ) as match_rank
    from indicators
    inner join directions
        on
            indicators.level2 = directions.level2
            and (directions.name_pattern is null or regexp_matches(indicators.indicator_name, directions.name_pattern))
    where indicators.comparator in ('>=', '>', '<=', '<')
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
    where match_rank = 1
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
