-- depends_on: {{ ref('rules') }}
{{ config(materialized='incremental', on_schema_change='fail', pre_hook="{{ delete_delta_documents() }}") }}
-- One boolean per indicator-level rule of the catalogue (seeds/rules.csv, grain indicator,
-- checked in the models), beside the values.
-- Each rule reads its reference data from seeds: level2_value_kinds + indicator_name_cues for
-- the kind check, target_vocabulary for what counts as 无.
with indicator_values as (
    select * from {{ ref('int_indicator_values') }}
    {{ delta_documents_only() }}
),

documents as (
    select
        document_id,
        fiscal_year
    from {{ ref('stg_raw__documents') }}
),

level2_kinds as (
    select * from {{ ref('level2_value_kinds') }}
),

name_cues as (
    select * from {{ ref('indicator_name_cues') }}
),

not_applicable_terms as (
    select term from {{ ref('target_vocabulary') }}
    where value_kind = 'not_applicable' and match_type = 'exact'
),

-- A kind fits its level 2 when the seed lists the pair, unless the name carries a cue the
-- pair excludes (a quality rate 合格率 under 数量指标 / 时效指标).
kind_fit as (
    select
        indicator_values.indicator_id,
        bool_or(
            level2_kinds.level2 is not null
            and (
                level2_kinds.unless_name_cue is null
                or not exists (
                    select 1 from name_cues
                    where name_cues.cue_class = level2_kinds.unless_name_cue
                        and contains(indicator_values.name_key, name_cues.cue)
                )
            )
        ) as is_kind_fit
    from indicator_values
    left join level2_kinds
        on indicator_values.level2 = level2_kinds.level2
        and indicator_values.value_kind = level2_kinds.value_kind
    group by indicator_values.indicator_id
),

constrained_level2 as (
    select distinct level2 from level2_kinds
),

-- Money siblings: absolute amounts (no denominator) of the same project, by printed unit factor.
money_rows as (
    select
        indicator_id,
        project_id,
        value_yuan,
        unit_factor
    from indicator_values
    where value_kind = 'money' and not is_per_unit and value_yuan > 0
),

factor_counts as (
    select
        project_id,
        unit_factor,
        count(*) as row_count
    from money_rows
    group by project_id, unit_factor
),

project_money_counts as (
    select
        project_id,
        count(*) as row_count
    from money_rows
    group by project_id
),

dominant_factor as (
    select
        factor_counts.project_id,
        factor_counts.unit_factor as dominant_unit_factor
    from factor_counts
    inner join project_money_counts on factor_counts.project_id = project_money_counts.project_id
    where factor_counts.row_count * 2 > project_money_counts.row_count and factor_counts.row_count >= 2
),

dominant_median as (
    select
        money_rows.project_id,
        dominant_factor.dominant_unit_factor,
        median(money_rows.value_yuan) as median_yuan
    from money_rows
    inner join dominant_factor
        on money_rows.project_id = dominant_factor.project_id
        and money_rows.unit_factor = dominant_factor.dominant_unit_factor
    group by money_rows.project_id, dominant_factor.dominant_unit_factor
),

magnitude as (
    select
        money_rows.indicator_id,
        money_rows.unit_factor <> dominant_median.dominant_unit_factor
        and greatest(money_rows.value_yuan, dominant_median.median_yuan)
        / least(money_rows.value_yuan, dominant_median.median_yuan)
        >= {{ rule_threshold('PLB-06') }} as is_magnitude_outlier
    from money_rows
    inner join dominant_median on money_rows.project_id = dominant_median.project_id
),

-- Same level-3 name twice in a project and horizon (a side-by-side form prints each name
-- once per horizon): under the same level 2, or with the same target.
duplicates as (
    select distinct a.indicator_id
    from indicator_values as a
    inner join indicator_values as b
        on a.project_id = b.project_id
        and a.indicator_id <> b.indicator_id
        and a.name_key = b.name_key
        and a.horizon = b.horizon
        and (a.level2 is not distinct from b.level2 or a.target_key = b.target_key)
    where a.name_key <> ''
        and a.value_kind <> 'not_applicable'
        and b.value_kind <> 'not_applicable'
        and a.name_key not in (select term from not_applicable_terms)
),

flagged as (
    select
        indicator_values.*,
        documents.fiscal_year,
        {{ rule_enabled('PLB-07') }}
        and coalesce(
            indicator_values.is_quantified
            and indicator_values.level2 in (select level2 from constrained_level2)
            and not coalesce(kind_fit.is_kind_fit, false),
            false
        ) as flag_kind_mismatch_level2,
        {{ rule_enabled('PLB-04') }}
        and coalesce(
            indicator_values.value_kind = 'date' and year(indicator_values.target_date) <> documents.fiscal_year,
            false
        ) as flag_deadline_outside_fiscal_year,
        {{ rule_enabled('PLB-05') }}
        and coalesce(indicator_values.value_kind = 'placeholder', false) as flag_placeholder_unfilled,
        {{ rule_enabled('PLB-06') }}
        and coalesce(magnitude.is_magnitude_outlier, false) as flag_money_magnitude_outlier,
        {{ rule_enabled('PLB-11') }}
        and duplicates.indicator_id is not null as flag_duplicate_indicator_name,
        {{ rule_enabled('PLB-12') }}
        and coalesce(
            indicator_values.value_kind not in ('not_applicable', 'empty')
            and indicator_values.name_key = indicator_values.target_key,
            false
        ) as flag_target_equals_name,
        {{ rule_enabled('PLB-08') }}
        and coalesce(indicator_values.value_kind = 'empty', false) as flag_target_empty,
        {{ rule_enabled('RNG-03') }}
        and coalesce(
            indicator_values.value_kind = 'percent'
            and (
                indicator_values.value_low not between 0 and 100
                or indicator_values.value_high not between 0 and 100
            ),
            false
        ) as flag_percent_out_of_range,
        {{ rule_enabled('CEL-04') }} and indicator_values.is_number_unreadable as flag_target_number_unreadable,
        {{ rule_enabled('CEL-05') }} and indicator_values.is_number_implausible as flag_target_number_implausible
    from indicator_values
    left join documents on indicator_values.document_id = documents.document_id
    left join kind_fit on indicator_values.indicator_id = kind_fit.indicator_id
    left join magnitude on indicator_values.indicator_id = magnitude.indicator_id
    left join duplicates on indicator_values.indicator_id = duplicates.indicator_id
),

final as (
    select
        flagged.*,
        {{ fired_rule_ids('indicator') }} as anomaly_rule_ids
    from flagged
)

select * from final
