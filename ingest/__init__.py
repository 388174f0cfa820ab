"""Jixiao ingest: budget performance target documents -> raw rows, exactly as printed.

Pure functions live in ``cells``, ``vocabulary``, ``tables``, ``header``, ``grid``,
``document`` and ``parse``; ``decode`` turns bytes into text; ``writer`` is the only
module that touches the file system.
"""

PARSER_VERSION = "1.2.0"
