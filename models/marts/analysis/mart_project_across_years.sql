-- A project across fiscal years: each counted project linked to at most one project of the same
-- publisher in its next printed year, and back (mutual best by confidence among the candidates
-- of int_project_year_candidates, which keeps the pairs whose confidence reaches min_confidence
-- and whose names are alike (name_similarity) or whose indicators are: a rename that kept its
-- targets).
-- link_type: same_name (folded names without years equal), renamed, or split (the project's
-- money went to several successors that each have it as their best predecessor). series_id is the
-- project_id of the first year of the chain, so money and targets compare year on year.
with recursive candidates as (
    select * from {{ ref('int_project_year_candidates') }}
),

projects as (
    select * from {{ ref('dim_project') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

funding as (
    select
        project_id,
        annual_total_yuan
    from {{ ref('fct_project_funding') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by project_id_from order by confidence desc, project_id_to asc
        ) as rank_from,
        row_number() over (
            partition by project_id_to order by confidence desc, project_id_from asc
        ) as rank_to
    from candidates
),

mutual as (
    select * from ranked
    where rank_from = 1 and rank_to = 1
),

-- a split: further successors whose best predecessor is the project, kept only when the
-- successors' funding adds up to the project's (split_money_tolerance)
successors as (
    select
        ranked.*,
        count(*) over (partition by ranked.project_id_from) as successor_count,
        sum(funding.annual_total_yuan) over (partition by ranked.project_id_from) as successors_yuan
    from ranked
    inner join funding on ranked.project_id_to = funding.project_id
    where
        ranked.rank_to = 1
        and ranked.project_id_from in (select mutual.project_id_from from mutual)
),

splits as (
    select successors.*
    from successors
    inner join funding on successors.project_id_from = funding.project_id
    where
        successors.successor_count > 1
        and abs(successors.successors_yuan - funding.annual_total_yuan)
        <= {{ analysis_param('across_years', 'split_money_tolerance') }} * funding.annual_total_yuan
),

links as (
    select
        mutual.* exclude (rank_from, rank_to),
        false as is_split
    from mutual
    where mutual.project_id_from not in (select splits.project_id_from from splits)
    union all
    select
        splits.* exclude (rank_from, rank_to, successor_count, successors_yuan),
        true as is_split
    from splits
),

link_targets as (
    select project_id_to as target_id from links
),

chains as (
    select
        project_id_from as series_id,
        project_id_from,
        project_id_to,
        1 as step
    from links
    where project_id_from not in (select target_id from link_targets)
    union all
    select
        chains.series_id,
        next_link.project_id_from,
        next_link.project_id_to,
        chains.step + 1 as step
    from chains
    inner join links as next_link on chains.project_id_to = next_link.project_id_from
),

final as (
    select
        links.project_id_from || '>' || links.project_id_to as link_id,
        chains.series_id,
        chains.step::integer as series_step,
        links.project_id_from,
        links.project_id_to,
        documents_from.publisher,
        links.fiscal_year_from,
        links.fiscal_year_to,
        projects_from.project_name as project_name_from,
        projects_to.project_name as project_name_to,
        case when links.is_split then 'split' when links.same_name then 'same_name' else 'renamed' end as link_type,
        round(links.confidence, 4)::double as confidence,
        round(links.name_similarity, 4)::double as name_similarity,
        round(links.indicator_similarity, 4)::double as indicator_similarity,
        round(links.money_ratio, 4)::double as money_ratio,
        funding_from.annual_total_yuan as annual_total_yuan_from,
        funding_to.annual_total_yuan as annual_total_yuan_to,
        (funding_to.annual_total_yuan - funding_from.annual_total_yuan)::decimal(20, 2) as annual_change_yuan,
        '名称相似 ' || round(links.name_similarity, 2) || '，指标相似 ' || round(links.indicator_similarity, 2)
        || '，资金比 ' || coalesce(round(links.money_ratio, 2)::varchar, '-')
        || ' (name ' || round(links.name_similarity, 2) || ', indicators ' || round(links.indicator_similarity, 2)
        || ', money ratio ' || coalesce(round(links.money_ratio, 2)::varchar, '-') || ')' as evidence,
        documents_from.source_file as source_file_from,
        documents_to.source_file as source_file_to
    from links
    inner join chains on links.project_id_from = chains.project_id_from and links.project_id_to = chains.project_id_to
    inner join projects as projects_from on links.project_id_from = projects_from.project_id
    inner join projects as projects_to on links.project_id_to = projects_to.project_id
    inner join documents as documents_from on projects_from.document_id = documents_from.document_id
    inner join documents as documents_to on projects_to.document_id = documents_to.document_id
    left join funding as funding_from on links.project_id_from = funding_from.project_id
    left join funding as funding_to on links.project_id_to = funding_to.project_id
)

select * from final
