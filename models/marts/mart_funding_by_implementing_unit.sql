-- Funding by fiscal year and implementing unit: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('implementing_unit', ['fiscal_year', 'admin_level', 'region_name', 'implementing_unit']) }}
