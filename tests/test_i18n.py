"""Tests the language a command speaks (--lang, ASSESS_LANG, the assessment's, the locale) and what l10n shows."""

from __future__ import annotations

import datetime as dt

import pytest

from assess import l10n
from assess.answers import answers_from_text, dumps
from assess.i18n import from_locale, resolve

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"


@pytest.mark.parametrize(
    ("env", "explicit", "recorded", "expected"),
    [
        ({}, None, None, "en"),
        ({"LANG": "fr_FR.UTF-8"}, None, None, "fr"),
        ({"LANG": "C.UTF-8"}, None, None, "en"),
        ({"LANG": "fr_FR.UTF-8"}, None, "en", "en"),  # the assessment's own language before the machine's
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "fr_CA.UTF-8"}, None, None, "fr"),  # LC_ALL first, as POSIX
        ({"ASSESS_LANG": "fr"}, None, "en", "fr"),  # the user's setting before the assessment's
        ({"ASSESS_LANG": "fr_FR.UTF-8"}, None, None, "fr"),
        ({}, "pt-BR", None, "pt-BR"),  # a region given with --lang is kept
        ({"ASSESS_LANG": "12"}, None, "ar", "ar"),  # not a language: passed over
        ({"ASSESS_LANG": "fr"}, "en", "fr", "en"),  # --lang first
    ],
)
def test_the_language_is_lang_then_the_setting_then_the_assessment_then_the_locale(
    monkeypatch, env, explicit, recorded, expected
):
    for var in ("ASSESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert resolve(explicit, recorded) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [("fr_FR.UTF-8", "fr"), ("ar_EG", "ar"), ("sr_RS@latin", "sr"), ("C", None), ("", None), ("fr_FR_x", None)],
)
def test_a_locale_name_gives_its_language(name, code):
    assert from_locale(name) == code


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("6.40", "fr", "6,40"),
        ("6.40", "en", "6.40"),
        ("-1234567.125", "fr", "-1\u202f234\u202f567,125"),  # every digit kept, the locale's separators
        ("1234", "fr", "1234"),  # four digits stay whole, as CLDR's minimum grouping writes them
        ("12", "fr", "12"),
        ("—", "fr", "—"),  # not a number: as it is
        ("6.40", "de", "6,40"),
    ],
)
def test_numbers_keep_their_digits_and_take_the_locales_separators(text, lang, shown):
    assert l10n.number(text, lang) == shown


def test_dates_are_written_out_in_the_language():
    assert l10n.date("2026-12-01", "fr") == "1er décembre 2026"  # the first of the month, as French writes it
    assert l10n.date("2026-12-02", "fr") == "2 décembre 2026"
    assert l10n.date(dt.date(2026, 12, 1), "en") == "1 December 2026"
    assert l10n.datetime_("2026-12-01T14:05:00Z", "fr").startswith("1er décembre 2026")
    assert l10n.datetime_("2026-12-01T14:05:00Z", "fr").endswith("14:05 UTC")
    assert l10n.date("not a date", "fr") == "not a date"


@pytest.mark.parametrize(
    ("text", "rtl"),
    [
        ("ملاحظة المحلل", True),
        ("  «مصادر ثلاثة» then", True),
        ("جماعة الميناء: Jusqu'où le groupe étend-il son emprise ?", False),  # a French sentence naming a group
        ("12, rue de la Paix ملاحظة", False),
        ("", False),
    ],
)
def test_a_text_is_right_to_left_when_most_of_its_letters_are(text, rtl):
    assert l10n.is_rtl(text) is rtl


def test_the_answers_file_records_its_language_after_its_framework():
    answers, _ = answers_from_text(EXAMPLE.read_text(encoding="utf-8"))
    assert answers.language == ""
    assert "\nlanguage:" not in dumps(answers)  # an English file written before languages stays as it was
    answers.language = "fr"
    text = dumps(answers)
    assert "\n  hash: " in text.split("\nlanguage: fr\nmetadata:\n")[0]
    assert answers_from_text(text)[0].language == "fr"


def test_a_language_that_is_not_a_code_is_refused_in_the_file(write):
    text = EXAMPLE.read_text(encoding="utf-8").replace("\nmetadata:\n", "\nlanguage: French\nmetadata:\n", 1)
    result = run_cli("score", str(write("bad.answers.yaml", text)))
    assert result.returncode == 1
    assert "is not a language code; write one such as fr, en, ar or pt-BR" in result.stderr


def test_a_bad_lang_is_a_usage_error_with_its_code():
    result = run_cli("validate", "frameworks/oc-threat.yaml", "--lang", "fr_FR_x", cwd=ROOT)
    assert result.returncode == 2
    assert "argument --lang: 'fr_FR_x' is not a language code" in result.stderr and "[E925]" in result.stderr


def test_a_language_without_an_interface_is_said_once_and_the_command_runs():
    result = run_cli("validate", "frameworks/oc-threat.yaml", "--lang", "de", cwd=ROOT)
    assert result.returncode == 0
    assert result.stderr.count("[W057]") == 1 and "the interface has no de (it speaks en, fr)" in result.stderr


def test_a_locale_name_given_to_lang_is_taken():
    result = run_cli("validate", "frameworks/oc-threat.yaml", "--lang=fr_FR", cwd=ROOT)
    assert result.returncode == 0 and "W057" not in result.stderr


def test_a_language_without_an_interface_gives_the_users_own_where_it_has_one(monkeypatch):
    from assess.i18n import language, set_language

    set_language("de")
    assert language() == "en"  # LANG=C.UTF-8 in the tests
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    set_language("de")
    assert language() == "fr"
    set_language("fr-CA")
    assert language() == "fr-CA"  # the French catalogue, by its language


def test_a_file_that_records_no_language_follows_the_users(monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    example = ROOT / "frameworks" / "examples" / "selvara" / "mission-risk.2026-H2.answers.yaml"
    assert "\nlanguage:" not in example.read_text(encoding="utf-8")  # written before assessments recorded one
    result = run_cli("score", str(example))
    assert result.returncode == 0 and "Gestion des risques de la mission" in result.stdout
    assert "Mission risk management" not in result.stdout


def test_translates_lang_names_the_target_and_leaves_the_interface_to_the_user(monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    result = run_cli("translate", "export", str(tmp_path / "missing.yaml"), "--lang", "ar")
    assert result.returncode != 0 and "impossible de lire le fichier" in result.stderr


def test_lang_is_read_in_any_case_and_a_new_french_assessment_gets_the_french_marking(tmp_path):
    out = tmp_path / "nouvelle.answers.yaml"
    result = run_cli("new", "mission-risk", "-o", str(out), "--no-open", "--lang", "FR")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "\nlanguage: fr\n" in text and 'marking: "NU – DIFFUSION RESTREINTE"' in text
