"""Exit codes a scheduler can alert on."""

PUBLISHED = 0  # refresh published (or nothing changed)
ERROR = 1  # unexpected failure (dbt error, I/O error): nothing published
USAGE = 2  # bad command line
GATE_FAILED = 3  # a critical quality rule failed: the previous warehouse stays served
LOCK_HELD = 4  # another refresh holds the lock
QUARANTINED = 5  # published, but at least one document was quarantined
