"""Fixtures shared by the integration tests: a real PostgreSQL (``pg_support``)."""

from tests.integration.pg_support import pg_dsn, pg_server_dsn  # noqa: F401
