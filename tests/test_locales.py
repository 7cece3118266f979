"""Tests the gettext catalogues: each one up to date with the code, compiled, and keeping every placeholder."""

from __future__ import annotations

import pytest

from assess import locales
from assess.i18n import DOMAINS, LOCALE, catalogue, domain, set_language


@pytest.mark.parametrize("name", DOMAINS)
def test_each_catalogue_is_up_to_date_compiled_and_keeps_its_placeholders(name):
    for lang in locales.languages():
        found = list(locales.problems(name, lang))
        assert not found, "\n".join(found) + f"\nrun: python -m assess.locales update --domain {name}; compile"


def test_french_has_a_catalogue_of_every_domain():
    assert "fr" in locales.languages()
    for name in DOMAINS:
        assert (LOCALE / "fr" / "LC_MESSAGES" / f"{name}.po").is_file(), name


def test_every_french_message_of_errors_is_translated_with_its_code():
    from assess.errors import MESSAGES, WARNINGS

    fr = catalogue("cli", "fr")
    words = {
        code: text for code, text in {**MESSAGES, **WARNINGS}.items() if locales.placeholders(text) != {text[1:-1]}
    }
    untranslated = [code for code, text in words.items() if fr.pgettext(code, text) == text]  # E406 is '{reason}'
    assert len(words) > 200
    assert not untranslated


def test_a_placeholder_lost_in_a_translation_is_found(tmp_path, monkeypatch):
    po = tmp_path / "fr" / "LC_MESSAGES" / "cli.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: fr\\n"\n\n'
        'msgctxt "E001"\nmsgid "cannot read the file: {reason}"\nmsgstr "impossible de lire le fichier : {raison}"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(locales, "LOCALE", tmp_path)
    found = list(locales.problems("cli", "fr"))
    assert any("placeholders ['raison'] ≠ ['reason']" in p for p in found)
    assert any("cli.mo: does not match cli.po" in p for p in found)
    assert any("not in the catalogue (E002)" in p for p in found)  # the rest of errors.py's messages


def test_a_domain_speaks_the_language_set_when_it_is_called():
    _, ngettext, pgettext = domain("cli")
    template = "cannot read the file: {reason}"
    set_language("fr")
    french = pgettext("E001", template)
    set_language("en")
    assert pgettext("E001", template) == template
    assert french != template and "{reason}" in french
    assert ngettext("{n} file", "{n} files", 2) == "{n} files"  # English: no catalogue, the source's plural


def test_stats_count_what_is_translated():
    done, total = locales.stats("cli", "fr")
    assert total >= 200 and done == total
