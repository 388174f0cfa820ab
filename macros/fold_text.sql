{#- Fold a printed name for grouping: full-width ASCII (ＡＢ１２（）) to half-width and every
    space (ASCII, ideographic 　, non-breaking) removed, so 平罗县应急管理局 本级 and
    平罗县应急管理局本级 are one value. The printed text is kept beside it (<name>_printed). -#}
{% macro fold_text(expr) -%}
    nullif(regexp_replace(translate({{ expr }}, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'), '[\s　 ]+', '', 'g'), '')
{%- endmacro %}

{#- A list column as text, joined with 、 (what Excel and Superset show as it is). -#}
{% macro list_text(expr) -%}
    array_to_string({{ expr }}, '、')
{%- endmacro %}
