-- Funding by fiscal year: one grouping of mart_funding_rollup (macros/funding_by.sql).
{{ funding_by('fiscal_year', ['fiscal_year']) }}
