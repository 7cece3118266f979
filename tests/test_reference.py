"""Tests that the format reference page is current, documents every field, and its example is valid."""

from __future__ import annotations

import ast
import re

from assess import vocabulary
from assess.answers import answers_from_text
from assess.loader import framework_from_text
from assess.reference import render, render_vocabulary, vocabularies
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


VOCABULARY = ROOT / "assess" / "vocabulary.py"


def test_the_vocabulary_module_is_generated_from_the_schema():
    assert VOCABULARY.read_text(encoding="utf-8") == render_vocabulary(), (
        "run: python -m assess.reference --vocabulary > assess/vocabulary.py"
    )
    assert {name: getattr(vocabulary, name) for name in dir(vocabulary) if name.isupper()} == {
        _plural_name(name): values for name, values in vocabularies().items()
    }


def _plural_name(name: str) -> str:
    return (name[:-1] + "ies" if name.endswith("y") else name + "s").upper()


def _spellings(tree: ast.AST):
    """(line, the strings) of each tuple, list or set of two or more string literals, and of each docstring's words."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2:
            if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
                yield node.lineno, {e.value for e in node.elts if isinstance(e, ast.Constant)}, "literal"
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            yield node.lineno, set(re.findall(r"[\w]+", node.value.value)), "docstring"


def test_nothing_but_the_schema_spells_a_vocabulary():
    """No module restates a vocabulary of the format in a literal (whole, or all but one value: the way formats
    drift), nor does a docstring of the model: they use assess.vocabulary, generated from the schema."""
    vocab = {name: set(values) for name, values in vocabularies().items()}
    found = []
    for path in sorted((ROOT / "assess").rglob("*.py")):
        if path == VOCABULARY:
            continue
        model = path.parent.name == "model"
        for line, words, kind in _spellings(ast.parse(path.read_text(encoding="utf-8"))):
            for name, values in vocab.items():
                common = words & values
                whole = common == values or (len(values) >= 3 and len(common) == len(values) - 1)
                if whole and ((kind == "docstring" and model) or (kind == "literal" and words <= values)):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {kind} spells {name}: {sorted(common)}")
    assert found == [], "\n".join(found)
