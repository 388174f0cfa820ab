"""One refresh at a time, and readers never broken: real processes racing each other."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jixiao.lock import acquire
from tests.integration.refresh_support import annual_total, build_baseline, copy_site, stale_files

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path_factory, tmp_path):
    return copy_site(build_baseline(tmp_path_factory), tmp_path / "site")


def test_refreshes_started_together(site):
    """Two impatient refreshes and one that may wait: exactly one builds and publishes, an
    impatient loser exits 4 with a clear message, the patient one finishes (0) after it."""
    old_total = annual_total(site)
    site.change_pingluo()
    before = len(site.runs())
    procs = [site.start(), site.start(), site.start("--wait", "300")]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    codes = [r[0] for r in results]
    assert codes[2] == 0, results[2]
    assert sorted(codes[:2]) in ([0, 4], [4, 4]), results
    for code, _out, err in results:
        if code == 4:
            assert "holds" in err and "--wait" in err, err
    new_runs = site.runs()[before:]
    outcomes = sorted(r["outcome"] for r in new_runs)
    assert outcomes.count("published") == 1, outcomes
    assert outcomes.count("lock_held") == codes.count(4)
    assert annual_total(site) == pytest.approx(old_total + 10_000)
    assert stale_files(site) == []


def test_lock_wait_is_bounded(site):
    with acquire(site.warehouse.with_name(site.warehouse.name + ".lock"), purpose="test holder"):
        t = time.perf_counter()
        proc = site.refresh("--wait", "1.5")
        waited = time.perf_counter() - t
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "test holder" in proc.stderr
    assert 1.5 <= waited < 10
    assert site.runs()[-1]["outcome"] == "lock_held"
    again = site.refresh()  # the lock is free again: the refresh proceeds (nothing changed)
    assert again.returncode == 0, again.stdout + again.stderr


READER = r"""
import json, sys, time, duckdb
path, stop, mode = sys.argv[1], sys.argv[2], sys.argv[3]
sql = "select count(*), sum(annual_total_yuan) from marts.fct_project_funding"
out = []
con = duckdb.connect(path, read_only=True) if mode == "persistent" else None
import os
while not os.path.exists(stop):
    try:
        if mode == "reconnect":
            c = duckdb.connect(path, read_only=True)
            row = c.execute(sql).fetchone()
            c.close()
        else:
            row = con.execute(sql).fetchone()
        out.append(["ok", row[0], float(row[1])])
    except Exception as err:
        out.append(["error", repr(err)])
    time.sleep(0.05)
print(json.dumps(out))
"""


def test_readers_query_through_a_whole_refresh(site, tmp_path):
    old_total = annual_total(site)
    site.change_pingluo()
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen([sys.executable, "-c", READER, str(site.warehouse), str(stop), mode],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for mode in ("persistent", "reconnect")
    }
    time.sleep(1.0)  # both readers connected and querying before the refresh starts
    proc = site.refresh()
    time.sleep(1.0)  # and still querying after it published
    Path(stop).touch()
    seen = {}
    for mode, r in readers.items():
        out, err = r.communicate(timeout=60)
        assert r.returncode == 0, err
        seen[mode] = json.loads(out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    new_total = annual_total(site)
    assert new_total == pytest.approx(old_total + 10_000)

    for mode, rows in seen.items():
        errors = [r for r in rows if r[0] != "ok"]
        assert not errors, f"{mode} reader: {errors[:3]}"
        assert len(rows) > 20, f"{mode} reader barely ran"
    # a connection opened before the swap keeps reading the old file, consistently
    assert {round(r[2]) for r in seen["persistent"]} == {round(old_total)}
    # new connections see the old data, then the new, never anything in between
    totals = [round(r[2]) for r in seen["reconnect"]]
    assert set(totals) == {round(old_total), round(new_total)}
    switch = totals.index(round(new_total))
    assert all(t == round(old_total) for t in totals[:switch])
    assert all(t == round(new_total) for t in totals[switch:])
