-- Funding rolled up by fiscal year, administrative level, region, department, implementing unit,
-- project attribute and, through the GB/T 2260 codes, province, city and county, in yuan and 万元.
-- A province row adds every document published in the province (its own, its cities' and its
-- counties'); a city row its own and its counties'; a county row the county's; a document whose
-- division is undecided (DIV-01) is left out of these three. Money transferred down to cities/counties
-- (转移市县资金) is kept apart from own-level money: to add a province and its counties
-- without counting money twice, add own_level_yuan (money budgeted for spending at that
-- level), never annual_total_yuan (which includes what the province passes down and the
-- county budgets again).
-- Project facts (document year, level, region, canonical attribute) come from dim_project; a
-- project printed in several documents is counted once (dim_project.is_counted).
with projects as (
    select * from {{ ref('dim_project') }}
),

funding as (
    select * from {{ ref('int_project_funding_yuan') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

base as (
    select
        projects.fiscal_year,
        projects.admin_level,
        projects.region_name,
        regions.province_code,
        regions.province_name,
        regions.city_code,
        regions.city_name,
        case when regions.level = 'county' then regions.code end as county_code,
        case when regions.level = 'county' then regions.name end as county_name,
        -- the same unit printed with and without a space (平罗县应急管理局 本级) is one unit
        {{ fold_text('projects.department_name') }} as department_name,
        projects.implementing_unit,
        projects.project_attribute_code,
        coalesce(projects.project_attribute_canonical, projects.project_attribute) as project_attribute,
        funding.annual_total_yuan,
        -- county layout has no sides: the whole annual total is spent at its own level
        coalesce(
            funding.own_level_total_yuan,
            funding.annual_total_yuan - coalesce(funding.transfer_total_yuan, 0)
        ) as own_level_yuan,
        coalesce(funding.transfer_total_yuan, 0) as transferred_down_yuan,
        funding.fiscal_appropriation_yuan,
        funding.other_funds_yuan,
        funding.carryover_yuan,
        funding.transfer_central_yuan,
        funding.transfer_regional_yuan
    from projects
    left join funding on projects.project_id = funding.project_id
    left join documents on projects.document_id = documents.document_id
    left join regions on documents.division_code = regions.code
    -- a project printed in several documents is counted once (dim_project.is_counted, DUP-02)
    where projects.is_counted
),

rolled as (
    select
        case
            when grouping(department_name) = 0 then 'department'
            when grouping(implementing_unit) = 0 then 'implementing_unit'
            when grouping(project_attribute_code) = 0 then 'project_attribute'
            when grouping(county_code) = 0 then 'county'
            when grouping(city_code) = 0 then 'city'
            when grouping(province_code) = 0 then 'province'
            when grouping(region_name) = 0 then 'region'
            when grouping(admin_level) = 0 then 'admin_level'
            else 'fiscal_year'
        end as rollup_by,
        fiscal_year,
        admin_level,
        region_name,
        department_name,
        implementing_unit,
        project_attribute_code,
        province_code,
        -- min, not any_value: the same rows give the same names in every build (incremental or full)
        min(province_name) as province_name,
        city_code,
        min(city_name) as city_name,
        county_code,
        min(county_name) as county_name,
        min(project_attribute) as project_attribute,
        count(*) as project_count,
        sum(annual_total_yuan) as annual_total_yuan,
        sum(own_level_yuan) as own_level_yuan,
        sum(transferred_down_yuan) as transferred_down_yuan,
        sum(fiscal_appropriation_yuan) as fiscal_appropriation_yuan,
        sum(other_funds_yuan) as other_funds_yuan,
        sum(carryover_yuan) as carryover_yuan,
        sum(transfer_central_yuan) as transfer_central_yuan,
        sum(transfer_regional_yuan) as transfer_regional_yuan
    from base
    group by grouping sets (
        (fiscal_year),
        (fiscal_year, admin_level),
        (fiscal_year, admin_level, region_name),
        (fiscal_year, admin_level, region_name, department_name),
        (fiscal_year, admin_level, region_name, implementing_unit),
        (fiscal_year, admin_level, project_attribute_code),
        (fiscal_year, province_code),
        (fiscal_year, province_code, city_code),
        (fiscal_year, province_code, city_code, county_code)
    )
),

final as (
    select
        concat_ws(
            '|', rollup_by, coalesce(fiscal_year::varchar, ''), coalesce(admin_level, ''),
            coalesce(region_name, ''), coalesce(department_name, ''), coalesce(implementing_unit, ''),
            coalesce(project_attribute_code, '')
        )
        -- division rows add their codes (the keys of the other rows are unchanged)
        || case
            when rollup_by in ('province', 'city', 'county')
                then concat_ws(
                    '|', '', province_code, coalesce(city_code, ''), coalesce(county_code, '')
                )
            else ''
        end as rollup_key,
        rollup_by,
        fiscal_year,
        admin_level,
        region_name,
        department_name,
        implementing_unit,
        project_attribute_code,
        case when rollup_by = 'project_attribute' then project_attribute end as project_attribute,
        province_code,
        province_name,
        city_code,
        city_name,
        county_code,
        county_name,
        project_count::integer as project_count,
        annual_total_yuan::decimal(20, 2) as annual_total_yuan,
        (annual_total_yuan / 10000)::decimal(20, 6) as annual_total_wan,
        own_level_yuan::decimal(20, 2) as own_level_yuan,
        (own_level_yuan / 10000)::decimal(20, 6) as own_level_wan,
        transferred_down_yuan::decimal(20, 2) as transferred_down_yuan,
        (transferred_down_yuan / 10000)::decimal(20, 6) as transferred_down_wan,
        fiscal_appropriation_yuan::decimal(20, 2) as fiscal_appropriation_yuan,
        other_funds_yuan::decimal(20, 2) as other_funds_yuan,
        carryover_yuan::decimal(20, 2) as carryover_yuan,
        transfer_central_yuan::decimal(20, 2) as transfer_central_yuan,
        transfer_regional_yuan::decimal(20, 2) as transfer_regional_yuan
    from rolled
    -- a province, city or county row needs its code (not a document without a decided division,
    -- nor, on city and county rows, documents published above that level)
    where not (
        (rollup_by = 'province' and province_code is null)
        or (rollup_by = 'city' and city_code is null)
        or (rollup_by = 'county' and county_code is null)
    )
)

select * from final
