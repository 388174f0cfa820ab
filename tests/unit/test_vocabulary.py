"""One vocabulary for level-2 categories: seeds/level2_categories.csv names every canonical
level 2 once, and the other seeds and the scorecard use its keys and labels."""

from __future__ import annotations

import csv
import re

from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
DIRECTIONS = {"", "higher_is_better", "lower_is_better"}


def _rows(name: str) -> list[dict]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_canonical_level2_has_one_key():
    categories = _rows("level2_categories")
    assert len({c["level2"] for c in categories}) == len(categories)
    assert len({c["level2_key"] for c in categories}) == len(categories)
    canonical = {r["level2"] for r in _rows("indicator_label_map") if r["level2"]}
    assert canonical == {c["level2"] for c in categories}
    for c in categories:
        assert re.fullmatch(r"[a-z_]+", c["level2_key"]), c
        assert c["level2"].startswith(c["level2_zh"]) and c["level2_en"], c
        assert {c["direction_money"], c["direction_count"], c["direction_percent"]} <= DIRECTIONS, c


def test_mandatory_categories_use_the_same_keys_and_labels():
    by_level2 = {c["level2"]: c for c in _rows("level2_categories")}
    keys = {c["level2_key"]: c for c in by_level2.values()}
    for m in _rows("mandatory_level2"):
        assert m["category_key"] in keys, m
        assert m["category_zh"] == keys[m["category_key"]]["level2_zh"], m
        assert m["satisfied_by_level2"] in by_level2, m


def test_scorecard_counts_are_named_by_key():
    keys = {c["level2_key"] for c in _rows("level2_categories")}
    marts = (ROOT / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8")
    counted = set(re.findall(r"- name: count_([a-z_]+)", marts))
    assert counted and counted <= keys


def test_lower_is_better_cues_are_words_of_names():
    cues = [r for r in _rows("indicator_name_cues") if r["cue_class"] == "lower_is_better"]
    assert {"投诉"} <= {c["cue"] for c in cues}
