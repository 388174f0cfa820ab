"""Jixiao orchestration: which documents changed, dbt, the quality gate, publishing.

No parsing and no business rules live here (those are in ``ingest`` and ``models``).
"""
