{#- The funding cells of both layouts, in the order the contract lists them. -#}
{% macro funding_fields() -%}
    {{ return(['project_total', 'annual_total', 'fiscal_appropriation', 'other_funds', 'carryover',
               'own_level_total', 'transfer_total', 'transfer_central', 'transfer_regional']) }}
{%- endmacro %}
