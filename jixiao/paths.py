"""Where things are: the project tree, and a refresh's working files beside the warehouse."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DOCUMENTS = PROJECT_DIR / "documents"
DEFAULT_WAREHOUSE = PROJECT_DIR / "build" / "jixiao.duckdb"
WAREHOUSE_ENV = "JIXIAO_DUCKDB_PATH"
LAKE_ENV = "JIXIAO_LAKE"


@dataclass(frozen=True)
class Layout:
    """Every file a refresh touches, all beside the served warehouse (never in the repo)."""

    warehouse: Path
    lake: Path

    @property
    def work(self) -> Path:
        return self.warehouse.parent / f".{self.warehouse.name}.work"

    @property
    def next_warehouse(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".next")

    @property
    def previous_warehouse(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".prev")

    @property
    def lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @property
    def lake_lock(self) -> Path:
        """Taken before ``lock``: one refresh at a time per lake, whichever warehouse it feeds."""
        return self.lake / ".refresh.lock"

    @property
    def binding(self) -> Path:
        """Which warehouse the lake feeds (a lake serves one warehouse)."""
        return self.lake / "bound_to.json"

    @property
    def snapshots(self) -> Path:
        """Every published build, immutable and uniquely named; the served path links to one."""
        return self.warehouse.parent / f".{self.warehouse.name}.published"

    @property
    def data_docs(self) -> Path:
        return self.warehouse.parent / "data_docs"


def layout_for(warehouse: str | os.PathLike | None, lake: str | os.PathLike | None) -> Layout:
    given = Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).expanduser()
    wh = given.parent.resolve() / given.name  # the served path is a symlink: never resolve it away
    lk = Path(lake or os.environ.get(LAKE_ENV) or wh.parent / "lake").resolve()
    return Layout(wh, lk)
