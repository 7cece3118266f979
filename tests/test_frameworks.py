"""Tests the bundled frameworks and their worked examples as a user runs them."""

from __future__ import annotations

import json

import pytest

from assess.answers import check, load_answers
from assess.loader import load_framework
from assess.scoring import score

from conftest import ROOT, run_cli

FRAMEWORKS = sorted((ROOT / "frameworks").glob("*.yaml"))


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_bundled_framework_is_valid_without_warnings_and_named_after_its_id(path):
    fw, warnings = load_framework(path)
    assert warnings == []
    assert path.stem == fw.id
    assert fw.changelog and fw.changelog[0]["version"] == fw.version  # the newest entry first, for this version
    for q in fw.questions.values():
        assert q.guidance.strip(), f"{q.id} has no guidance"
    assert len(fw.rules) >= 5
    assert (ROOT / "frameworks" / "examples" / f"{fw.id}.answers.yaml").exists()


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_worked_example_checks_and_scores(path):
    fw, _ = load_framework(path)
    answers, located = load_answers(ROOT / "frameworks" / "examples" / f"{fw.id}.answers.yaml")
    assert check(fw, answers, located) == []  # no errors, no warnings: the pin matches this version and hash
    result = score(fw, answers)
    assert result.recommendations, "the example should show recommended actions"
    assert result.warnings == ()


def test_index_profile_example_scores_as_expected():
    r = run_cli("score", "frameworks/examples/goci-profile.answers.yaml", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    scores = {s["id"]: (s["display"], s["rating"]) for s in data["sections"]}
    assert scores == {
        "criminality": ("6.40", "High"),
        "criminal_markets": ("5.93", "Moderate"),
        "criminal_actors": ("6.88", "High"),
        "resilience": ("3.18", "Low"),
    }
    assert data["complete"] is False
    assert data["coverage"]["required_missing"] == 2  # and one indicator answered unknown (issue 16), not left open
    assert data["coverage"]["unknown"] == 1
    assert data["recommendations"][0]["priority"] == "critical"


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_worked_example_renders_a_report(path, tmp_path):
    import docx

    from assess.report import render_report

    fw, _ = load_framework(path)
    answers, _ = load_answers(ROOT / "frameworks" / "examples" / f"{fw.id}.answers.yaml")
    out = tmp_path / f"{fw.id}.docx"
    assert render_report(score(fw, answers), out) == []
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert answers.metadata["title"] in text and "Executive summary" in text
