"""Tests the core's own sentences in French: gaps, the collection plan's why and the score methods worded in the
language of scoring, addressees and collectors in the CLI and the spreadsheets, the plan's "each risk listed" in
French grammar, diff's words and bumps, and the languages 'assess frameworks' lists; English unchanged."""

from __future__ import annotations

import csv
import io
import re

import pytest

from assess.cli import main
from assess.collection_plan import requirements_csv
from assess.i18n import set_language
from assess.loader import load_framework
from assess.output import actions_csv
from assess.pipeline import score_file
from assess.plan import merged

from conftest import ROOT

NBSP, NNBSP = "\u00a0", "\u202f"
FRENCH_EXAMPLE = ROOT / "frameworks" / "examples" / "fr" / "crime-politics-nexus.answers.yaml"
ENGLISH_EXAMPLE = ROOT / "frameworks" / "examples" / "crime-politics-nexus.answers.yaml"


@pytest.fixture(scope="module")
def french():
    """The French example scored in French."""
    return score_file(FRENCH_EXAMPLE, lang="fr").result


def test_gaps_why_and_methods_are_french_when_scored_in_french(french):
    messages = [g.message for g in french.gaps]
    assert any(m.startswith(f"Question obligatoire sans réponse{NBSP}: ") for m in messages)
    assert any(m.startswith(f"Réponse «{NBSP}inconnu{NBSP}» (lacune de renseignement){NBSP}: ") for m in messages)
    assert any(
        re.match(rf"(Faible degré de confiance|Confiance faible) \(indiquée?{NBSP}: Faible\){NBSP}: ", m)
        for m in messages
    )
    assert not any(re.search(r"Required|Answered|Low confidence|No sources", m) for m in messages)
    whys = [r.why for r in french.requirements]
    assert whys and all(w.startswith(("Inconnu", "Réponse avec un")) for w in whys)
    assert any(
        re.search(rf"{NNBSP}; pèse 1 dans .*, dont le score est \d,\d\d et pourrait être \d,\d\d–\d,\d\d", w)
        for w in whys
    )
    assert not any(re.search(r"weighs|whose|\d\.\d", w) for w in whys)
    methods = [s.method for s in french.sections.values()] + [d.method for d in french.derived.values()]
    assert any(re.match(r"moyenne de \d+ ", m) for m in methods)
    assert any(re.search(r"\u202f; 1 écarté.? \((inconnue?|sans réponse)\)", m) for m in methods)
    assert any(re.match(r"maximum sur \d+ .*blocs «\u00a0acteur\u00a0»", m) for m in methods)
    assert any(m.startswith("calculé comme ") for m in methods)
    assert not any(re.search(r"\b(of \d|inputs|left out|computed as|blocks)\b", m) for m in methods)


def test_the_same_file_scored_in_english_keeps_the_cores_english_words():
    result = score_file(FRENCH_EXAMPLE, lang="en").result
    assert any(g.message.startswith("Required question not answered: ") for g in result.gaps)
    assert any(r.why.startswith("Unknown; weighs 1 in ") for r in result.requirements)
    assert any(
        re.fullmatch(r"mean of \d+ of \d+ inputs(; \d+ left out \(.*\))?", s.method) for s in result.sections.values()
    )


def test_a_french_file_under_an_english_locale_scores_in_french_words(monkeypatch):
    """The language of the result (the file's own here) words the gaps, not the interface set before scoring."""
    set_language("en")
    scored = score_file(FRENCH_EXAMPLE)
    assert scored.language == "fr"
    assert any(g.message.startswith("Question obligatoire sans réponse") for g in scored.result.gaps)


def test_score_table_names_addressees_in_french(capsys):
    assert main(["score", "--lang", "fr", str(FRENCH_EXAMPLE)]) == 0
    table = capsys.readouterr().out
    flat = re.sub(r"[ \n]+", " ", table)  # the table's wrapping undone (its no-break spaces kept)
    assert f"→ Direction de la mission (RSSG / chef de mission){NBSP}:" in flat
    assert "Mission leadership" not in flat and "Required question" not in flat


def test_action_and_collection_plans_csv_label_addressees_and_collectors_in_french(french):
    set_language("fr")
    actions = list(csv.DictReader(io.StringIO(actions_csv(french, bom=False))))
    assert {a["addressee"] for a in actions} >= {"Affaires civiles"}
    assert not {a["addressee"] for a in actions} & {"Civil affairs", "Justice and corrections"}
    needs = list(csv.DictReader(io.StringIO(requirements_csv(french, bom=False))))
    collectors = "; ".join(n["collectors"] for n in needs)
    assert "Société civile et sources ouvertes" in collectors and "Civil society" not in collectors
    assert {n["gap"] for n in needs} <= {"inconnue", "faible degré de confiance", "confiance faible"}


def test_english_csv_keeps_the_english_labels():
    result = score_file(ENGLISH_EXAMPLE, lang="en").result
    actions = list(csv.DictReader(io.StringIO(actions_csv(result, bom=False))))
    assert "Civil affairs" in {a["addressee"] for a in actions}


@pytest.mark.parametrize("fid", ["mission-risk", "crime-politics-nexus"])
def test_each_block_listed_reads_as_french_in_the_bundled_frameworks_rules(fid):
    set_language("fr")
    fw, _warnings = load_framework(ROOT / "frameworks" / f"{fid}.yaml", "fr")
    texts = [t for r in fw.rules if (m := merged(fw, r.id)) for t in m]
    assert texts and all("de la liste" in t or "{entity}" not in t for t in texts)
    joined = "\n".join(texts)
    assert "chaque" in joined
    bad = re.findall(r"\b(?:du|au|aux|des|le|la|les|de le|à le)\s+chaque\b|\b[ld]['’]chaque\b", joined, re.IGNORECASE)
    assert not bad, bad
    if fid == "mission-risk":
        assert "à l'origine de chaque risque de la liste" in joined
        assert "Chaque risque de la liste est jugé" in joined


def test_each_block_listed_in_english_is_as_before():
    fw, _warnings = load_framework(ROOT / "frameworks" / "mission-risk.yaml")
    texts = [t for r in fw.rules if (m := merged(fw, r.id)) for t in m]
    assert any(t.startswith("Each risk listed is rated") for t in texts)


def test_frameworks_lists_each_frameworks_languages(capsys):
    assert main(["frameworks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    line = next(x for x in lines if x.startswith("mission-risk "))
    assert line.split()[1:3] == ["en,", "fr"]
    assert next(x for x in lines if x.startswith("oc-threat ")).split()[1] == "en"


def test_diff_says_its_counts_and_bumps_in_french(capsys):
    old = sorted((ROOT / "frameworks" / "previous").glob("mission-risk-1.1.0-*.yaml"))[0]
    main(["diff", "--lang", "fr", str(old), str(ROOT / "frameworks" / "mission-risk.yaml")])
    out = capsys.readouterr().out
    assert "déclarée majeure" in out or "majeure" in out.splitlines()[0]
    assert f"traductions fr{NBSP}: aucune → 303 textes sur 303" in out
    assert re.search(rf"journal des modifications{NBSP}: \d entrées → \d entrées", out)
    assert " major" not in out and "entries" not in out


def test_score_counts_agree_in_number_in_french(tmp_path, capsys):
    assert main(["score", "--lang", "fr", str(FRENCH_EXAMPLE)]) == 0
    status = re.sub(r"[ \n]+", " ", capsys.readouterr().out)
    assert "(s)" not in status
    assert re.search(r"\d+ questions sur \d+ renseignées", status)
