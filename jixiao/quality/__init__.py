"""The quality gate's parts (``jixiao.gate`` is the entry point).

- ``project``  the Great Expectations file context rooted at ``expectations/`` and its catalogue
- ``frames``   the DataFrames the suites validate, fetched with DuckDB (SQL in ``expectations/frames``)
- ``results``  rule results with example rows (document, line), turned from GX results
- ``history``  results kept as Parquet in the lake and loaded into the warehouse's ``quality`` schema
- ``report``   the text a person reads
"""
