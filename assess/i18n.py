"""Provides the interface's language: which one a command speaks, and its gettext catalogues by domain.

Four domains, one per area of the code, each extracted from its own files (see assess/locales.py): `cli` (the
command line, errors.py's messages and the core), `app` (assess/tui), `report` (assess/report) and `hq`
(assess/collect). A module takes its domain's functions once, at its top:

    _, ngettext, pgettext = domain("report")

and calls them where a string is shown, so that the language set by set_language() applies even to modules
imported before it was chosen. Strings held in class attributes or tables are marked with N_() and
translated where they are shown.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"
"""Where the catalogues are: locale/<language>/LC_MESSAGES/<domain>.po and .mo."""

DOMAINS = ("cli", "app", "report", "hq")
"""The gettext domains, one per area of the code."""

SOURCE = "en"
"""The language the interface's strings are written in."""

CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
"""A language code assess accepts: a language and, optionally, a region (fr, ar, pt-BR)."""

ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The locale variables read, in POSIX order of precedence, when nothing else chose the language."""

_current = SOURCE


def valid(code: str) -> bool:
    """True when code is a language code assess accepts (fr, en, ar, pt-BR)."""
    return bool(CODE.match(code))


def normalize(text: str) -> str | None:
    """A language code as typed (FR, fr-fr, pt_br) written as assess keeps it (fr, fr-FR, pt-BR); None if not one."""
    m = re.match(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?$", text.strip())
    if not m:
        return None
    return m[1].lower() + (f"-{m[2].upper()}" if m[2] else "")


def from_locale(value: str) -> str | None:
    """The language of a POSIX locale name, without its region (fr_FR.UTF-8 → fr, ar_EG → ar), or None (C,
    POSIX, unreadable): frameworks and catalogues are by language, and a region rarely changes what they say."""
    base = value.split(".", 1)[0].split("@", 1)[0]
    if base in ("", "C", "POSIX"):
        return None
    lang, _, region = base.partition("_")
    if region and not re.match(r"^[A-Za-z]{2}$|^\d{3}$", region):
        return None
    return lang.lower() if valid(lang.lower()) else None


def setting_language() -> str | None:
    """The language $ASSESS_LANG sets (fr, or a locale name such as fr_FR.UTF-8), or None when unset or unreadable."""
    value = os.environ.get("ASSESS_LANG", "").strip()
    return value if valid(value) else from_locale(value) if value else None


def resolve(explicit: str | None = None, recorded: str | None = None) -> str:
    """The language to use: --lang, else ASSESS_LANG, else the assessment's own, else the locale, else English.

    A bad --lang is refused (ValueError: the argument parser checks it first, E925); a bad ASSESS_LANG or locale
    variable is passed over (the command line says so for ASSESS_LANG, W056)."""
    if explicit:
        if not valid(explicit):
            raise ValueError(f"not a language code: {explicit!r}")
        return explicit
    setting = setting_language()
    if setting:
        return setting
    if recorded and valid(recorded):
        return recorded
    return _locale_language() or SOURCE  # the first variable set decides, as in POSIX


def set_language(lang: str) -> None:
    """Make lang the interface's language for the rest of the process; a language the interface does not speak
    gives the user's own where it does ($ASSESS_LANG, then the locale), else English (fallback())."""
    global _current
    _current = lang if speaks(lang) else fallback()


def fallback() -> str:
    """The interface's language when the one asked for has no catalogues: the user's setting, else the locale's,
    where the interface speaks it; else English."""
    for lang in (setting_language(), _locale_language()):
        if lang and speaks(lang):
            return lang
    return SOURCE


def _locale_language() -> str | None:
    """The language of the locale environment (LC_ALL, LC_MESSAGES, LANG: the first set), or None."""
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        if value:
            return from_locale(value)
    return None


def language() -> str:
    """The interface's language now."""
    return _current


def primary(lang: str) -> str:
    """The language without its region (pt-BR → pt)."""
    return lang.split("-", 1)[0]


@cache
def interface_languages() -> tuple[str, ...]:
    """The languages the interface is written or translated in: English and each one with catalogues."""
    found = sorted(p.name for p in LOCALE.iterdir() if p.is_dir() and (p / "LC_MESSAGES").is_dir())
    return (SOURCE, *found) if LOCALE.is_dir() else (SOURCE,)


def speaks(lang: str) -> bool:
    """True when the interface has that language (exactly or without its region)."""
    langs = interface_languages()
    return lang in langs or primary(lang) in langs


@cache
def _catalogue(name: str, lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of one domain in one language (the source strings when there is none)."""
    if lang == SOURCE:
        return _gettext.NullTranslations()
    found = [
        c for c in (lang.replace("-", "_"), primary(lang)) if (LOCALE / c / "LC_MESSAGES" / f"{name}.mo").is_file()
    ]
    if not found:
        return _gettext.NullTranslations()
    return _gettext.translation(name, str(LOCALE), languages=found[:1])


def catalogue(name: str, lang: str | None = None) -> _gettext.NullTranslations:
    """One domain's catalogue in lang (default: the interface's language now)."""
    return _catalogue(name, lang or _current)


def domain(
    name: str,
) -> tuple[Callable[[str], str], Callable[[str, str, int], str], Callable[[str, str], str]]:
    """gettext, ngettext and pgettext of one domain, each in the language current when it is called."""
    if name not in DOMAINS:
        raise ValueError(f"unknown gettext domain {name!r}; one of {DOMAINS}")

    def gettext(message: str) -> str:
        return _catalogue(name, _current).gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return _catalogue(name, _current).ngettext(singular, plural, n)

    def pgettext(context: str, message: str) -> str:
        return _catalogue(name, _current).pgettext(context, message)

    return gettext, ngettext, pgettext


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where shown, with _()."""
    return message
