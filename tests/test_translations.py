"""Tests of translations in the framework format: languages and the translations block, a framework loaded in a
language, the built-in blocks' French, validate's missing translations (W040, --strict), E901-E903, W041-W042."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assess.errors import AssessError
from assess.loader import framework_from_text, load_framework

from conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "languages" / "riverside.yaml"


def _pos(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of needle in text."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def test_a_framework_loads_in_its_default_language_and_says_its_languages():
    fw, warnings = load_framework(FIXTURE)
    assert (fw.language, fw.languages) == ("en", ("en", "fr"))
    assert fw.title == "Riverside port check (test fixture)"
    assert fw.questions["kj_likelihood"].text == "How likely is it?"
    assert not [w for w in warnings if w.code in ("W040", "W041", "W042")]


def test_a_framework_loads_in_french_every_kind_of_text_translated():
    fw, warnings = load_framework(FIXTURE, "fr")
    en, _ = load_framework(FIXTURE)
    assert fw.language == "fr" and fw.hash == en.hash  # the file's hash, whatever the language
    assert fw.title == "Contrôle du port fluvial (jeu d'essai)"
    q = fw.questions
    assert q["boats"].text == "Combien de bateaux déchargent chaque semaine ?" and q["boats"].unit == "bateaux"
    assert [(o.label, o.description) for o in q["control"].options] == [
        ("L'autorité portuaire", ""),
        ("Un gang", "Les droits sont versés à un gang."),
    ]
    assert [(o.label, o.short) for o in q["reach"].options] == [("Faible", "F"), ("Élevé", "É"), ("Inconnu", "")]
    assert [o.label for o in q["harm"].options][:2] == ["1 – Négligeable", "2"]
    assert q["harm"].options[-1].label == "Inconnu"  # the 'unknown' a range scale adds, in French
    crews = fw.all_sections["crews"]
    assert crews.title == "Équipages" and crews.repeat is not None and crews.repeat.label == "équipage"
    assert crews.table is not None and crews.table.title == "Les équipages en bref"
    assert crews.table.columns[0].header == "Emprise"
    assert fw.all_sections["key_judgements"].title == "Perspectives"
    assert fw.derived[0].title == "Menace globale"
    assert [b.label for b in fw.ratings["threat"].bands] == ["Faible", "Élevée"]
    assert fw.ratings["threat"].title == "Menace"
    assert fw.rules[0].finding == "Un gang contrôle les quais." and fw.rules[0].reference.startswith("Fixture brief")
    assert fw.heatmaps[0].title == "Équipages par emprise et par tort"
    # the one text left untranslated stays in English, and one warning counts it
    assert q["boats"].guidance == "Count from the harbour master's log."
    w041 = [str(w) for w in warnings if w.code == "W041"]
    assert w041 == [
        f"{FIXTURE}: warning: texts without a French translation: 1; they are shown in English "
        "(assess validate lists them) [W041]"
    ]
    # ids, values and scores do not change with the language
    assert [o.value for o in q["control"].options] == [o.value for o in en.questions["control"].options]
    assert [o.score for o in q["reach"].options] == [o.score for o in en.questions["reach"].options]


def test_the_built_in_blocks_and_scales_speak_french():
    fw, _ = load_framework(FIXTURE, "fr")
    kj = fw.all_sections["key_judgements"]
    assert kj.repeat is not None and kj.repeat.label == "jugement clé"
    assert fw.questions["kj_likelihood"].text == "Quelle en est la probabilité\u202f?"
    labels = [o.label for o in fw.questions["kj_likelihood"].options]
    assert [label.split(" (")[0] for label in labels] == [
        "Quasiment aucune chance",
        "Très improbable",
        "Improbable",
        "À peu près autant de chances que non",
        "Probable",
        "Très probable",
        "Presque certain",
    ]
    assert labels[0].endswith("(01–05\u00a0%)")  # a non-breaking space before %, as French typography has it
    assert [o.label for o in fw.scales["trajectory"].options] == ["En baisse", "Stable", "En hausse", "Inconnu"]
    assert [o.label for o in fw.scales["phia"].options][3] == "Possibilité réaliste (40–50\u00a0%)"
    assert [o.label for o in fw.questions["kj_confidence"].options] == ["Faible", "Modéré", "Élevé"]


def test_a_language_the_framework_lacks_gives_its_default_once_and_a_region_its_language():
    fw, warnings = load_framework(FIXTURE, "de")
    assert fw.language == "en" and fw.title.startswith("Riverside")
    assert [w.message for w in warnings if w.code == "W042"] == [
        "riverside-check has no German texts (its languages: en, fr); its texts are shown in English"
    ]
    fw, warnings = load_framework(FIXTURE, "fr-CA")
    assert fw.language == "fr" and fw.title.startswith("Contrôle")
    assert not [w for w in warnings if w.code == "W042"]


def test_the_cache_keeps_each_language_apart(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSESS_NO_CACHE", raising=False)
    copy = tmp_path / "riverside.yaml"
    shutil.copy(FIXTURE, copy)
    for lang, title in (("fr", "Contrôle"), (None, "Riverside"), ("fr", "Contrôle"), ("en", "Riverside")):
        assert load_framework(copy, lang)[0].title.startswith(title)


def test_a_framework_without_languages_is_english():
    fw, _ = framework_from_text(
        "id: x\nversion: 1.0.0\ntitle: X\nsections:\n- {id: s, title: S, questions: [{id: q, text: Q, type: yesno}]}\n"
    )
    assert (fw.language, fw.languages) == ("en", ("en",))


def test_validate_lists_each_missing_translation_at_the_source_text_and_strict_refuses(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    line, col = _pos(text, '"Count from the harbour')
    r = run_cli("validate", str(FIXTURE))
    assert r.returncode == 0, r.stderr
    assert f"{FIXTURE}:{line}:{col}: warning: no French translation of questions.boats.guidance (fr)" in r.stderr
    assert "French (fr): 35 of 36 texts translated" in r.stdout
    r = run_cli("validate", "--strict", str(FIXTURE))
    assert r.returncode == 1
    assert f"{FIXTURE}:{line}:{col}: no French translation of questions.boats.guidance (fr)" in r.stderr
    assert "[E912]" in r.stderr and "valid" not in r.stdout
    done = tmp_path / "done.yaml"
    done.write_text(text.replace('unit: "bateaux"}', 'unit: "bateaux", guidance: "Comptez."}'), encoding="utf-8")
    r = run_cli("validate", "--strict", str(done))
    assert r.returncode == 0, r.stderr
    assert "French (fr): 36 of 36 texts translated" in r.stdout and "W040" not in r.stderr


@pytest.mark.parametrize(
    ("wrong", "needle", "says"),
    [
        (
            '      harm: {text: "Quel tort cause-t-il ?"}\n      nothing: {text: "Rien"}\n',
            "nothing:",
            "translations.fr.questions.nothing translates nothing: the framework has no question 'nothing'",
        ),
        (
            '      harm: {text: "Quel tort cause-t-il ?", guidance: "Aide"}\n',
            'guidance: "Aide"',
            "translations.fr.questions.harm.guidance translates nothing: the source has no 'guidance' text there",
        ),
        (
            '      harm: {text: "Quel tort cause-t-il ?", colour: "rouge"}\n',
            'colour: "rouge',
            "translations.fr.questions.harm.colour translates nothing",
        ),
    ],
)
def test_a_translation_of_nothing_is_an_error_at_the_translation(wrong, needle, says):
    text = FIXTURE.read_text(encoding="utf-8").replace('      harm: {text: "Quel tort cause-t-il ?"}\n', wrong)
    with pytest.raises(AssessError) as exc:
        framework_from_text(text, "fw.yaml")
    line, col = _pos(text, needle)
    found = [p for p in exc.value.problems if p.code == "E901"]
    assert [(p.line, p.col) for p in found] == [(line, col)]
    assert says in found[0].message


def test_an_option_that_does_not_exist_is_named():
    text = FIXTURE.read_text(encoding="utf-8").replace("          state: {label:", "          stat: {label:")
    with pytest.raises(AssessError) as exc:
        framework_from_text(text, "fw.yaml")
    assert [p.message.split(";")[0] for p in exc.value.problems] == [
        "translations.fr.questions.control.options.stat translates nothing: there is no option 'stat' there"
    ]


def test_a_block_for_an_undeclared_or_the_default_language_is_an_error():
    text = FIXTURE.read_text(encoding="utf-8")
    with pytest.raises(AssessError) as exc:
        framework_from_text(text.replace("languages: [en, fr]", "languages: [en]"), "fw.yaml")
    assert [(p.code, p.line) for p in exc.value.problems] == [("E902", _pos(text, "  fr:\n")[0])]
    with pytest.raises(AssessError) as exc:
        framework_from_text(text.replace("languages: [en, fr]", "languages: [fr, en]"), "fw.yaml")
    assert [p.code for p in exc.value.problems] == ["E903"]
    with pytest.raises(AssessError) as exc:
        framework_from_text(text.replace("languages: [en, fr]", "languages: [en, french]"), "fw.yaml")
    assert "is not a language code" in exc.value.problems[0].message


def test_the_pipeline_opens_answers_in_the_language_asked_for_else_their_own(tmp_path):
    from assess.pipeline import open_answers, score_file

    shutil.copy(FIXTURE, tmp_path / "riverside.yaml")
    out = tmp_path / "a.answers.yaml"
    r = run_cli("new", str(tmp_path / "riverside.yaml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    opened = open_answers(out)
    assert opened.language == "en" and opened.framework.title.startswith("Riverside")
    opened = open_answers(out, lang="fr")
    assert opened.language == "fr" and opened.framework.title.startswith("Contrôle")
    text = out.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text  # assess new records the language it was started in
    out.write_text(text.replace("\nlanguage: en\n", "\nlanguage: fr\n", 1), encoding="utf-8")
    opened = open_answers(out)
    assert opened.answers.language == "fr" and opened.framework.language == "fr" and opened.language == "fr"
    from assess.i18n import language

    (w041,) = [w for w in opened.framework_warnings if w.code == "W041"]
    assert "French" not in w041.message and language() == "en"  # worded in the assessment's language; no leak
    assert open_answers(out, lang="en").framework.title.startswith("Riverside")
    assert score_file(out).language == "fr"


def test_the_format_reference_documents_each_kind_of_translation():
    page = (ROOT / "frameworks" / "FORMAT.md").read_text(encoding="utf-8")
    for part in ("### translation", "### question_translation", "| `repeat_label` |", "| `languages` |"):
        assert part in page
    assert Path(FIXTURE).exists()


def test_a_changed_translation_is_a_text_only_change_in_diff():
    from assess.diff import diff

    text = FIXTURE.read_text(encoding="utf-8")
    old, _ = framework_from_text(text, "old.yaml")
    new, _ = framework_from_text(text.replace("Combien de bateaux", "Combien de navires"), "new.yaml")
    changes = diff(old, new).changes
    assert [(c.field, c.old, c.new, c.effect, c.bump) for c in changes] == [
        ("translations fr", "35 of 36 texts", "35 of 36 texts, changed", "text", "patch")
    ]
    start = text.index("translations:\n")
    plain, _ = framework_from_text(text[:start].replace("languages: [en, fr]\n", ""), "plain.yaml")
    changes = diff(plain, old).changes
    assert [(c.field, c.new, c.bump) for c in changes] == [
        ("languages", "en, fr", "patch"),
        ("translations fr", "35 of 36 texts", "patch"),
    ]


def test_the_recommendation_catalogue_takes_translations_of_its_entries():
    from assess.catalogue import catalogue, translated, translation_problems

    data = {
        "languages": ["en", "fr"],
        "recommendations": [
            {"id": "unu_1a", "group": "1. Tools", "text": "Consider missions."},
            {"id": "nupi_1", "group": "Prevention", "text": "Prevent crime.", "note": "Context."},
        ],
        "translations": {
            "fr": {"recommendations": {"unu_1a": {"group": "1. Outils", "text": "Envisager des missions."}}}
        },
    }
    fr = translated(data, "fr")["recommendations"]
    assert [(r["group"], r["text"]) for r in fr] == [
        ("1. Outils", "Envisager des missions."),
        ("Prevention", "Prevent crime."),
    ]
    assert translated(data, None) is data and data["recommendations"][0]["text"] == "Consider missions."
    assert translation_problems(data) == [
        "translations.fr.recommendations.nupi_1.group: missing",
        "translations.fr.recommendations.nupi_1.text: missing",
        "translations.fr.recommendations.nupi_1.note: missing",
    ]
    data["translations"]["fr"]["recommendations"]["gone_1"] = {"text": "x"}
    assert "translations.fr.recommendations.gone_1.(entry): translates nothing" in translation_problems(data)
    bundled = catalogue()
    assert catalogue("fr")["recommendations"][0]["id"] == bundled["recommendations"][0]["id"]
    assert translation_problems(bundled) == []  # the bundled catalogue is complete in French


def test_a_ready_made_block_without_a_title_of_its_own_has_its_french_title_from_the_code():
    text = FIXTURE.read_text(encoding="utf-8").replace(
        '{include: key_judgements, title: "Outlook"}', "{include: key_judgements}"
    )
    plain = text.replace('      key_judgements: {title: "Perspectives"}\n', "").replace("    includes:\n", "")
    fw, warnings = framework_from_text(plain, "fw.yaml", "fr")
    assert fw.all_sections["key_judgements"].title == "Jugements clés et perspectives"
    assert [w.message.split(";")[0] for w in warnings if w.code == "W041"] == ["texts without a French translation: 1"]
    # a framework may still give the default title a translation of its own (it is optional, never missing)
    fw, _ = framework_from_text(text.replace('{title: "Perspectives"}', '{title: "Jugements clés"}'), "fw.yaml", "fr")
    assert fw.all_sections["key_judgements"].title == "Jugements clés"


def test_validate_of_standard_input_counts_the_translations_and_strict_refuses_a_missing_one():
    import os
    import subprocess
    import sys

    def validate(*more: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        text = FIXTURE.read_text(encoding="utf-8")
        cmd = [sys.executable, "-m", "assess", "validate", *more, "-"]
        return subprocess.run(cmd, input=text, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)

    r = validate()
    assert r.returncode == 0 and "French (fr): 35 of 36 texts translated" in r.stdout
    r = validate("--strict")
    assert r.returncode == 1 and "<stdin>: texts without a French translation: 1; validate --strict refuses" in r.stderr


def test_a_translation_that_changes_the_names_assess_fills_in_is_warned_of_at_the_translation():
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace('finding: "A gang controls the docks."', 'finding: "{entity} controls the docks."')
    text = text.replace('finding: "Un gang contrôle les quais."', 'finding: "{entité} contrôle les quais."')
    _, warnings = framework_from_text(text, "fw.yaml")
    (w,) = [w for w in warnings if w.code == "W046"]
    assert (w.line, w.col) == _pos(text, '"{entité}')
    assert w.message.startswith(
        "translations.fr.rules.gang_docks.finding names {entité} where the source names {entity}"
    )
    fixed = text.replace('"{entité} contrôle', '"{entity} contrôle')
    assert not [w for w in framework_from_text(fixed, "fw.yaml")[1] if w.code == "W046"]


def test_validate_refuses_a_control_character_or_a_line_break_in_a_one_line_translation(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace('low: {label: "Faible", short: "F"}', 'low: {label: "Fai\\u0007\\e[31mble", short: "F"}')
    text = text.replace('"5": "Grave"}', '"5": "Gra\\nve"}')
    text = text.replace('description: "Une priorité."', 'description: "Une priorité :\\n-\\tà traiter."')
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    r = run_cli("validate", str(path))
    assert r.returncode == 1 and "valid" not in r.stdout
    line, col = _pos(text, '"Fai\\u0007')
    assert (
        f"{path}:{line}:{col}: translations.fr.scales.level.options.low.label holds a control character (U+0007)"
        in (r.stderr)
    )
    line, col = _pos(text, '"Gra\\nve"')
    assert f"{path}:{line}:{col}: translations.fr.scales.grade.labels.5 holds a line break (U+000A), but it is a " in (
        r.stderr
    )
    assert [ln[-6:] for ln in r.stderr.splitlines() if "[E91" in ln] == ["[E914]", "[E915]"]  # not the description
    fixed = text.replace("Fai\\u0007\\e[31mble", "Faible").replace("Gra\\nve", "Grave")
    fw, _ = framework_from_text(fixed, "fw.yaml", "fr")
    assert fw.ratings["threat"].bands[1].description == "Une priorité :\n-\tà traiter."  # several lines: a tab too


def test_a_language_is_named_in_the_interface_language_never_in_its_own(monkeypatch):
    from assess import i18n

    (w,) = [w for w in load_framework(FIXTURE, "de")[1] if w.code == "W042"]
    assert "German" in w.message and "English" in w.message and "Deutsch" not in w.message
    i18n.set_language("fr")
    (w,) = [w for w in load_framework(FIXTURE, "de")[1] if w.code == "W042"]
    assert "allemand" in w.message and "anglais" in w.message and "Deutsch" not in w.message
    (w,) = [w for w in load_framework(FIXTURE, "ar")[1] if w.code == "W042"]
    assert "arabe" in w.message and "العربية" not in w.message
    # an interface language without catalogues: its words are English, and so are the names
    monkeypatch.setattr(i18n, "language", lambda: "de")
    (w,) = [w for w in framework_from_text(FIXTURE.read_text(encoding="utf-8"), "fw.yaml", "ar")[1] if w.code == "W042"]
    assert "Arabic" in w.message and "Englisch" not in w.message
