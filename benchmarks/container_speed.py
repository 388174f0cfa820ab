"""Read + parse time of the ningxia sample in every container (test files as the tests make them).

Prints figures; it is not a test. Needs LibreOffice for the PDF. Run:
.venv/bin/python benchmarks/container_speed.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.containers import read_container  # noqa: E402
from ingest.parse import parse_document  # noqa: E402
from tests.conftest import sample_text  # noqa: E402
from tests.container_files import to_html, to_markdown, to_pdf, to_xlsx  # noqa: E402


def main() -> None:
    text = sample_text("ningxia")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = to_xlsx(text, Path(tmp) / "ningxia.xlsx")
        files = {
            "text": text.encode(),
            "markdown": to_markdown(text).encode(),
            "markdown+html": to_markdown(text, html_tables=True).encode(),
            "html": to_html(text).encode(),
            "xlsx": xlsx.read_bytes(),
            "pdf": to_pdf(xlsx, Path(tmp)).read_bytes(),
        }
    for name, data in files.items():
        t0 = time.perf_counter()
        contained = read_container(data)
        t1 = time.perf_counter()
        parsed = parse_document(contained.parse_input, "ningxia", "ningxia")
        t2 = time.perf_counter()
        print(
            f"{name:14s} {len(data) / 1024:7.1f} KB  read {1000 * (t1 - t0):7.1f} ms  parse {1000 * (t2 - t1):6.1f} ms"
            f"  projects {len(parsed.projects)}  indicators {len(parsed.indicators)}  warnings {len(contained.warnings)}"
        )


if __name__ == "__main__":
    main()
