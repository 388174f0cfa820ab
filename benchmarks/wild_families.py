"""Which family reads each real excerpt, and the verdict (prints figures; it is not a test).

Run: .venv/bin/python benchmarks/wild_families.py ../shared/documents/wild

The excerpts print cells with ``|`` or with spaces; both are put back into TAB cells here (a
rough stand-in for the container readers: a space inside a cell splits it too), and the
source notes above ``----`` are dropped. The excerpts are truncated, so a verdict here is
evidence of the layout being recognised, not of a complete document.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ingest.parse import parse_document
from ingest.verdict import judge


def _tabbed(text: str) -> str:
    body = text.split("\n----\n", 1)[1] if "\n----\n" in text else text
    out = []
    for line in body.split("\n"):
        if "|" in line:
            out.append("\t".join(c.strip() for c in line.strip().strip("|").split("|")))
        else:
            out.append("\t".join(line.split()))
    return "\n".join(out)


def main(folder: Path) -> None:
    outcomes: Counter[str] = Counter()
    for path in sorted(folder.glob("*.txt")):
        text = _tabbed(path.read_text(encoding="utf-8"))
        parsed = parse_document(text, path.name, "wild")
        verdict = judge(parsed, text, path.name)
        family = parsed.document.template_family or "-"
        outcomes[verdict.status] += 1
        print(
            f"{path.name:55} {family:15} {verdict.status:21} {verdict.reason_code or '':26} "
            f"projects {len(parsed.projects):2} rows {len(parsed.indicators):3}"
        )
    print(dict(outcomes))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/documents/wild"))
