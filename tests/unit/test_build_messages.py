"""A failed dbt build is reported with what failed and why, not just 'ERROR'."""

from jixiao.build import failure_excerpt

OUTPUT = """\
00:00:01  Running with dbt=1.11.16
00:00:02  1 of 3 OK loaded seed file reference.units ......... [INSERT 50 in 0.03s]
00:00:02  2 of 3 ERROR loading seed file reference.anomaly_rules ......... [ERROR in 0.03s]
00:00:03    Compilation Error in seed anomaly_rules (seeds/anomaly_rules.csv)
  Error while parsing CSV: line 10 has 9 fields, expected 8

00:00:04  3 of 3 FAIL 2 unique_dim_project_project_id ......... [FAIL 2 in 0.01s]
00:00:05  Failure in test unique_dim_project_project_id (models/marts/_marts.yml)
00:00:05    Got 2 results, configured to fail if != 0
00:00:05  Done. PASS=1 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=3
"""


def test_excerpt_keeps_the_reasons():
    text = failure_excerpt(OUTPUT)
    assert "line 10 has 9 fields, expected 8" in text
    assert "Failure in test unique_dim_project_project_id" in text
    assert "Got 2 results" in text
    assert "Running with dbt" not in text
    assert "OK loaded seed file" not in text
