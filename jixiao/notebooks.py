"""Run the analysis notebooks against a warehouse and keep their outputs (charts included).

``make notebooks`` (or ``python -m jixiao.notebooks [--warehouse FILE] [NOTEBOOK …]``) executes
every ``notebooks/0*_*.ipynb`` top to bottom with the inline backend and writes the outputs back
into the file, so the committed notebooks show their tables and charts. ``make test`` executes
them too (``tests/integration/test_notebooks.py``) without writing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from jixiao.paths import DEFAULT_WAREHOUSE, PROJECT_DIR, WAREHOUSE_ENV

NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
PATTERN = "0*_*.ipynb"
MAY_BE_EMPTY = "may-be-empty"  # cell tag: an empty result is an answer here, not a broken query
EMPTY_FRAME = "Empty DataFrame"
TIMEOUT_S = 180


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob(PATTERN))


def execute(path: Path, warehouse: Path):
    """The notebook at ``path`` executed against ``warehouse`` (returned, not written)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get(WAREHOUSE_ENV)
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    try:
        NotebookClient(
            nb,
            timeout=TIMEOUT_S,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(PROJECT_DIR)}},
        ).execute()
    finally:
        if previous is None:
            os.environ.pop(WAREHOUSE_ENV, None)
        else:
            os.environ[WAREHOUSE_ENV] = previous
    return nb


def _outputs(nb) -> Iterator[tuple[int, object, dict]]:
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                yield n, cell, output


def problems(nb) -> list[str]:
    """What is wrong with an executed notebook: errors, and empty results where a cell is not
    tagged ``may-be-empty``."""
    found = []
    for n, cell, output in _outputs(nb):
        if output.output_type == "error":
            found.append(f"cell {n}: {output.ename}: {output.evalue}")
        text = output.get("data", {}).get("text/plain", "") if output.output_type == "execute_result" else ""
        if EMPTY_FRAME in text and MAY_BE_EMPTY not in cell.metadata.get("tags", []):
            found.append(f"cell {n}: empty result")
    return found


def images(nb) -> int:
    return sum("image/png" in output.get("data", {}) for _, _, output in _outputs(nb))


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(prog="python -m jixiao.notebooks", description=__doc__)
    parser.add_argument(
        "--warehouse", type=Path, default=Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
    )
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    failed = 0
    for path in args.paths or notebooks():
        nb = execute(path, args.warehouse)
        issues = problems(nb)
        for issue in issues:
            print(f"{path.name}: {issue}", file=sys.stderr)
        failed += bool(issues)
        nbformat.write(nb, path)
        print(f"{path.name}: {images(nb)} charts")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
