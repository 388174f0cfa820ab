"""The DuckDB 1.x name of the served warehouse: a link when the snapshot is in 1.5 storage, a
copy when it is in 2.0 storage (a snapshot built before builds started in 1.5 storage)."""

from __future__ import annotations

import os

import duckdb

from jixiao.compat import compat_path, create_database, is_current, readable_by_1x, write_compat_copy


def _served(tmp_path, name: str, storage_1x: bool):
    snaps = tmp_path / "snapshots"
    snaps.mkdir(exist_ok=True)
    snap = snaps / f"{name}.duckdb"
    if storage_1x:
        create_database(snap)
    con = duckdb.connect(str(snap))
    con.execute("create schema ops; create table ops.build as select ? as run_id", [name])
    con.execute("create schema marts; create table marts.t as select range as i from range(10)")
    con.close()
    served = tmp_path / "jixiao.duckdb"
    served.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snap, tmp_path), served)
    return served, snap


def test_a_build_started_in_1x_storage_stays_readable_and_is_linked_not_copied(tmp_path):
    served, snap = _served(tmp_path, "run1", storage_1x=True)
    assert readable_by_1x(served)
    copy = write_compat_copy(served)
    assert copy == compat_path(served) and copy.is_symlink() and copy.resolve() == snap.resolve()
    assert is_current(served)
    served2, snap2 = _served(tmp_path, "run2", storage_1x=True)  # the next publish
    assert not is_current(served2)
    assert write_compat_copy(served2).resolve() == snap2.resolve()


def test_a_snapshot_in_2_0_storage_is_copied_into_1x_storage(tmp_path):
    served, _ = _served(tmp_path, "old", storage_1x=False)
    assert not readable_by_1x(served)
    copy = write_compat_copy(served)
    assert not copy.is_symlink() and readable_by_1x(copy) and is_current(served)
    con = duckdb.connect(str(copy), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone() == (10,)
    con.close()
