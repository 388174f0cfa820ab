-- Funding by fiscal year and supervising department: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('department', ['fiscal_year', 'admin_level', 'region_name', 'department_name']) }}
