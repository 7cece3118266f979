"""Tests the planner's app in French (issue 18): the screens, keys and help in French under the pilot, a new
assessment recording its language, an Arabic note saved byte for byte, and the start screen in a real terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from test_tui_terminal import Tmux  # a real terminal on its own tmux session, as the terminal tests drive it
from textual import events
from textual.widgets import DataTable, Input, Label, OptionList, Static, TextArea, Tree
from textual.widgets._footer import FooterKey

from assess.answers import create, new_answers
from assess.i18n import language, set_language
from assess.loader import load_framework
from assess.model import FollowUp
from assess.tui.app import AssessApp, framework_choices
from assess.tui.language import agree, plural
from assess.tui.screens.followup import action_text, tally
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.main import MainScreen
from assess.tui.screens.start import NewScreen, StartScreen
from assess.tui.widgets.dates import parse_date, typing_error, written
from assess.tui.widgets.nav import count_of
from assess.tui.widgets.status import StatusLine

from conftest import ROOT

BILINGUAL = ROOT / "tests" / "fixtures" / "languages" / "bilingual.yaml"
"""A small framework written in English with a French translation (languages: [en, fr])."""

ARABIC = "المصدر: تقرير فريق الخبراء، الصفحة ١٢ — «سري»"
"""An Arabic note as an analyst types or pastes it: letters, Arabic digits, guillemets and punctuation."""


def started(tmp_path: Path, lang: str = "fr", name: str = "a.yaml") -> Path:
    """An answers file of the bilingual framework that records lang as its language."""
    fw, _ = load_framework(BILINGUAL)
    out = tmp_path / name
    create(out, new_answers(fw, {"title": "Essai"}, str(BILINGUAL), language=lang))
    return out


async def settle(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def texts(screen) -> str:
    """Every line of text the screen's widgets show, as a planner reads them (the tree's labels included)."""
    out = []
    for w in screen.walk_children():
        if isinstance(w, FooterKey):
            out.append(f"{w.key_display} {w.description}")
        elif isinstance(w, Static):
            out.append(str(w.render()))
        elif isinstance(w, Tree):
            out += [str(n.label) for n in w.root.children]
    return "\n".join(out)


def footer(screen) -> list[str]:
    return [w.description for w in screen.query(FooterKey)]


async def test_the_main_screen_in_french_labels_keys_and_help(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = started(tmp_path)
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert language() == "fr"  # the file's language, LANG being C.UTF-8
        shown = texts(app.screen)
        # the framework's texts in French: section titles, the question, its options, the block label
        assert "Marchés" in shown and "Groupes armés (pas encore de groupes armés)" in shown
        assert "Quelle est l'ampleur de la contrebande d'or ?  (obligatoire)" in shown
        assert "Marchés · question 1 sur 2" in shown
        options = app.screen.query_one("#answer", OptionList)
        assert [str(options.get_option_at_index(i).prompt).strip() for i in range(2)] == ["Faible", "Élevé"]
        # the app's own words in French
        assert "Orientations (alt+g)" in shown and "Confiance (alt+c)" in shown and "Note (alt+n)" in shown
        status = str(app.screen.query_one(StatusLine).render())
        assert status.startswith("0/2 traitées · 1 oblig. ouv.")  # shortened beside the French marking
        # the keys' descriptions in the footer
        assert footer(app.screen)[:4] == ["Aide", "Suivante", "Précédente", "Ouverte suiv."]
        assert "Next" not in footer(app.screen)
        # the help: every context and key in French, the ids as they are
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        body = str(app.screen.query_one("#help-body").render())
        assert "Écran principal" in body and "Arbre des questions" in body and "Boîtes de dialogue" in body
        assert "Ajouter une source" in body and "assess.add_source" in body
        assert "Confiance 1…9" in body  # the digits of the confidence field, numbered in French
        assert "Marques dans l’arbre des questions" in body and "Réattribuer les touches" in body
        for english in ("Main screen", "Add source", "Close help", "Everywhere"):
            assert english not in body
        assert "Fermer l’aide" in footer(app.screen)


async def test_the_summary_and_a_number_in_french(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = started(tmp_path)
    app = AssessApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("enter")  # Faible
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: "Saisies l'an dernier" in texts(app.screen))
        answer = app.screen.query_one("#answer", Input)
        assert answer.placeholder == "un nombre (de 0 à 500)"
        await pilot.press(*"12,5", "ctrl+o")
        await settle(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        shown = texts(app.screen)
        assert "Traitées\u00a0: 2 sur 2 (réponses\u00a0: 2, sans objet\u00a0: 0, inconnues\u00a0: 0)" in shown
        table = app.screen.query_one("#scores", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Score", "Valeur", "Niveau", "Échelle"]
        assert [str(cell) for cell in table.get_row_at(0)][:2] == ["Marchés", "1,00"]  # a decimal comma
        gaps = app.screen.query_one("#gaps", OptionList)
        kinds = [str(gaps.get_option_at_index(i).prompt) for i in range(gaps.option_count)]
        assert kinds[0] == "▾ Degré de confiance non indiqué (2)"  # the kind of gap in the report's words
        actions = app.screen.query_one("#actions", OptionList)
        assert "Actions recommandées (0)" in shown
        assert str(actions.get_option_at_index(0).prompt) == "Aucune règle n’a été déclenchée."
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["answers"]["seizures"]["value"] == 12.5  # the file keeps the number, whatever the language
    app = AssessApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, lambda: "Saisies l'an dernier" in texts(app.screen))  # where the planner left off
        answer = app.screen.query_one("#answer", Input)
        assert answer.value == "12,5"  # shown as French writes it
        answer.value = "1\u202f2,5"  # a grouping space, as French may paste it, is no digit
        await pilot.press("ctrl+b")
        await settle(pilot, lambda: "Quelle est l'ampleur" in texts(app.screen))
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]["seizures"]["value"] == 12.5


async def test_a_new_assessment_made_in_french_records_its_language(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    set_language("fr")  # as `assess start --lang fr` (or LANG=fr_FR.UTF-8) sets it
    out = tmp_path / "nouvelle.yaml"
    app = AssessApp(frameworks=[BILINGUAL])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        shown = texts(app.screen)
        assert "Nouvelle évaluation\u00a0: choisissez un cadre et appuyez sur Entrée" in shown
        assert "Reprendre une évaluation récente" in shown and "Ouvrir un fichier de réponses" in shown
        frameworks = app.screen.query_one("#frameworks", OptionList)
        last = frameworks.option_count - 1
        assert str(frameworks.get_option_at_index(last).prompt).startswith("Contrôle de la contrebande d'or 1.0.0")
        frameworks.highlighted = last
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, NewScreen))
        assert "Nouvelle évaluation\u00a0: Contrôle de la contrebande d'or 1.0.0" in texts(app.screen)
        assert footer(app.screen)[:3] == ["Aide", "Créer", "Retour"]
        app.screen.query_one("#file", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["language"] == "fr" and data["metadata"]["title"] == "Contrôle de la contrebande d'or"
    assert list(data)[list(data).index("framework") + 1] == "language"  # written right after framework:


async def test_a_framework_without_french_is_worked_in_french_with_its_own_texts_and_says_so(tmp_path, monkeypatch):
    """A French planner starting an English-only framework keeps a French app (their notes are French) and sees the
    framework's English questions; the file records French, the language it is written in (W055 says so)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    english = tmp_path / "english.yaml"
    text = BILINGUAL.read_text(encoding="utf-8")
    english.write_text(text[: text.index("translations:")].replace("languages: [en, fr]", "languages: [en]"))
    set_language("fr")
    out = tmp_path / "nouvelle.yaml"
    app = AssessApp(frameworks=[english])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        frameworks = app.screen.query_one("#frameworks", OptionList)
        frameworks.highlighted = frameworks.option_count - 1
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, NewScreen))
        app.screen.query_one("#file", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        said = [(n.title, str(n.message)) for n in app._notifications]
        assert any(title == "Créée avec des avertissements" and "[W055]" in message for title, message in said)
        assert language() == "fr"  # the planner's language: the app does not switch to the framework's
        assert "Markets · question 1 sur 2" in texts(app.screen)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["language"] == "fr"


async def test_an_english_assessment_opens_in_english_and_lang_overrides_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = started(tmp_path, lang="en")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")  # the file's own language comes before the locale
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert "Markets · question 1 of 2" in texts(app.screen) and footer(app.screen)[1] == "Next"
    app = AssessApp(path, lang="fr")  # --lang comes before the file's
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert "Marchés · question 1 sur 2" in texts(app.screen) and footer(app.screen)[1] == "Suivante"


async def test_an_arabic_note_and_french_punctuation_are_saved_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = started(tmp_path)
    app = AssessApp(path)
    french = "Voir [b]le rapport[/b] du « Groupe d’experts » : l'annexe 3 ; est-ce sûr ?"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("alt+n")
        note = app.screen.query_one("#note", TextArea)
        await settle(pilot, lambda: app.focused is note)
        typed, pasted = ARABIC[:8], ARABIC[8:]
        await pilot.press(*typed)  # typed letter by letter
        app.post_message(events.Paste(pasted))  # and the rest pasted, as the terminal sends it
        await settle(pilot, lambda: note.text == ARABIC)
        await pilot.press("ctrl+n")  # leaving the question saves the note
        await settle(pilot, lambda: ARABIC.encode() in path.read_bytes())
        await pilot.press("alt+n")
        note = app.screen.query_one("#note", TextArea)
        await settle(pilot, lambda: app.focused is note)
        app.post_message(events.Paste(french))
        await settle(pilot, lambda: note.text == french)
        await pilot.press("ctrl+b")
        await settle(pilot, lambda: french.encode() in path.read_bytes())
        shown = app.screen.query_one("#note", TextArea).text
        assert shown == ARABIC  # shown back as typed: data, never markup
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["answers"]["gold"]["note"] == ARABIC
    assert data["answers"]["seizures"]["note"] == french


async def test_a_repeatable_section_in_french_and_an_arabic_block_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = started(tmp_path)
    app = AssessApp(path)
    name = "جبهة تحرير الشمال"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot, lambda: bool(app.screen.query("#offer")))
        offer = str(app.screen.query_one("#offer", Static).render())
        assert offer.startswith("Groupes armés\u00a0: pas encore de groupe armé. Appuyez sur F3")
        assert "Groupes armés · aucun bloc pour l’instant" in texts(app.screen)
        await pilot.press("f3")
        await settle(pilot, lambda: type(app.screen).__name__ == "TextDialog")
        assert "Nom du nouvel élément (groupe armé)\u00a0:" in texts(app.screen)
        app.post_message(events.Paste(name))
        await pilot.press("enter")
        await settle(pilot, lambda: "Groupes armés (1 groupe armé)" in texts(app.screen))
        assert "Quelle est la violence du groupe ?" in texts(app.screen)
    assert name.encode() in path.read_bytes()
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["entities"]["groups"]
    assert [b["name"] for b in blocks] == [name]


def test_block_labels_are_counted_in_french():
    set_language("fr")
    assert plural("groupe armé", 3) == "groupes armés"
    assert plural("réseau ou groupe", 2) == "réseaux ou groupes"
    assert plural("acteur de la menace", 2) == "acteurs de la menace"
    assert plural("zone à risque", 2) == "zones à risque"
    assert count_of("acteur", 0) == "pas encore d’acteurs"
    assert count_of("groupe armé", 1) == "1 groupe armé"
    set_language("en")
    assert count_of("entity", 0) == "no entities yet" and count_of("group or network", 2) == "2 groups or networks"


def test_the_follow_up_counts_agree_in_french():
    items = [FollowUp("r", "a", status="done"), *(FollowUp("r", x, status="dropped") for x in "bc"), FollowUp("r", "d")]
    assert tally(items) == "1 of 4 done, 2 dropped, 1 not started"
    set_language("fr")
    assert tally(items) == "1 sur 4 réalisée, 2 abandonnées, 1 non commencée"
    assert action_text(0, FollowUp("r", "Informer la JMAC", priority="high", for_whom="JMAC")) == (
        "1. Élevée — Informer la JMAC\n   Pour\u00a0: JMAC"
    )


def test_the_start_screen_in_french_in_a_real_terminal(tmp_path):
    env = " ".join(
        [
            "LANG=fr_FR.UTF-8",
            f"XDG_STATE_HOME={tmp_path / 'state'}",
            f"XDG_DATA_HOME={tmp_path / 'data'}",
            f"PYTHONPATH={ROOT}",
        ]
    )
    term = Tmux(f"env -u LC_ALL -u LC_MESSAGES -u ASSESS_LANG {env} {sys.executable} -m assess start {BILINGUAL}")
    try:
        shown = term.wait_for("Reprendre une évaluation récente")
        assert "assess — évaluations structurées de la criminalité organisée" in shown
        assert "Nouvelle évaluation : choisissez un cadre et appuyez sur Entrée" in shown.replace("\u00a0", " ")
        assert "Ouvrir un fichier de réponses" in shown and "Aucune évaluation récente." in shown
        assert "Nouvelle évaluation" in shown.splitlines()[-1]  # the footer's keys, in French
        assert "Contrôle de la contrebande d'or 1.0.0" in term.wait_for("Contrôle")
    finally:
        term.close()
    assert os.environ.get("LANG") == "C.UTF-8"  # the test's own process stayed English


FRENCH = """\
id: dates-fr
version: 1.0.0
title: Contrôle des dates
languages: [fr]
grading: 4x4
sections:
  - id: period
    title: Période
    questions:
      - {id: cutoff, text: Date d'arrêt de l'information, type: date, confidence: false}
      - {id: ref, text: Sur quelle évaluation s'appuie-t-on ?, type: text, confidence: false}
      - {id: worth, text: Valeur annuelle, type: number, min: 0, max: 1000000, unit: millions de dollars des États-Unis par an, confidence: false}
  - id: entities
    title: Entités
    repeat: {label: entité}
    questions:
      - {id: threat, text: Quelle menace ?, type: text, confidence: false}
"""
"""A framework written in French only: a date, a free text, a number with a long unit, a repeatable section."""


def test_a_date_is_taken_day_first_in_french_and_kept_as_the_file_writes_it():
    set_language("fr")
    assert parse_date("31/10/2026") == ("2026-10-31", "")
    assert parse_date("5.7.2026") == ("2026-07-05", "")
    assert parse_date("2026-10-31") == ("2026-10-31", "")  # the file's own way still taken
    assert (
        parse_date("31/02/2026")[1]
        == "«\u00a031/02/2026\u00a0» n’est pas une date\u00a0: février 2026 compte 28 jours."
    )
    assert all(typing_error(t) == "" for t in ("3", "31", "31/", "31/1", "31/10/", "31/10/202", "2026-1"))
    assert "il n’y a pas de mois 13" in typing_error("31/13")
    assert "écrivez JJ/MM/AAAA ou AAAA-MM-JJ" in typing_error("31/10/26/")
    assert written("2026-10-31") == "31/10/2026"
    set_language("en")  # English types the date as the file keeps it: 10/31 or 31/10 would be a guess
    assert parse_date("31/10/2026")[0] is None and written("2026-10-31") == "2026-10-31"


async def test_dates_blank_text_long_ranges_and_the_palette_in_french(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    framework = tmp_path / "dates-fr.yaml"
    framework.write_text(FRENCH, encoding="utf-8")
    fw, _ = load_framework(framework)
    path = tmp_path / "dates.yaml"
    create(path, new_answers(fw, {"title": "Essai"}, str(framework), language="fr"))

    def answers() -> dict:
        return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]

    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        screen = app.screen
        await settle(pilot, lambda: "Date d'arrêt de l'information" in texts(screen))
        answer = screen.query_one("#answer", Input)
        assert answer.placeholder == "JJ/MM/AAAA"
        await pilot.press(*"31/13")
        await pilot.pause()
        error = screen.query_one("#answer-error", Static)
        assert str(error.content) == (
            "«\u00a031/13\u00a0» n’est pas une date\u00a0: il n’y a pas de mois 13\u202f; écrivez JJ/MM/AAAA ou AAAA-MM-JJ, "
            "p. ex. 15/07/2026. Non enregistré\u00a0: le fichier ne conserve aucune réponse."
        )
        await pilot.press("ctrl+u", *"31/10/2026", "ctrl+n")
        await settle(pilot, lambda: answers().get("cutoff", {}).get("value") == "2026-10-31")
        # a text of line breaks and a space only (Down Down Enter meant for a list): no answer, not counted
        await settle(pilot, lambda: "Sur quelle évaluation" in texts(screen))
        await pilot.press("enter", "enter", "space", "ctrl+n")
        await settle(pilot, lambda: "Valeur annuelle" in texts(screen))
        assert answers().get("ref", {}).get("value") is None
        # a range and unit longer than the field: said whole under it, the field saying what to type
        assert screen.query_one("#answer", Input).placeholder == "un nombre"
        assert str(screen.query_one("#answer-range", Static).content) == (
            "un nombre (de 0 à 1\u202f000\u202f000 millions de dollars des États-Unis par an)"
        )
        await pilot.press("ctrl+b", "ctrl+b")
        await settle(pilot, lambda: "Date d'arrêt de l'information" in texts(screen))
        assert screen.query_one("#answer", Input).value == "31/10/2026"  # shown as French writes it
        # the palette: its 'no matches' in French, the screen's keys found by their French words, accents aside
        await pilot.press("ctrl+p", *"zzz")
        await pilot.pause(0.8)
        rows = [str(o.prompt.renderable) for o in app.screen.query_one("CommandList").options]  # centred
        assert rows == ["Aucun résultat"]
        await pilot.press(*["backspace"] * 3, *"precedente")
        await pilot.pause(0.8)
        rows = [str(o.prompt) for o in app.screen.query_one("CommandList").options]
        assert "Précédente\nctrl+b" in rows
        await pilot.press(*["backspace"] * 10, *"synth")
        await pilot.pause(0.8)
        await pilot.press("enter")
        await settle(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+p", *"rapport")
        await pilot.pause(0.8)
        await pilot.press("enter")  # from the main screen: the summary, then where to write the report
        await settle(pilot, lambda: type(app.screen).__name__ == "ReportDialog")
        assert "Plan d’action (facultatif), fichier .csv ou classeur .xlsx\u00a0:" in texts(app.screen)
    assert answers()["cutoff"]["value"] == "2026-10-31"  # the file keeps ISO


def test_feminine_block_labels_agree_in_french():
    set_language("fr")
    assert agree("Ajouter un autre entité", "entité") == "Ajouter une autre entité"
    assert agree("Ajouter le premier organisation criminelle", "organisation criminelle") == (
        "Ajouter la première organisation criminelle"
    )
    assert agree("Ajouter un autre acteur", "acteur") == "Ajouter un autre acteur"
    assert agree("Ajouter un autre groupe armé", "groupe armé") == "Ajouter un autre groupe armé"
    assert agree("Ajouter un autre risque", "risque") == "Ajouter un autre risque"
    set_language("en")
    assert agree("Add another entité", "entité") == "Add another entité"


async def test_the_start_screen_says_each_frameworks_languages_and_forms_fit_french_labels(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    english = ROOT / "frameworks" / "goci-profile.yaml"
    assert next(t for t, _p in framework_choices([english])).endswith("1.1.0")  # English: nothing added
    set_language("fr")
    app = AssessApp(frameworks=[BILINGUAL, english])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        frameworks = app.screen.query_one("#frameworks", OptionList)
        shown = [str(frameworks.get_option_at_index(i).prompt) for i in range(frameworks.option_count)]
        assert "Contrôle de la contrebande d'or 1.0.0 [fr,en]  (bilingual.yaml)" in shown
        assert "Organized crime index profile 1.1.0 [en]  (goci-profile.yaml)" in shown
        frameworks.highlighted = shown.index("Contrôle de la contrebande d'or 1.0.0 [fr,en]  (bilingual.yaml)")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, NewScreen))
        await pilot.pause()
        labels = [str(label.content) for label in app.screen.query(".form-label").results(Label)]
        assert "Mention de diffusion *" in labels
        assert app.screen.query_one("#marking", Input).value == "NU – DIFFUSION RESTREINTE"  # in its language
        assert {label.size.width for label in app.screen.query(".form-label")} == {len("Mention de diffusion *") + 1}
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: type(app.screen).__name__ == "NextPeriodScreen")
        assert "Dernière évaluation *" in [
            str(label.content) for label in app.screen.query(".form-label").results(Label)
        ]
