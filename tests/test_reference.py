"""Tests that the format reference page is current, documents every field, and its example is valid."""

from __future__ import annotations

import re

from assess.answers import answers_from_text
from assess.loader import framework_from_text
from assess.reference import render
from assess.schema import schema

from conftest import ROOT

PAGE = ROOT / "frameworks" / "FORMAT.md"


def test_reference_page_is_generated_from_the_schemas():
    assert PAGE.read_text(encoding="utf-8") == render(), "run: python -m assess.reference > frameworks/FORMAT.md"


def test_every_schema_field_has_a_description_on_the_page():
    text = PAGE.read_text(encoding="utf-8")
    for name in ("framework.schema.json", "answers.schema.json"):
        s = schema(name)
        objects = [s, *s["$defs"].values(), *s["properties"].values()]
        for obj in objects:
            for field, prop in obj.get("properties", {}).items():
                ref = prop.get("$ref", "").split("/")[-1]
                assert prop.get("description") or s["$defs"].get(ref, {}).get("description"), field
                assert f"| `{field}` |" in text, field


def test_the_example_framework_on_the_page_is_valid_and_scores():
    block = re.search(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S).group(1)
    fw, warnings = framework_from_text(block, "FORMAT.md")
    assert warnings == [] and fw.id == "sanctions-check"
    answers, _ = answers_from_text(
        "format: assess-answers/1\nframework: {id: sanctions-check, version: 1.0.0}\nmetadata: {title: x}\n"
        "answers:\n  regime_in_force: {value: 'yes'}\n  criteria_cover_crime: {value: none}\n"
        "entities:\n  armed_groups:\n    - {id: g1, name: Northern Front, answers: {listed: {value: none}}}\n"
    )
    from assess.scoring import score

    r = score(fw, answers)
    assert [x.finding for x in r.recommendations] == [
        "The listing criteria do not cover trafficking or organized crime.",
        "Northern Front has no listed leader.",
    ]
    assert r.derived["overall"].display == "0.00" and r.derived["overall"].rating == "Weak"
