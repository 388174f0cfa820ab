-- Funding by fiscal year and region: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('region', ['fiscal_year', 'admin_level', 'region_name']) }}
