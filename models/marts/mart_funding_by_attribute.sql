-- Funding by fiscal year and project attribute: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('project_attribute', ['fiscal_year', 'admin_level', 'project_attribute_code', 'project_attribute']) }}
