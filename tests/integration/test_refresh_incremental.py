"""Scheduled refreshes, end to end (real `jixiao` processes): a refresh costs what changed,
nothing changed means nothing rebuilt, and rebuilding the same input gives the same marts."""

from __future__ import annotations

import time

import pytest

from ingest.writer import SCHEMA_SEGMENT
from tests.integration.refresh_support import (
    NINGXIA,
    PINGLUO,
    annual_total,
    build_baseline,
    copy_site,
    marts_dump,
    stale_files,
)
from tests.lake_support import live_ids, segment_path

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path_factory, tmp_path):
    return copy_site(build_baseline(tmp_path_factory), tmp_path / "site")


def _last_run_documents(site) -> dict[str, tuple[str, str]]:
    run_id = site.runs()[-1]["run_id"]
    rows = site.query(
        "select source_file, action, status from ops.run_documents where run_id = ? order by 1".replace(
            "?", f"'{run_id}'"
        )
    )
    return {f: (a, s) for f, a, s in rows}


def test_noop_refresh_rebuilds_nothing_and_is_fast(site):
    served = site.warehouse.stat()
    t = time.perf_counter()
    proc = site.refresh()
    elapsed = time.perf_counter() - t
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "nothing changed" in proc.stdout
    after = site.warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (served.st_ino, served.st_mtime_ns)  # not republished
    run = site.runs()[-1]
    assert run["outcome"] == "no_change" and run["exit_code"] == 0
    assert run["build_s"] is None and run["validate_s"] is None
    assert run["documents_unchanged"] == 2 and run["documents_added"] == 0
    print(f"no-op refresh: {elapsed:.2f}s wall")
    assert elapsed < 4, f"no-op refresh took {elapsed:.2f}s"


def test_two_refreshes_without_change_give_identical_marts(site):
    before = marts_dump(site.warehouse)
    first = site.refresh()  # no change: a no-op
    assert first.returncode == 0, first.stdout + first.stderr
    forced = site.refresh("--force")  # re-parse and rebuild everything from the same input
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert site.runs()[-1]["outcome"] == "published"
    after = marts_dump(site.warehouse)
    assert after.keys() == before.keys() and len(after) >= 4
    for table in before:
        assert after[table] == before[table], f"marts.{table} differs after a rebuild of the same input"


def test_changed_duplicated_renamed_and_removed_documents(site):
    baseline_total = annual_total(site)
    ids = dict(site.query("select source_file, document_id from marts.dim_document"))

    # 1. pingluo edited (+1 万元 on one project), ningxia copied under a second name
    site.change_pingluo()
    (site.docs / "zz_copy.txt").write_bytes((site.docs / NINGXIA).read_bytes())
    ningxia_part = segment_path(site.lake, "raw_indicators", ids[NINGXIA])  # the segment holding it
    untouched = ningxia_part.stat().st_mtime_ns
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _last_run_documents(site) == {
        NINGXIA: ("unchanged", "loaded"),
        PINGLUO: ("changed", "loaded"),
        "zz_copy.txt": ("duplicate", "duplicate"),
    }
    assert ningxia_part.stat().st_mtime_ns == untouched  # not parsed again
    assert annual_total(site) == pytest.approx(baseline_total + 10_000)
    docs = dict(site.query("select source_file, document_id from marts.dim_document"))
    assert set(docs) == {NINGXIA, PINGLUO}  # the copy is loaded once
    assert docs[PINGLUO] != ids[PINGLUO]
    assert ids[PINGLUO] not in live_ids(site.lake)  # its old rows are not read any more
    run = site.runs()[-1]
    assert (run["documents_changed"], run["documents_duplicate"], run["documents_unchanged"]) == (1, 1, 1)
    step1 = site.query("select run_id from ops.build")[0][0]

    # 2. ningxia renamed (its copy remains), pingluo removed
    (site.docs / NINGXIA).rename(site.docs / "a_renamed.txt")
    (site.docs / PINGLUO).unlink()
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _last_run_documents(site) == {
        "a_renamed.txt": ("renamed", "loaded"),
        "zz_copy.txt": ("duplicate", "duplicate"),
        PINGLUO: ("removed", "removed"),
    }
    assert site.query("select source_file, document_id from marts.dim_document") == [
        ("a_renamed.txt", ids[NINGXIA])
    ]
    assert site.query("select distinct source_file from marts.dim_project") == [("a_renamed.txt",)]
    raw = {p.name for p in (site.lake / "raw" / "raw_projects").iterdir()}
    live = segment_path(site.lake, "raw_projects", ids[NINGXIA]).name
    assert raw == {live, f"seg-{SCHEMA_SEGMENT}.parquet"}  # segments with no live document swept
    run = site.runs()[-1]
    assert (run["documents_renamed"], run["documents_removed"]) == (1, 1)
    assert stale_files(site) == []

    # 3. every published file carries the whole run history; status shows it; rollback works
    step2 = site.query("select run_id from ops.build")[0][0]
    history = {r for (r,) in site.query("select run_id from ops.runs")}
    assert {r["run_id"] for r in site.runs()} == history
    status = site.jixiao("status")
    assert status.returncode == 0, status.stderr
    assert f"built by run {step2}" in status.stdout and "published" in status.stdout
    back = site.jixiao("rollback")
    assert back.returncode == 0, back.stderr
    assert site.query("select run_id from ops.build")[0][0] == step1
    assert annual_total(site) == pytest.approx(baseline_total + 10_000)  # step 1's data again


def test_bad_input_exit_code(site):
    proc = site.refresh("--documents", str(site.root / "no-such-folder"))
    assert proc.returncode == 2
    assert "documents folder not found" in proc.stderr

    # an empty folder is more likely an unmounted share than "retract everything"
    served = site.warehouse.stat().st_ino
    registry_bytes = (site.lake / "registry.json").read_bytes()
    empty = site.root / "empty"
    empty.mkdir()
    proc = site.refresh("--documents", str(empty))
    assert proc.returncode == 2
    assert "--allow-empty" in proc.stderr
    assert site.warehouse.stat().st_ino == served
    assert (site.lake / "registry.json").read_bytes() == registry_bytes
    assert site.runs()[-1]["outcome"] == "bad_input"
