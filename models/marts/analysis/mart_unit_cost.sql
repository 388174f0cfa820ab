-- Unit costs against peers. Two measures of what one unit of output costs:
--   implied: a project's annual funding / one of its quantity targets (数量指标, count kind, a unit
--            of seeds/unit_cost_quantity_units.csv; a range counts its upper end);
--   printed: a printed per-unit cost target (≤2.5万元/家 -> 25000 元/家).
-- Peers: implied costs of the same indicator cluster and unit (int_indicator_clusters), printed
-- costs of the same unit, in counted projects only. Spread is taken on the log10 scale (median
-- absolute deviation); an outlier is at least outlier_fold times off the peer median and, where the
-- peers spread, at least outlier_robust_z robust deviations out (seeds/analysis_params.csv).
-- A printed unit cost is multiplied by the project's quantity target of the same denominator
-- (the most alike name by character Jaccard when several) and set against the funding and the
-- project's money-total cost targets.
with indicators as (
    select * from {{ ref('fct_indicator_target') }}
),

clusters as (
    select * from {{ ref('int_indicator_clusters') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

funding as (
    select * from {{ ref('fct_project_funding') }}
),

scorecard as (
    select
        project_id,
        cost_money_yuan
    from {{ ref('mart_project_scorecard') }}
),

quantity_units as (
    select unit from {{ ref('unit_cost_quantity_units') }}
),

quantity_level2 as (
    select satisfied_by_level2 as level2 from {{ ref('mandatory_level2') }}
    where category_key = 'quantity'
),

quantities as (
    select
        indicators.indicator_id,
        indicators.project_id,
        indicators.indicator_name,
        indicators.unit,
        case
            when indicators.comparator = 'range' then indicators.value_high
            else coalesce(indicators.value_low, indicators.value_high)
        end as quantity
    from indicators
    where
        indicators.value_kind = 'count'
        and indicators.level2 in (select level2 from quantity_level2)
        and indicators.unit in (select unit from quantity_units)
),

implied as (
    select
        'implied' as measure,
        quantities.indicator_id,
        quantities.project_id,
        quantities.quantity,
        funding.annual_total_yuan as money_yuan,
        '元/' || quantities.unit as unit,
        funding.annual_total_yuan::double / quantities.quantity as unit_cost_yuan
    from quantities
    inner join funding on quantities.project_id = funding.project_id
    where quantities.quantity > 0 and funding.annual_total_yuan > 0
),

printed as (
    select
        'printed' as measure,
        indicator_id,
        project_id,
        null::double as quantity,
        null::decimal(20, 2) as money_yuan,
        unit,
        value_yuan::double as unit_cost_yuan
    from indicators
    where value_kind = 'money' and is_per_unit and value_yuan > 0 and unit like '元/%'
),

candidates as (
    select * from implied
    union all
    select * from printed
),

observations as (
    select
        obs.*,
        clusters.cluster_id,
        clusters.cluster_zh,
        case
            when obs.measure = 'implied' then 'implied|' || clusters.cluster_id || '|' || obs.unit
            else 'printed|' || obs.unit
        end as peer_group,
        log10(obs.unit_cost_yuan) as log_cost
    from candidates as obs
    inner join projects on obs.project_id = projects.project_id
    inner join clusters on obs.indicator_id = clusters.indicator_id
    where projects.is_counted
),

centred as (
    select
        *,
        count(distinct project_id) over (partition by peer_group) - 1 as peer_count,
        median(log_cost) over (partition by peer_group) as peer_median_log
    from observations
),

spread as (
    select
        *,
        median(abs(log_cost - peer_median_log)) over (partition by peer_group) as peer_mad_log10,
        quantile_cont(unit_cost_yuan, 0.25) over (partition by peer_group) as peer_p25_yuan,
        quantile_cont(unit_cost_yuan, 0.75) over (partition by peer_group) as peer_p75_yuan
    from centred
),

scored as (
    select
        *,
        pow(10, peer_median_log) as peer_median_yuan,
        pow(10, log_cost - peer_median_log) as fold_from_median,
        (log_cost - peer_median_log) / nullif(1.4826 * peer_mad_log10, 0) as robust_z
    from spread
),

flagged as (
    select
        *,
        coalesce(
            peer_count >= {{ analysis_param('unit_cost', 'min_peers') }}
            and abs(log_cost - peer_median_log) >= log10({{ analysis_param('unit_cost', 'outlier_fold') }})
            and (
                peer_mad_log10 = 0
                or abs(robust_z) >= {{ analysis_param('unit_cost', 'outlier_robust_z') }}
            ),
            false
        ) as is_outlier
    from scored
),

denominator_matches as (
    select
        flagged.indicator_id,
        quantities.indicator_id as quantity_indicator_id,
        quantities.quantity,
        row_number() over (
            partition by flagged.indicator_id
            order by jaccard(printed_row.indicator_name, quantities.indicator_name) desc, quantities.indicator_id
        ) as match_rank
    from flagged
    inner join indicators as printed_row on flagged.indicator_id = printed_row.indicator_id
    inner join quantities
        on
            flagged.project_id = quantities.project_id
            and quantities.unit = split_part(flagged.unit, '/', 2)
    where flagged.measure = 'printed' and quantities.quantity > 0
),

final as (
    select
        flagged.measure || ':' || flagged.indicator_id as unit_cost_id,
        flagged.measure,
        flagged.indicator_id,
        flagged.project_id,
        projects.document_id,
        projects.project_name,
        projects.department_name,
        documents.publisher,
        documents.fiscal_year,
        documents.admin_level,
        documents.region_name,
        indicators.level2,
        indicators.indicator_name,
        indicators.target_text,
        flagged.cluster_id,
        flagged.cluster_zh,
        flagged.unit,
        flagged.quantity::double as quantity,
        flagged.money_yuan::decimal(20, 2) as money_yuan,
        flagged.unit_cost_yuan::double as unit_cost_yuan,
        flagged.peer_group,
        flagged.peer_count::integer as peer_count,
        flagged.peer_median_yuan::double as peer_median_yuan,
        flagged.peer_p25_yuan::double as peer_p25_yuan,
        flagged.peer_p75_yuan::double as peer_p75_yuan,
        flagged.peer_mad_log10::double as peer_mad_log10,
        flagged.fold_from_median::double as fold_from_median,
        flagged.robust_z::double as robust_z,
        flagged.is_outlier,
        denominator_matches.quantity_indicator_id,
        denominator_matches.quantity::double as matched_quantity,
        (flagged.unit_cost_yuan * denominator_matches.quantity)::double as unit_cost_times_quantity_yuan,
        funding.annual_total_yuan,
        scorecard.cost_money_yuan,
        case
            when flagged.measure <> 'printed' then null
            when denominator_matches.quantity is null then 'no_quantity'
            when
                flagged.unit_cost_yuan * denominator_matches.quantity
                > funding.annual_total_yuan * (1 + {{ analysis_param('unit_cost', 'consistency_tolerance') }})
                then 'exceeds_funding'
            when
                scorecard.cost_money_yuan > 0
                and flagged.unit_cost_yuan * denominator_matches.quantity
                > scorecard.cost_money_yuan * (1 + {{ analysis_param('unit_cost', 'consistency_tolerance') }})
                then 'exceeds_cost_total'
            else 'consistent'
        end as consistency_status,
        indicators.source_file,
        indicators.source_line
    from flagged
    inner join indicators on flagged.indicator_id = indicators.indicator_id
    inner join projects on flagged.project_id = projects.project_id
    inner join documents on projects.document_id = documents.document_id
    left join funding on flagged.project_id = funding.project_id
    left join scorecard on flagged.project_id = scorecard.project_id
    left join denominator_matches
        on flagged.indicator_id = denominator_matches.indicator_id and denominator_matches.match_rank = 1
)

select * from final
