"""One rule catalogue (seeds/rules.csv): every rule defined once, every id used exists there,
every rule is checked somewhere and shown in the gate's suites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest import catalogue
from jixiao.paths import PROJECT_DIR
from jixiao.quality.project import SUITES_DIR, suite_names
from jixiao.quality.scaffold import expected_suite

RULES = catalogue.rules()
IDS = {r.rule_id for r in RULES}
RULE_ID = re.compile(r"\b(?:" + "|".join(catalogue.CATEGORIES) + r")-\d{2}\b")
# every place a rule id may be written: models, macros, dbt tests, suites and frames, code, docs
SOURCES = [
    *PROJECT_DIR.glob("models/**/*.sql"), *PROJECT_DIR.glob("models/**/*.yml"), *PROJECT_DIR.glob("macros/*.sql"),
    *PROJECT_DIR.glob("data-tests/**/*.sql"), *PROJECT_DIR.glob("expectations/**/*.json"),
    *PROJECT_DIR.glob("expectations/**/*.sql"), *PROJECT_DIR.glob("expectations/*.md"),
    *PROJECT_DIR.glob("ingest/**/*.py"), *PROJECT_DIR.glob("jixiao/**/*.py"), *PROJECT_DIR.glob("docs/*.md"),
    PROJECT_DIR / "README.md", *PROJECT_DIR.glob("notebooks/*.ipynb"),
]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_each_rule_is_well_formed():
    assert len(IDS) == len(RULES), "rule ids are unique"
    assert len({r.name for r in RULES}) == len(RULES), "rule names are unique"
    for r in RULES:
        assert re.fullmatch(r"[A-Z]{3}-\d{2}", r.rule_id), r
        assert re.fullmatch(r"[a-z0-9_]+", r.name), r
        assert r.category == catalogue.CATEGORIES[r.rule_id[:3]], f"{r.rule_id}: the prefix names the category"
        assert r.scope in catalogue.SCOPES and r.severity in catalogue.SEVERITIES, r
        assert r.checked_in in catalogue.CHECKED_IN, r
        assert r.message_en and r.message_zh and r.why, f"{r.rule_id}: message in both languages and why"
        assert "\n" not in r.message_en + r.message_zh, r


def test_scope_and_severity_agree_with_where_a_rule_is_checked():
    for r in RULES:
        if r.checked_in == "model":  # the publisher's mistakes: flagged, never blocking
            assert r.scope == "row" and r.severity != "critical", r
        if r.checked_in == "ingest":  # verdicts on one document
            assert r.scope == "document" and r.reason_codes, r
        if r.scope == "pipeline":
            assert r.severity == "critical" and r.checked_in in ("lake", "warehouse"), r


def test_every_rule_id_written_anywhere_is_in_the_catalogue():
    unknown = {}
    for path in SOURCES:
        for rule_id in set(RULE_ID.findall(_text(path))) - IDS:
            unknown.setdefault(rule_id, []).append(str(path.relative_to(PROJECT_DIR)))
    assert not unknown, f"rule ids not in seeds/rules.csv: {unknown}"


def test_every_rule_has_exactly_one_expectation_in_the_suites():
    seen: dict[str, list[str]] = {}
    for name in suite_names():
        for e in json.loads(_text(SUITES_DIR / f"{name}.json"))["expectations"]:
            seen.setdefault(e["meta"]["rule_id"], []).append(name)
    assert set(seen) == IDS, f"missing from the suites: {IDS - set(seen)}; not in the catalogue: {set(seen) - IDS}"
    assert all(len(v) == 1 for v in seen.values()), {k: v for k, v in seen.items() if len(v) > 1}


def test_suites_are_what_the_scaffold_writes_from_the_catalogue():
    for name in suite_names():
        suite = json.loads(_text(SUITES_DIR / f"{name}.json"))
        assert suite == expected_suite(name, suite), f"run `python -m jixiao.quality.scaffold` ({name})"


def test_every_model_rule_has_its_flag_in_the_models_and_the_contract():
    models = "\n".join(_text(p) for p in PROJECT_DIR.glob("models/intermediate/*.sql"))
    contract = _text(PROJECT_DIR / "models" / "marts" / "_marts.yml")
    flagged = {r.name for r in RULES if r.checked_in == "model"}
    for name in flagged:
        assert f"as flag_{name}" in models, f"no model computes flag_{name}"
    assert set(re.findall(r"- name: flag_(\w+)", contract)) == flagged


def test_thresholds_the_models_read_exist():
    for path in PROJECT_DIR.glob("models/**/*.sql"):
        for rule_id in re.findall(r"rule_threshold\('([A-Z]{3}-\d{2})'\)", _text(path)):
            assert catalogue.rule(rule_id).threshold is not None, f"{path.name}: {rule_id} has no threshold"


@pytest.mark.parametrize("rule", [r for r in RULES if r.checked_in == "ingest"], ids=lambda r: r.rule_id)
def test_every_reason_code_of_a_document_rule_is_emitted_by_the_code(rule):
    code = "\n".join(_text(p) for p in [*PROJECT_DIR.glob("ingest/**/*.py"), *PROJECT_DIR.glob("jixiao/*.py")]
                     if p.name != "catalogue.py")
    for reason in rule.reason_codes:
        assert f'"{reason}"' in code, f"{rule.rule_id}: reason code {reason} is emitted nowhere"
    assert all(catalogue.for_reason(c).rule_id == rule.rule_id for c in rule.reason_codes), "one rule per reason code"


def test_the_rules_page_is_the_catalogue():
    from jixiao.quality.report import catalogue_markdown

    assert _text(PROJECT_DIR / "docs" / "rules.md") == catalogue_markdown(), (
        "regenerate docs/rules.md: python -m jixiao.quality.report > docs/rules.md"
    )
