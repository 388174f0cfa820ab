"""A sealed snapshot is trusted by its stat, checked by its bytes when the stat moved, and a
copy with the sealed bytes is hashed once, not on every refresh (jixiao.publish)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jixiao import publish


def _sealed(folder: Path) -> Path:
    folder.mkdir()
    snap = folder / "20260101T000000000000Z-1.duckdb"
    snap.write_bytes(b"warehouse bytes " * 4096)
    publish._seal(snap)
    return snap


def _hashes(monkeypatch) -> list[Path]:
    seen: list[Path] = []
    real = publish.sha256_file

    def counting(path: Path) -> str:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(publish, "sha256_file", counting)
    return seen


def test_sealed_snapshot_is_trusted_by_its_stat(tmp_path, monkeypatch):
    snap = _sealed(tmp_path / "published")
    seen = _hashes(monkeypatch)
    assert publish.verified(snap)
    assert seen == []


def test_copied_snapshot_is_hashed_once_and_its_new_stat_recorded(tmp_path, monkeypatch):
    snap = _sealed(tmp_path / "published")
    copy = tmp_path / "copy"
    shutil.copytree(snap.parent, copy)  # new inode and ctime: the stat no longer matches
    moved = copy / snap.name
    seen = _hashes(monkeypatch)
    assert publish.verified(moved)
    assert publish.verified(moved)
    assert seen == [moved]
    digest = (copy / (snap.name + ".sha256")).read_text(encoding="ascii").split("\n")[0]
    assert digest == publish.sha256_file(snap)


def test_altered_bytes_are_not_trusted_and_the_seal_is_kept(tmp_path):
    snap = _sealed(tmp_path / "published")
    side = snap.with_name(snap.name + ".sha256")
    before = side.read_text(encoding="ascii")
    os.chmod(snap, 0o644)
    data = bytearray(snap.read_bytes())
    data[100] ^= 0xFF
    snap.write_bytes(bytes(data))
    assert not publish.verified(snap)
    assert not publish.verified(snap)
    assert side.read_text(encoding="ascii") == before
