"""Tests that the index profile framework reproduces every published GI-TOC aggregate, 2021 and 2023, exactly."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from assess.loader import load_framework
from assess.model import Answer, Answers, Pin
from assess.scoring import score

from conftest import ROOT, SHARED

DATA = SHARED / "data" / "goci" / "goci_2021_2023.csv"
PUBLISHED = {
    "pub_markets": "criminal_markets",
    "pub_actors": "criminal_actors",
    "pub_criminality": "criminality",
    "pub_resilience": "resilience",
}


def column_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def rows():
    if not DATA.exists():
        pytest.fail(
            f"the published GI-TOC data is not at {DATA}; this test needs ../shared/data/goci beside the "
            "repository (it is not copied into the project)"
        )
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_published_row_is_reproduced_to_the_last_digit():
    fw, _ = load_framework(ROOT / "frameworks" / "goci-profile.yaml")
    data = rows()
    assert len(data) == 386
    indicator_columns = [c for c in data[0] if c not in ("edition", "country") and not c.startswith("pub_")]
    assert [column_id(c) for c in indicator_columns] == list(fw.questions)  # same 32 indicators, same order
    mismatches = []
    for row in data:
        answers = {column_id(c): Answer(Fraction(Decimal(row[c]))) for c in indicator_columns if row[c]}
        result = score(fw, Answers(Pin(fw.id, fw.version), {"title": row["country"]}, answers=answers))
        for pub, section in PUBLISHED.items():
            if Decimal(result.sections[section].display) != Decimal(row[pub]):
                mismatches.append((row["edition"], row["country"], pub, row[pub], result.sections[section].display))
    assert mismatches == []


def test_float_arithmetic_would_not_have_been_enough():
    """The exactness above is not luck: binary floats with round() get many of the same figures wrong."""
    data = rows()
    wrong = 0
    for row in data:
        markets = [float(row[c]) for c in list(row)[2:17] if row[c]]
        actors = [float(row[c]) for c in list(row)[17:22] if row[c]]
        m, a = sum(markets) / len(markets), sum(actors) / len(actors)
        wrong += Decimal(f"{round((m + a) / 2, 2):.2f}") != Decimal(row["pub_criminality"])
    assert wrong > 20
