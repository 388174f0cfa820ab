"""Layout readers, one module per template family (pure).

A family module exposes ``FAMILY`` (``ingest.families.base.Family``): the markers that
recognise the family by the vocabulary and shape of its cells, and ``read(lines, …)``,
which turns ``ingest.tables.Line`` objects into the same ``ParsedDocument`` rows as every
other family. The list of families is ``ingest.families.registry.FAMILIES``.
"""
