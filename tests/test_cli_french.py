"""Tests the command line in French: errors with their code and line:col, validate's and score's own words, the
decimal comma of score's table (JSON and CSV unchanged), help texts, and English for a language it does not speak."""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys

import pytest

from assess.cli import main
from assess.errors import MESSAGES, WARNINGS, problem
from assess.i18n import set_language

from conftest import ROOT

NBSP, NNBSP = "\u00a0", "\u202f"

BAD = """\
id: x
version: 1.0.0
title: X
sections:
  - id: s
    title: S
    questions:
      - id: q
        text: Q
        type: scale
        scale: nope
"""

WEIGHT_IGNORED = """\
id: x
version: 1.0.0
title: X
sections:
  - id: s
    title: S
    aggregate: max
    questions:
      - {id: q, text: Q, type: yesno, weight: 2}
"""

MARKETS = """\
id: market-check
version: 1.0.0
title: "Market check"
languages: [en, fr]
precision: 2
scales:
  size:
    title: "Size"
    options:
      - {value: small, label: "Small", score: 5}
      - {value: large, label: "Large", score: 7.8}
ratings:
  level:
    bands:
      - {min: 0, max: 6, label: "Low", colour: "#1a7f37"}
      - {min: 6, max: 10, label: "High", colour: "#8b0000"}
sections:
  - id: markets
    title: "Markets"
    rating: level
    questions:
      - {id: gold, text: "How large is the gold market?", type: scale, scale: size}
      - {id: fuel, text: "How large is the fuel market?", type: scale, scale: size}
translations:
  fr:
    title: "Contrôle des marchés"
    scales:
      size: {title: "Taille", options: {small: {label: "Petit"}, large: {label: "Grand"}}}
    ratings:
      level: {bands: {"0": {label: "Faible"}, "6": {label: "Élevé"}}}
    sections:
      markets: {title: "Marchés"}
    questions:
      gold: {text: "Quelle est la taille du marché de l'or ?"}
      fuel: {text: "Quelle est la taille du marché du carburant ?"}
"""

ANSWERS = """\
format: assess-answers/1
framework: {id: market-check, version: "1.0.0", path: markets.yaml}
metadata: {title: "Market check, 2026-H2", period: "2026-H2", marking: UN RESTRICTED}
answers:
  gold: {value: small}
  fuel: {value: large}
"""


def run(*args: str, cwd=ROOT, **env: str) -> subprocess.CompletedProcess:
    """`python -m assess ARGS` in a subprocess with env added to the tests' English environment."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    command = [sys.executable, "-m", "assess", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=environment, timeout=120)


@pytest.fixture
def markets(write):
    """The two-language market check and its answers (6.40 for the section), in a folder of their own."""
    write("markets.yaml", MARKETS)
    return write("markets.answers.yaml", ANSWERS)


def test_the_locale_makes_validate_speak_french_with_the_code_and_line_col(write):
    bad = write("bad.yaml", BAD)
    r = run("validate", str(bad), LANG="fr_FR.UTF-8")
    assert r.returncode == 1
    said = f"{bad}:11:16: échelle «{NBSP}nope{NBSP}» inconnue{NNBSP}; définissez-la sous «{NBSP}scales{NBSP}»"
    assert said in r.stderr and r.stderr.rstrip().endswith("1 fichier sur 1 présente des problèmes")
    assert "[E202]" in r.stderr and "unknown scale" not in r.stderr


def test_lang_fr_speaks_french_and_english_stays_the_default(write):
    bad = write("bad.yaml", BAD)
    french = run("validate", "--lang", "fr", str(bad))
    english = run("validate", str(bad))
    assert f"{bad}:11:16: échelle «{NBSP}nope{NBSP}» inconnue" in french.stderr
    assert f"{bad}:11:16: unknown scale 'nope'; define it under 'scales'" in english.stderr
    assert english.stderr.rstrip().endswith("1 of 1 file(s) have problems")


def test_a_language_the_interface_does_not_speak_falls_back_to_english_and_says_so(write):
    bad = write("bad.yaml", BAD)
    r = run("validate", "--lang", "de", str(bad))
    assert r.returncode == 1
    assert "[W057]" in r.stderr and "unknown scale 'nope'" in r.stderr


def test_validate_says_valid_and_its_warnings_in_the_language_asked_each_time(write, capsys):
    f = str(write("w.yaml", WEIGHT_IGNORED))
    assert main(["validate", "--lang", "fr", f]) == 0
    out, err = capsys.readouterr()
    assert out == f"{f}{NBSP}: valide — x 1.0.0, 1 section, 1 question, 0 score dérivé, 0 règle, 1 avertissement\n"
    assert f"{f}:9:47: avertissement{NBSP}: sections[0].questions[0]{NBSP}: le poids est sans effet" in err
    set_language("en")
    assert main(["validate", f]) == 0  # the same file again, now from the cache: its warning in English
    out, err = capsys.readouterr()
    assert out.startswith(f"{f}: valid — x 1.0.0") and "warning: sections[0].questions[0]: weight has no effect" in err


def test_score_prints_its_table_in_french_with_decimal_commas_and_french_texts(markets, capsys):
    assert main(["score", "--lang", "fr", str(markets)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1] == "Contrôle des marchés 1.0.0"
    assert table[2] == f"Période{NBSP}: 2026-H2   Diffusion{NBSP}: UN RESTRICTED"
    assert table[3].startswith(f"État{NBSP}: complète — 2 questions sur 2 renseignées, 0 sans objet")
    assert table[6].split() == ["Score", "Valeur", "Niveau"]
    assert table[7].split() == ["Marchés", "6,40", "Élevé"]


def test_score_in_english_keeps_its_table_and_dot(markets, capsys):
    assert main(["score", str(markets)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[3].startswith("Status: complete — 2 of 2 questions answered, 0 not applicable")
    assert table[7].split() == ["Markets", "6.40", "High"]


def test_json_and_csv_stay_machine_readable_in_french(markets, capsys):
    assert main(["score", "--lang", "fr", str(markets), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sections"][0]["score"] == 6.4 and data["sections"][0]["id"] == "markets"
    assert main(["score", "--lang", "fr", str(markets), "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("assessment,framework,version,section,")  # the columns are ids, never translated
    assert ",gold," in rows[1] and ",5.00," in rows[1] and ",7.80," in rows[2]


def test_a_french_table_is_an_earlier_result_replaced_without_force(markets, capsys):
    out = markets.parent / "result.txt"
    assert main(["score", str(markets), "-o", str(out)]) == 0
    assert main(["score", "--lang", "fr", str(markets), "-o", str(out)]) == 0  # an English table, replaced
    assert "6,40" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().err.endswith(f"{out} écrit\n")
    assert main(["score", str(markets), "-o", str(out)]) == 0  # a French one, replaced too
    assert "6.40" in out.read_text(encoding="utf-8")


def test_the_help_of_a_command_is_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "score", "-h"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "écrire dans FILE au lieu de la sortie standard" in shown
    assert "calculer les scores" not in shown  # the command's own help is on the list of commands
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "-h"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "calculer les scores d'un fichier de réponses et afficher le résultat" in shown


@pytest.mark.parametrize("code", sorted({**MESSAGES, **WARNINGS}))
def test_every_message_formats_in_french_with_every_value_it_is_given(code):
    template = MESSAGES.get(code) or WARNINGS[code]
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    fields = {name: f"<{name}>" for name in names}
    set_language("fr")
    message = problem("f.yaml", (3, 4), code, **fields).message
    words = any(c.isalpha() for c in string.Formatter().vformat(template, (), dict.fromkeys(names, "")))
    assert message != template.format(**fields) or not words, "not translated"
    assert all(f"<{name}>" in message for name in names if "!r" not in template), message
    assert " :" not in message and " ;" not in message, f"a plain space before a colon or semicolon: {message}"


def test_argparse_and_the_schema_explain_themselves_in_french(write, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "fr", "score"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith(f"utilisation{NBSP}: assess score")
    assert f"assess score{NBSP}: erreur{NBSP}: les arguments suivants sont obligatoires{NBSP}: ANSWERS" in err
    typo = str(write("typo.yaml", "id: x\nversion: 1.0.0\ntitle: X\nsectons: []\nsections:\n  - {id: s, title: 3}\n"))
    assert main(["validate", "--lang", "fr", typo]) == 1
    err = capsys.readouterr().err
    assert (
        f"{typo}:4:1: clé inconnue «{NBSP}sectons{NBSP}»{NNBSP}; vouliez-vous dire «{NBSP}sections{NBSP}»{NNBSP}? [E102]"
        in err
    )
    assert f"sections[0].title{NBSP}: on attendait du texte, on a trouvé le nombre 3 [E103]" in err


def test_the_tables_gaps_are_said_in_french_and_so_are_the_jsons(write, capsys):
    write("markets.yaml", MARKETS.replace("scale: size}\n", "scale: size, required: true}\n"))
    answers = write("markets.answers.yaml", ANSWERS.replace("  fuel: {value: large}\n", ""))
    assert main(["score", "--lang", "fr", str(answers)]) == 0
    table = capsys.readouterr().out
    assert (
        "\nLacunes (1)\n  - Question obligatoire sans réponse\u00a0: Quelle est la taille du marché du\n    carburant"
        in table
    )
    assert main(["score", "--lang", "fr", str(answers), "--format", "json"]) == 0
    gaps = json.loads(capsys.readouterr().out)["gaps"]
    assert [(g["kind"], g["message"]) for g in gaps] == [  # the core words it in the result's language; kind is the key
        ("required_missing", "Question obligatoire sans réponse\u00a0: Quelle est la taille du marché du carburant ?")
    ]


def test_the_plan_workbook_speaks_french_and_a_french_plan_begun_is_known_in_any_language(markets):
    import openpyxl  # a dependency of assess (the plan workbook), imported only by the tests that read one

    from assess.pipeline import score_file
    from assess.workbook import filled_row, write_plan

    set_language("fr")
    book = markets.parent / "plan.xlsx"
    assert write_plan(score_file(str(markets), lang="fr").result, book) == []
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Plan d'action", "Plan de collecte", "À propos"]
    assert [c.value for c in wb["Plan d'action"][1]][-3:] == ["Responsable", "Échéance", "Statut"]
    assert wb["À propos"]["A8"].value == "État" and wb["À propos"]["B8"].value == "complète"
    assert filled_row(book) is None
    wb["Plan d'action"]["M2"] = "Cne Martin"  # the mission names an owner
    wb.save(book)
    set_language("en")
    assert filled_row(book) == "row 2"  # read in English too: not replaced without --force
