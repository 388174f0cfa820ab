{#- One parameter of the analysis marts (seeds/analysis_params.csv) as a scalar subquery. -#}
{% macro analysis_param(analysis, param) -%}
    (select ap.value from {{ ref('analysis_params') }} as ap where ap.analysis = '{{ analysis }}' and ap.param = '{{ param }}')
{%- endmacro %}
