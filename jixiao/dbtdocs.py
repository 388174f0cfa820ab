"""The dbt docs site (lineage, every model's and column's bilingual description) beside the Data
Docs: ``<warehouse dir>/dbt_docs/index.html``, one self-contained page that works offline.

- On every refresh that builds, ``dbt docs generate --static --no-compile`` runs on the freshly
  built ``<warehouse>.next`` right after ``dbt build`` (reusing its manifest: about 3 s), and the
  page is published beside the Data Docs once the warehouse is.
- ``jixiao docs`` builds it for the served warehouse: dbt opens its files read-write, so it reads
  a private copy of the served snapshot (never the served file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from jixiao.build import BuildError, dbt_env, dbt_executable
from jixiao.paths import PROJECT_DIR, Layout

STATIC_PAGE = "static_index.html"
SITE_PAGE = "index.html"


def site(layout: Layout) -> Path:
    return layout.warehouse.parent / "dbt_docs"


def _generated(layout: Layout) -> Path:
    return layout.work / "dbt_target" / STATIC_PAGE


def generate(
    duckdb_path: Path, layout: Layout, *, compile_first: bool = False, pass_fds: tuple[int, ...] = ()
) -> Path:
    """Run ``dbt docs generate --static`` against ``duckdb_path``; the page it wrote."""
    page = _generated(layout)
    page.unlink(missing_ok=True)
    cmd = [
        dbt_executable(),
        "--no-use-colors",
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
    ]
    if not compile_first:
        cmd.append("--no-compile")  # the manifest of the dbt build that just ran
    done = subprocess.run(
        cmd,
        env=dbt_env(duckdb_path, layout.lake, layout.work),
        capture_output=True,
        text=True,
        cwd=layout.work,
        pass_fds=pass_fds,
        timeout=600,
    )
    if done.returncode != 0 or not page.exists():
        raise BuildError("dbt docs generate failed:\n" + "\n".join(done.stdout.splitlines()[-20:]))
    return page


def publish_site(layout: Layout) -> Path | None:
    """Move the page generated for this build beside the Data Docs (atomically); None if none."""
    page = _generated(layout)
    if not page.exists():
        return None
    target = site(layout) / SITE_PAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{SITE_PAGE}.tmp")
    shutil.copyfile(page, tmp)
    os.replace(tmp, target)
    page.unlink()
    return target


def build_for_served(layout: Layout, pass_fds: tuple[int, ...] = ()) -> Path:
    """``jixiao docs``: the dbt docs of the served warehouse, from a private copy of it."""
    served = Path(os.path.realpath(layout.warehouse))
    if not served.is_file():
        raise FileNotFoundError(f"no warehouse at {layout.warehouse}; run `jixiao refresh` first")
    layout.work.mkdir(parents=True, exist_ok=True)
    copy = layout.work / "dbt_docs_source.duckdb"
    try:
        shutil.copyfile(served, copy)
        os.chmod(copy, 0o600)
        generate(copy, layout, compile_first=True, pass_fds=pass_fds)
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
    published = publish_site(layout)
    assert published is not None  # generate() checked the page exists
    return published
