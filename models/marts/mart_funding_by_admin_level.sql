-- Funding by fiscal year and administrative level: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('admin_level', ['fiscal_year', 'admin_level']) }}
