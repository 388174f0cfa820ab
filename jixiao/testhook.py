"""TEST-ONLY pause points, so a test can SIGKILL a refresh at a known stage.

Set ``JIXIAO_TEST_PAUSE_AT`` to one of ``ingest | build | validate | publish`` and
``JIXIAO_TEST_PAUSE_MARKER`` to a file path: when the refresh reaches that point it writes the
marker and sleeps (``JIXIAO_TEST_PAUSE_SECONDS``, default 120) so the test can kill it there.
Never set these in production; with them unset every call here is a no-op.

- ``ingest``:   after the first changed document's Parquet is written, before the registry commit
- ``build``:    while ``dbt build`` is running (once the ``.next`` file exists)
- ``validate``: with the ``.next`` file built, before the quality gate runs
- ``publish``:  inside publish, after ``.prev`` is linked and before ``.next`` is renamed over the served file
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT_ENV = "JIXIAO_TEST_PAUSE_AT"
MARKER_ENV = "JIXIAO_TEST_PAUSE_MARKER"
SECONDS_ENV = "JIXIAO_TEST_PAUSE_SECONDS"
STAGES = ("ingest", "build", "validate", "publish")


def wants_pause(stage: str) -> bool:
    return os.environ.get(PAUSE_AT_ENV) == stage


def signal_reached(stage: str) -> None:
    marker = os.environ.get(MARKER_ENV)
    if marker:
        tmp = Path(marker + ".tmp")
        tmp.write_text(f"{stage} {os.getpid()}\n", encoding="utf-8")
        os.replace(tmp, marker)


def pause_point(stage: str) -> None:
    """Write the marker and sleep if the test asked to pause at ``stage``; else do nothing."""
    if not wants_pause(stage):
        return
    signal_reached(stage)
    time.sleep(float(os.environ.get(SECONDS_ENV, "120")))
