"""A scheduled service that survives its operators (real processes throughout): lock scope,
served-file hygiene, readers that keep connections open, hostile paths, full or read-only disks.

One refresh that builds costs about 12 s; the tests build as little as they can."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import registry
from jixiao.paths import Layout
from tests.integration.refresh_support import (
    JIXIAO,
    NINGXIA,
    annual_total,
    build_baseline,
    copy_site,
    sigkill,
    wait_for,
)
from tests.lake_support import segment_path

pytestmark = pytest.mark.slow


def _layout(site) -> Layout:
    return Layout(site.warehouse, site.lake)


def _refresh_other(docs: Path, warehouse: Path, *extra: str, env: dict | None = None):
    return subprocess.run(
        [JIXIAO, "refresh", "--documents", str(docs), "--warehouse", str(warehouse), *extra],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def _landed_names(lake: Path) -> set[str]:
    return {e.source_file for e in registry.load(lake).landed()}


# --------------------------------------------------------------------------- fault 1
def test_a_lake_feeds_one_warehouse(tmp_path_factory, tmp_path):
    """Two warehouses on one --lake (or one JIXIAO_LAKE): the second is refused, the first keeps
    every document, and the fingerprint it records is that of the files dbt read."""
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "a")
    both = _landed_names(site.lake)
    docs_b = tmp_path / "b" / "docs"
    docs_b.mkdir(parents=True)
    shutil.copy(site.docs / NINGXIA, docs_b / NINGXIA)
    other = tmp_path / "b" / "jixiao.duckdb"

    for proc in (
        _refresh_other(docs_b, other, "--lake", str(site.lake)),
        _refresh_other(docs_b, other, env={"JIXIAO_LAKE": str(site.lake)}),
    ):
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "feeds the warehouse" in proc.stderr and "--rebind-lake" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not other.exists()
    assert _landed_names(site.lake) == both
    from jixiao import lakestate  # imported here so the other tests run on code without it

    recorded = site.query("select lake_fingerprint from ops.build")[0][0]
    assert recorded == lakestate.lake_fingerprint(site.lake)


def test_one_refresh_per_lake_even_when_the_lock_files_are_deleted(tmp_path_factory, tmp_path):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    site.change_pingluo()
    marker = tmp_path / "paused"
    first = site.start_paused("build", marker)
    try:
        wait_for(marker, first)
        for lock in (site.warehouse.with_name(site.warehouse.name + ".lock"), site.lake / ".refresh.lock"):
            lock.unlink(missing_ok=True)  # an operator "clearing a stale lock"
        second = site.refresh(timeout=120)
        assert second.returncode == 4, second.stdout + second.stderr
        # another warehouse taking the lake over must wait for the lake's lock as well
        other = _refresh_other(
            site.docs, tmp_path / "other" / "jixiao.duckdb", "--lake", str(site.lake), "--rebind-lake"
        )
        assert other.returncode == 4, other.stdout + other.stderr
        assert str(site.lake) in other.stderr
    finally:
        sigkill(first)


def test_a_lake_changed_while_dbt_reads_it_is_never_frozen_in(tmp_path_factory, tmp_path):
    """The fingerprint a build records is that of the files dbt read: a part rewritten in place
    (same size and mtime) during the build stops the publish, and the registry no longer trusts it."""
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    old_build = site.query("select run_id from ops.build")[0][0]
    site.change_pingluo()
    marker = tmp_path / "paused"
    proc = site.start_paused("after_build", marker, seconds=3)
    wait_for(marker, proc)
    entry = next(e for e in registry.load(site.lake).landed() if e.source_file == NINGXIA)
    part = segment_path(site.lake, "raw_projects", entry.document_id)
    st = part.stat()
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    os.utime(part, ns=(st.st_atime_ns, st.st_mtime_ns))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, out + err
    assert "the lake changed while dbt read it" in err and "Traceback" not in err
    assert site.query("select run_id from ops.build")[0][0] == old_build
    assert not registry.load(site.lake).entries[entry.document_id].intact  # re-landed next time


# --------------------------------------------------------------------------- faults 2, 6 (.prev), 8
READER = r"""
import json, sys, duckdb, jixiao
wh = sys.argv[1]
held = jixiao.connect(wh)                     # kept open across every publish
plain_held = duckdb.connect(wh, read_only=True)
build = lambda con: con.execute("select run_id from ops.build").fetchone()[0]
HOSTILE = ["select count(*) from read_csv('/etc/passwd')", "select count(*) from glob('/root/**')",
           "copy (select 1) to '/tmp/jixiao-reader-copy.csv'", "set enable_external_access = true",
           "attach '/tmp/jixiao-reader.duckdb' as other"]
print(json.dumps({"held": build(held)}), flush=True)
for _ in sys.stdin:
    new, plain = jixiao.connect(wh), duckdb.connect(wh, read_only=True)
    allowed = []
    for sql in HOSTILE:
        try:
            new.execute(sql)
            allowed.append(sql)
        except duckdb.Error:
            pass
    print(json.dumps({"held": build(held), "plain_held": build(plain_held), "new": build(new),
                      "plain": build(plain), "allowed": allowed}), flush=True)
    new.close()
    plain.close()
"""


def test_a_pooled_reader_sees_every_publish_and_is_locked_down(tmp_path_factory, tmp_path):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    old_total = annual_total(site)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(site.warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = json.loads(reader.stdout.readline() or "{}")
        assert first, reader.stderr.read()
        for old, new in (("13.49", "14.49"), ("14.49", "15.49")):
            site.change_pingluo(old, new)
            proc = site.refresh()
            assert proc.returncode == 0, proc.stdout + proc.stderr
            reader.stdin.write("\n")
            reader.stdin.flush()
            seen = json.loads(reader.stdout.readline() or "{}")
            assert seen, reader.stderr.read()
            newest = site.runs()[-1]["run_id"]
            assert (seen["new"], seen["plain"]) == (newest, newest)
            assert (seen["held"], seen["plain_held"]) == (first["held"], first["held"])
            assert seen["allowed"] == []
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert annual_total(site) == pytest.approx(old_total + 20_000)
    assert stat.S_IMODE(os.stat(site.warehouse).st_mode) == 0o444
    layout = _layout(site)
    assert len(list(layout.snapshots.glob("*.duckdb"))) == 2  # the served build and .prev, no more

    # fault 6: a corrupt .prev is never served by a rollback
    prev = layout.previous_warehouse.resolve()
    data = bytearray(prev.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 4096):
        data[i] ^= 0xFF
    os.chmod(prev, 0o644)
    prev.write_bytes(bytes(data))
    proc = site.jixiao("rollback")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "--force" in proc.stderr
    assert annual_total(site) == pytest.approx(old_total + 20_000)


# --------------------------------------------------------------------------- fault 3 (and 9: the path)
RW_SESSION = r"""
import duckdb, os, sys
con = duckdb.connect(sys.argv[1])             # duckdb's default: read-write
con.execute("create table marts.analyst_scratch as select 1 as x")
print("ready", flush=True)
if sys.argv[2] == "die":
    os.kill(os.getpid(), 9)
sys.stdin.readline()
con.close()                                   # checkpoints the edit into the file it has open
"""


PAYLOAD = '"><svg onload=alert(2)>'


def _wals(site) -> list[Path]:
    return [p for p in site.warehouse.parent.rglob("*.wal")]


def _scratch(site) -> int:
    sql = "select count(*) from information_schema.tables where table_name = 'analyst_scratch'"
    return site.query(sql)[0][0]


def test_a_read_write_session_cannot_damage_what_is_served(tmp_path_factory, tmp_path):
    """Also fault 9: the warehouse folder is named ``it's [ab]`` (a quote and a glob class)."""
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "it's [ab]")
    old_total = annual_total(site)
    session = [sys.executable, "-c", RW_SESSION, str(site.warehouse)]

    dead = subprocess.run([*session, "die"], capture_output=True, text=True, timeout=60)
    assert dead.returncode == -9 and _wals(site), dead.stderr
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "write-ahead log" in proc.stderr
    assert _wals(site) == [] and _scratch(site) == 0
    assert stat.S_IMODE(os.stat(site.warehouse).st_mode) == 0o444

    live = subprocess.Popen([*session, "hold"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout.readline().strip() == "ready"
        site.change_pingluo()
        # fault 9: an unfilled placeholder (``***``) makes GX show the target as an example value
        site.change_pingluo("项目完成时限\t2025年", f"项目完成时限\t{PAYLOAD}***")
        proc = site.refresh()
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "read-write session" in proc.stderr and "summary unavailable" not in proc.stdout
        assert annual_total(site) == pytest.approx(old_total + 10_000)  # readable while it is held
        assert _scratch(site) == 0
    finally:
        live.stdin.write("\n")
        live.stdin.close()
        live.wait(timeout=60)
    proc = site.jixiao("rollback")  # .prev is the file the session wrote into: not trusted
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "changed since it was published" in proc.stderr
    assert annual_total(site) == pytest.approx(old_total + 10_000) and _scratch(site) == 0

    # fault 9: GX's validation pages show the target as text, never as markup
    targets = site.query("select count(*) from marts.fct_indicator_target where target_text like '%<svg%'")
    assert targets == [(1,)]
    pages = list(site.data_docs.rglob("*.html"))
    shown = [p for p in pages if "svg onload=alert(2)" in p.read_text(encoding="utf-8")]
    assert shown, "the payload should be shown (escaped) as an example value"
    assert not [p for p in pages if "<svg onload" in p.read_text(encoding="utf-8")]


# --------------------------------------------------------------------------- fault 10
def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass


def _failed_one_line(proc, words: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and words in proc.stderr, proc.stderr


def test_read_only_lake_and_full_disk_fail_in_one_line_and_are_recorded(tmp_path_factory, tmp_path):
    site = copy_site(build_baseline(tmp_path_factory), tmp_path / "site")
    old_total = annual_total(site)
    before = len(site.runs())
    site.change_pingluo()

    if not _mount("--bind", str(site.lake), str(site.lake)):
        pytest.skip("needs mount (root)")
    try:
        assert _mount("-o", "remount,bind,ro", str(site.lake))
        read_only = site.refresh()
    finally:
        _mount_gone = subprocess.run(["umount", str(site.lake)], capture_output=True)
    assert _mount_gone.returncode == 0
    _failed_one_line(read_only, "Read-only file system")

    saved = tmp_path / "lake-saved"
    shutil.copytree(site.lake, saved)
    assert _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(site.lake))
    try:
        shutil.copytree(saved, site.lake, dirs_exist_ok=True)
        _fill(site.lake)
        full = site.refresh()
    finally:
        subprocess.run(["umount", str(site.lake)], capture_output=True, check=True)
    _failed_one_line(full, "No space left on device")
    assert annual_total(site) == old_total  # the served file is intact

    site.change_pingluo("14.49", "13.49")  # back as it was: nothing to build
    proc = site.refresh()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    runs = site.runs()[before:]
    assert [r["outcome"] for r in runs] == ["failed", "failed", "no_change"], runs
    assert all("could not write its log" in r["message"] for r in runs[:2])


# --------------------------------------------------------------------------- fault 9: the terminal
def test_quarantine_listing_prints_no_terminal_escapes(tmp_path):
    from jixiao import runlog
    from jixiao.landing import DocumentRecord

    lake = tmp_path / "out" / "lake"
    run = runlog.Run.start(tmp_path, tmp_path / "out" / "jixiao.duckdb")
    evil = "\x1b]0;owned\x07\x1b[2Jevil\rname.txt"
    run.documents = [
        DocumentRecord(
            evil,
            "abc",
            None,
            None,
            "added",
            "quarantined",
            "no_tables",
            f"{evil}：全文都没有找到表头（第一行文字是「\x1b[31mred」）",
        )
    ]
    run.finish("published", 5, "published")
    runlog.write_history(lake, run)
    proc = subprocess.run(
        [JIXIAO, "quarantine", "--warehouse", str(tmp_path / "out" / "jixiao.duckdb")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "evil" in proc.stdout
        and "\x1b" not in proc.stdout
        and "\r" not in proc.stdout
        and "\x07" not in proc.stdout
    )
