"""Keep the GX project's wiring in step with ``expectations/frames`` (a developer tool).

    .venv/bin/python -m jixiao.quality.scaffold

For every ``expectations/frames/<suite>.sql`` it makes sure the committed project has a
DataFrame asset ``<suite>`` (batch definition ``whole_frame``), a suite ``<suite>`` (empty when
new: add the rules to its JSON) and a validation definition ``<suite>`` tying the two. It also
writes every expectation's ``description`` (what Data Docs show for it) from its catalogue
fields: ``"<rule_id> [<severity>] <message>"``. It writes only under ``expectations/gx`` and never
changes a rule. Commit what it changes.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from jixiao.quality.project import BATCH_DEFINITION, DATASOURCE, FRAMES_DIR, GX_DIR, SUITES_DIR, open_context


def description(expectation: dict) -> str:
    """What Data Docs print for a rule: derived from the catalogue fields, never edited by hand."""
    meta = expectation.get("meta") or {}
    return f"{meta.get('rule_id', '?')} [{expectation.get('severity', 'critical')}] {meta.get('message', '')}"


def sync_descriptions() -> list[str]:
    changed = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        before = json.dumps(suite, ensure_ascii=False)
        for e in suite["expectations"]:
            e["description"] = description(e)
        if json.dumps(suite, ensure_ascii=False) != before:
            path.write_text(json.dumps(suite, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            changed.append(f"descriptions of {path.stem}")
    return changed


def scaffold() -> list[str]:
    if not (GX_DIR / "great_expectations.yml").exists():
        raise SystemExit(f"{GX_DIR}/great_expectations.yml is missing; restore it from git")
    import great_expectations as gx

    done: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        context = open_context(Path(tmp) / "docs", Path(tmp) / "validations")
        try:
            source = context.data_sources.get(DATASOURCE)
        except (KeyError, ValueError):
            source = context.data_sources.add_pandas(DATASOURCE)
            done.append(f"datasource {DATASOURCE}")
        for sql in sorted(FRAMES_DIR.glob("*.sql")):
            name = sql.stem
            try:
                asset = source.get_asset(name)
            except LookupError:
                asset = source.add_dataframe_asset(name)
                done.append(f"asset {name}")
            try:
                batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
            except KeyError:
                batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
                done.append(f"batch definition {name}/{BATCH_DEFINITION}")
            try:
                suite = context.suites.get(name)
            except Exception:
                suite = context.suites.add(gx.ExpectationSuite(name=name))
                done.append(f"suite {name} (empty: add its rules)")
            try:
                context.validation_definitions.get(name)
            except Exception:
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
                )
                done.append(f"validation definition {name}")
    done += sync_descriptions()
    for stray in ("uncommitted", "plugins"):  # GX creates these on a new context; nothing of ours
        shutil.rmtree(GX_DIR / stray, ignore_errors=True)
    return done


if __name__ == "__main__":
    changes = scaffold()
    print("\n".join(changes) if changes else "the GX project already matches expectations/frames")
    sys.exit(0)
