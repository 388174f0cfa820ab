"""Jixiao orchestration: which documents changed, dbt, the quality gate, publishing.

No parsing and no business rules live here (those are in ``ingest`` and ``models``).
"""


def connect(warehouse=None):
    """A read-only, locked-down connection to the newest published warehouse (see ``jixiao.reader``)."""
    from jixiao.reader import connect as _connect

    return _connect(warehouse)
