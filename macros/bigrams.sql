{#- The distinct character bigrams of a text (a one-character text is its own bigram). -#}
{% macro bigrams(expr) -%}
    list_distinct(
        case
            when length({{ expr }}) < 2 then [{{ expr }}]
            else list_transform(range(1, length({{ expr }})), lambda i: substr({{ expr }}, i::bigint, 2))
        end
    )
{%- endmacro %}

{#- Jaccard similarity of two lists of bigrams: shared / either. -#}
{% macro list_jaccard(a, b) -%}
    (len(list_intersect({{ a }}, {{ b }}))::double / nullif(len(list_distinct(list_concat({{ a }}, {{ b }}))), 0))
{%- endmacro %}
