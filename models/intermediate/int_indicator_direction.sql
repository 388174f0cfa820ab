-- What a target promises, in one number and one direction:
-- target_value is the number whatever the comparator (≥95% -> 95 from value_low, ≤5% -> 5 from
-- value_high, 12次 -> 12; a range or a date promises no single number: NULL), in the unit of
-- value_low / value_high (yuan for money, the printed 0-100 for percent).
-- direction is 'higher_is_better' | 'lower_is_better' | NULL, decided in the one CTE
-- direction_from_comparator_and_category below; direction_basis says what decided it. A
-- direction the document prints (正向 / 反向, other provinces' forms) takes precedence.
with indicator_values as (
    select * from {{ ref('int_indicator_values') }}
),

categories as (
    select * from {{ ref('level2_categories') }}
),

lower_is_better_cues as (
    select cue from {{ ref('indicator_name_cues') }}
    where cue_class = 'lower_is_better'
),

named as (
    select
        indicator_values.indicator_id,
        indicator_values.comparator,
        indicator_values.value_kind,
        indicator_values.value_low,
        indicator_values.value_high,
        indicator_values.qualitative_direction,
        indicator_values.direction_printed,
        categories.level2_key,
        categories.level2_zh,
        categories.level2_en,
        case indicator_values.value_kind
            when 'money' then categories.direction_money
            when 'count' then categories.direction_count
            when 'percent' then categories.direction_percent
        end as category_direction,
        exists(
            select 1 from lower_is_better_cues
            where contains(indicator_values.name_key, lower_is_better_cues.cue)
        ) as has_lower_is_better_cue
    from indicator_values
    left join categories on indicator_values.level2 = categories.level2
),

-- The printed comparator first (≥ / ≤), then a deadline (sooner is better), then a name cue
-- (投诉率: lower), then the category's default for the value kind, then the wording of a
-- qualitative target (提升: higher, 下降: lower). Nothing else is guessed. A printed
-- 正向 / 反向 comes before all of them.
direction_from_comparator_and_category as (
    select
        indicator_id,
        case
            when direction_printed like '正向%' then 'higher_is_better'
            when direction_printed like '反向%' then 'lower_is_better'
            when comparator in ('>=', '>') then 'higher_is_better'
            when comparator in ('<=', '<') then 'lower_is_better'
            when value_kind = 'date' then 'lower_is_better'
            when value_kind in ('money', 'count', 'percent') and has_lower_is_better_cue then 'lower_is_better'
            when value_kind in ('money', 'count', 'percent') then category_direction
            when value_kind = 'text' and qualitative_direction = 'increase' then 'higher_is_better'
            when value_kind = 'text' and qualitative_direction = 'decrease' then 'lower_is_better'
        end as direction,
        case
            when direction_printed like '正向%' or direction_printed like '反向%' then 'printed'
            when comparator in ('>=', '>', '<=', '<') then 'comparator'
            when value_kind = 'date' then 'deadline'
            when value_kind in ('money', 'count', 'percent') and has_lower_is_better_cue then 'name_cue'
            when value_kind in ('money', 'count', 'percent') and category_direction is not null then 'category'
            when value_kind = 'text' and qualitative_direction in ('increase', 'decrease') then 'wording'
        end as direction_basis
    from named
),

final as (
    select
        named.indicator_id,
        named.level2_key,
        named.level2_zh,
        named.level2_en,
        case
            when named.comparator in ('>=', '>') then named.value_low
            when named.comparator in ('<=', '<') then named.value_high
            when named.comparator = '=' then coalesce(named.value_low, named.value_high)
        end as target_value,
        direction_from_comparator_and_category.direction,
        direction_from_comparator_and_category.direction_basis
    from named
    inner join direction_from_comparator_and_category
        on named.indicator_id = direction_from_comparator_and_category.indicator_id
)

select * from final
