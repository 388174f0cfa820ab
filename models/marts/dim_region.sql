-- GB/T 2260 divisions (seed divisions) with the province and city each belongs to, so that
-- rollups can go up the hierarchy: a county's parent is its city, or its province where the
-- county is directly under the province (济源市, 仙桃市, 石河子市).
with divisions as (
    select * from {{ ref('divisions') }}
),

chained as (
    select
        divisions.code,
        divisions.name,
        divisions.short_name,
        divisions.level,
        divisions.parent_code,
        case
            when divisions.level = 'province' then divisions.code
            when parents.level = 'province' then parents.code
            else grandparents.code
        end as province_code,
        case
            when divisions.level = 'city' then divisions.code
            when parents.level = 'city' then parents.code
        end as city_code,
        divisions.valid_from,
        divisions.valid_to
    from divisions
    left join divisions as parents on divisions.parent_code = parents.code
    left join divisions as grandparents on parents.parent_code = grandparents.code
),

final as (
    select
        chained.code,
        chained.name,
        chained.short_name,
        chained.level,
        chained.parent_code,
        chained.province_code,
        provinces.name as province_name,
        chained.city_code,
        cities.name as city_name,
        chained.valid_from::integer as valid_from,
        chained.valid_to::integer as valid_to
    from chained
    left join divisions as provinces on chained.province_code = provinces.code
    left join divisions as cities on chained.city_code = cities.code
)

select * from final
