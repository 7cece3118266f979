"""Tests that the compiled fast validator never accepts a document the full jsonschema validator rejects."""

from __future__ import annotations

import copy
import random
from decimal import Decimal

from assess.schema import is_valid, validator
from assess.yamlsafe import load_file

from conftest import ROOT

VALUES = [None, True, 0, -1, Decimal("2.5"), "", "x", "yes", [], {}, ["a"], {"k": 1}, "9bad", "1.0"]


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, prefix + (i,))


def mutate(data, rng):
    """One random damage: a value replaced, a key removed, or an unknown key added."""
    doc = copy.deepcopy(data)
    target = rng.choice([p for p in paths(doc) if p])
    parent = doc
    for step in target[:-1]:
        parent = parent[step]
    last = target[-1]
    kind = rng.randint(0, 2)
    if kind == 0:
        parent[last] = rng.choice(VALUES)
    elif kind == 1 and isinstance(parent, dict):
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"{last}_extra"] = 1
    else:
        parent[last] = rng.choice(VALUES)
    return doc


def test_fast_and_full_validators_agree_on_thousands_of_damaged_documents():
    rng = random.Random(7)
    cases = [("framework.schema.json", p) for p in sorted((ROOT / "frameworks").glob("*.yaml"))]
    cases += [("answers.schema.json", p) for p in sorted((ROOT / "frameworks" / "examples").glob("*.yaml"))]
    checked = rejected = 0
    for schema_name, path in cases:
        data = load_file(path).data
        assert is_valid(data, schema_name) and validator(schema_name).is_valid(data)
        for _ in range(100):
            doc = mutate(data, rng)
            full = validator(schema_name).is_valid(doc)
            if not full:
                rejected += 1
                assert not is_valid(doc, schema_name), (path.name, schema_name)
            checked += 1
    assert checked == len(cases) * 100 and rejected > len(cases) * 30
