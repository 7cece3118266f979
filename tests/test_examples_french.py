"""Tests the French worked examples (frameworks/examples/fr/): each is its English example in French — the same
ids, options and numbers, every free text translated — records its language and scores exactly as the original."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assess.answers import check, load_answers
from assess.loader import load_framework
from assess.model import Result, Score
from assess.pipeline import score_file
from assess.scoring import score

from conftest import ROOT, run_cli

EXAMPLES = ROOT / "frameworks" / "examples"
FRENCH = EXAMPLES / "fr"
NAMES = ["crime-politics-nexus", "mission-risk"]

TEXTS = {"title", "mission", "area", "analyst", "marking", "note", "ref", "name", "action", "for_whom", "addressee"}
TEXTS |= {"summary", "details", "reason"}
"""The keys whose values are free text, written in the assessment's language."""
OWN = {"id", "language", "predecessor"}
"""Top-level keys a translation has of its own: its id, its language, and no predecessor (the 2026-H1 review in
previous-period/ is the English example's)."""


def test_the_french_folder_holds_the_two_examples():
    assert sorted(p.name for p in FRENCH.glob("*.yaml")) == [f"{n}.answers.yaml" for n in NAMES]


def _same_but_texts(en: object, fr: object, path: str, key: str, texts: list[tuple[str, str]]) -> list[str]:
    """Where the French file's structure or non-text values differ from the English one; collects the pairs of
    texts (English, French) on the way."""
    if key in TEXTS and not isinstance(en, list):
        texts.append((str(en), str(fr)))
        return [] if isinstance(fr, str) and fr.strip() else [f"{path}: no text"]
    if key == "value" and isinstance(en, str) and " " in en:  # a text answer, not an option or a date
        texts.append((en, str(fr)))
        return []
    if isinstance(en, dict):
        keys = [k for k in en if not (path == "" and k in OWN)]
        if not isinstance(fr, dict) or keys != [k for k in fr if not (path == "" and k in OWN)]:
            return [f"{path}: keys differ"]
        return [d for k in keys for d in _same_but_texts(en[k], fr[k], f"{path}/{k}", k, texts)]
    if isinstance(en, list):
        if not isinstance(fr, list) or len(en) != len(fr):
            return [f"{path}: lengths differ"]
        return [
            d
            for i, (a, b) in enumerate(zip(en, fr, strict=True))
            for d in _same_but_texts(a, b, f"{path}[{i}]", key, texts)
        ]
    return [] if en == fr and type(en) is type(fr) else [f"{path}: {en!r} became {fr!r}"]


@pytest.mark.parametrize("name", NAMES)
def test_only_the_texts_are_translated(name):
    en = yaml.safe_load((EXAMPLES / f"{name}.answers.yaml").read_text(encoding="utf-8"))
    fr = yaml.safe_load((FRENCH / f"{name}.answers.yaml").read_text(encoding="utf-8"))
    texts: list[tuple[str, str]] = []
    assert _same_but_texts(en, fr, "", "", texts) == []
    assert fr["language"] == "fr" and list(fr)[list(fr).index("framework") + 1] == "language"
    assert fr["id"] != en["id"]  # another assessment, which headquarters can collect beside the English one
    assert "predecessor" not in fr
    untranslated = [e for e, f in texts if e == f and len(e) > 12]  # 'JMAC' is JMAC in both languages
    assert untranslated == []
    french = " ".join(f for _, f in texts)
    assert "\u00a0:" in french and "«\u00a0" in french  # French typography: non-breaking spaces
    assert all(word in french for word in ("Groupe d'experts", "JMAC", "UNPOL", "(fictive)"))


def _comparable(s: Score) -> tuple:
    """A score as scoring computed it, in any language: its value, display, band colour and direction."""
    return (s.id, s.kind, s.value, s.display, s.colour, s.direction, s.entity, s.low, s.high)


def _value(value: object) -> object:
    """An answer's value, but a text answer (translated) as only that it is one."""
    return "a text" if isinstance(value, str) and " " in value else value


def _scores(r: Result) -> dict:
    """Everything a result scores, by id: never a label or a name, which are in the file's language."""
    ids = {e.name: e.id for blocks in r.answers.entities.values() for e in blocks}
    return {
        "sections": {k: _comparable(s) for k, s in r.sections.items()},
        "entities": {
            k: {e: {i: _comparable(s) for i, s in ss.items()} for e, ss in es.items()}
            for k, es in r.entity_scores.items()
        },
        "derived": {k: _comparable(s) for k, s in r.derived.items()},
        "rankings": {k: [(rank, e, v) for rank, e, _, v in rows] for k, rows in r.rankings.items()},
        "questions": [(q.id, q.entity, q.status, _value(q.value), q.score, q.normalized) for q in r.questions],
        "coverage": r.coverage,
        "confidence": sorted(r.confidence.values()),  # keyed by the levels' labels
        "recommendations": [(x.rule, x.priority, x.section, x.entity) for x in r.recommendations],
        "gaps": [(g.kind, g.id, g.entity) for g in r.gaps],
        "heatmaps": {k: {at: [ids[n] for n in names] for at, names in h.cells.items()} for k, h in r.heatmaps.items()},
        "grades": r.grades,
        "requirements": [(q.id, q.entity, q.status, q.collectors) for q in r.requirements],
        "complete": r.complete,
    }


@pytest.mark.parametrize("name", NAMES)
def test_each_loads_checks_and_scores_exactly_as_its_english_original(name):
    fw, _ = load_framework(ROOT / "frameworks" / f"{name}.yaml")
    english, _ = load_answers(EXAMPLES / f"{name}.answers.yaml")
    french, located = load_answers(FRENCH / f"{name}.answers.yaml")
    assert french.language == "fr" and english.language == ""
    assert check(fw, french, located) == []  # no error, no warning: it pins this version and hash
    en, fr = score(fw, english), score(fw, french)
    assert fr.warnings == ()
    assert _scores(fr) == _scores(en)
    assert [s.rating for s in fr.sections.values()] == [s.rating for s in en.sections.values()]
    assert fr.confidence == en.confidence
    assert fr.recommendations and len(fr.gaps) == len(en.gaps)


@pytest.mark.parametrize("name", NAMES)
def test_opened_as_a_user_does_it_is_french_and_scores_the_same(name):
    english = score_file(EXAMPLES / f"{name}.answers.yaml")
    french = score_file(FRENCH / f"{name}.answers.yaml")
    assert (english.language, french.language) == ("en", "fr")  # the file's own language, none asked for
    assert french.result.framework.language == "fr"
    assert _scores(french.result) == _scores(english.result)
    ratings = [
        (s.rating, t.rating)
        for s, t in zip(english.result.sections.values(), french.result.sections.values(), strict=True)
    ]
    assert any(a and b and a != b for a, b in ratings)  # the French bands' labels
    assert not [w.code for w in french.warnings if w.code in ("W041", "W042")]  # every text of it in French


def test_the_readme_command_writes_a_french_report(tmp_path: Path):
    import docx

    out = tmp_path / "rapport.docx"
    r = run_cli("report", "frameworks/examples/fr/crime-politics-nexus.answers.yaml", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Évaluation des liens entre criminalité et politique" in text
    assert "Mouvement pour la Renaissance du Kasse (MRK) (fictif)" in text
