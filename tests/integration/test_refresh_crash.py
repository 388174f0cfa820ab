"""A refresh SIGKILLed at any stage leaves the last good warehouse served and readable, and the
next refresh completes normally. Real processes: each refresh is paused at a stage by the
test-only launcher (tests/integration/pause_launcher.py wraps the stage from outside), then
killed with SIGKILL."""

from __future__ import annotations

import time

import pytest

from ingest.schema import RAW_TABLES
from ingest.writer import segment_ids
from jixiao import registry
from tests.conftest import SAMPLES
from tests.integration.refresh_support import (
    alive,
    annual_total,
    build_baseline,
    children,
    copy_site,
    sigkill,
    stale_files,
    wait_for,
)
from tests.lake_support import live_ids, live_rows, segment_path

NINGXIA, PINGLUO = SAMPLES["ningxia"], SAMPLES["pingluo"]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "stage", ["ingest", "ingest_registry", "ingest_manifest", "build", "validate", "publish"]
)
def test_sigkill_at_each_stage(stage, tmp_path_factory, tmp_path):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    old_total = annual_total(site)
    old_build = site.query("select run_id from ops.build")[0][0]
    old_registry = (site.lake / registry.REGISTRY_FILE).read_bytes()
    old_live = live_ids(site.lake)
    site.change_pingluo()

    marker = tmp_path / "paused"
    proc = site.start_paused(stage, marker)
    wait_for(marker, proc)
    dbt = children(proc.pid)
    if stage == "build":
        assert dbt, "dbt should be running under the refresh"
    # while the refresh is paused mid-way, readers see the old warehouse
    assert annual_total(site) == old_total
    sigkill(proc)

    # dbt dies with its parent: no orphan keeps writing into .next
    deadline = time.monotonic() + 10
    while any(alive(p) for p in dbt) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in dbt), "dbt outlived the killed refresh"

    # the last good warehouse is still served, complete and readable
    assert annual_total(site) == old_total
    assert site.query("select run_id from ops.build")[0][0] == old_build
    if stage == "ingest":  # killed before the registry commit: it still describes the old lake
        assert (site.lake / registry.REGISTRY_FILE).read_bytes() == old_registry
    # what dbt would read is the old lake or the new one, never a mix (two documents, one each)
    rows = live_rows(site.lake, "raw_documents")
    assert sorted(r["source_file"] for r in rows) == sorted([NINGXIA, PINGLUO])
    assert {r["document_id"] for r in rows} == old_live or len(
        old_live - {r["document_id"] for r in rows}
    ) == 1
    if stage in ("ingest", "ingest_registry"):  # the manifest is still the old one, its segments all there
        assert {r["document_id"] for r in rows} == old_live
    for entry in registry.load(site.lake).landed():  # never a claim without its Parquet
        for table in RAW_TABLES:
            assert segment_path(site.lake, table, entry.document_id).exists()

    # the next refresh completes normally, cleans up, and records the killed run
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert annual_total(site) == pytest.approx(old_total + 10_000)
    assert stale_files(site) == []
    runs = site.runs()
    assert [r["outcome"] for r in runs[-2:]] == ["killed", "published"]
    assert site.query(f"select outcome from ops.runs where run_id = '{runs[-2]['run_id']}'") == [("killed",)]
    assert live_ids(site.lake) == {e.document_id for e in registry.load(site.lake).landed()}
    live_segments = {e.segment for e in registry.load(site.lake).landed()}
    assert set(segment_ids(site.lake)) == live_segments  # the killed run's segments swept
