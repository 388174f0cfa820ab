"""Fixtures shared by the integration tests: a real PostgreSQL (``pg_support``)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS
from tests.integration.pg_support import pg_dsn, pg_server_dsn  # noqa: F401


@pytest.fixture(scope="session")
def bundled_warehouse(tmp_path_factory) -> Path:
    """One refresh of the bundled documents, shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("bundled") / "jixiao.duckdb"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("jixiao")),
            "refresh",
            "--documents",
            str(DOCUMENTS),
            "--warehouse",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out
