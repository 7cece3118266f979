"""Provides the report's language: its words from the `report` catalogue, its numbers and dates by locale."""

from __future__ import annotations

import datetime as _dt
import re

from ..i18n import SOURCE, domain, language, primary, speaks

_, ngettext, pgettext = domain("report")

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")
"""A number as assess writes it, standing alone: not the digits of an id ('IR-3', '2026-H2') or a grade ('A2')."""
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def english() -> bool:
    """Whether the report is written as in English, reading exactly as before: in English, or in a language the
    interface does not speak (its words are then English, and so are its numbers and dates, W057)."""
    return primary(language()) == SOURCE or not speaks(language())


_FIELD = re.compile(r"\{(\w+)\}")


def say(message: str, **fields: object) -> str:
    """A message of the catalogue in the report's language, its {placeholders} filled: what a template's
    `{{ _("…", n=…) }}` calls; a whole number n picks the catalogue's plural form where the message has one. Only
    plain {name} placeholders are filled (never str.format, whose '{x.attr}' would reach past the template's
    sandbox); one without a field stays as it is."""
    n = fields.get("n")
    text = _(message)
    if isinstance(n, int) and not isinstance(n, bool):  # a count: the catalogue's plural, where it has one
        plural = ngettext(message, message, n)
        text = plural if plural != message else text
    return _FIELD.sub(lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(), text)


def number(text: str) -> str:
    """A number assess formatted exactly ('6.40'), as the report's language writes it ('6,40' in French)."""
    if english() or not text:
        return text
    from ..l10n import number as localized

    return localized(text, language())


def numbers(text: str) -> str:
    """Every number standing alone in a text of assess's making ('6.40 (5.10–7.00)') in the report's language."""
    if english() or not text:
        return text
    return _NUMBER.sub(lambda m: number(m.group()), text)


def day(value: object) -> str:
    """A date (or an ISO date's text) as the report's language writes it ('1 décembre 2026'); in English as it was
    written (2026-12-01), as reports have always shown it; other text as it is."""
    if english() or value in (None, ""):
        return str(value or "")
    if isinstance(value, str) and not _ISO.match(value):
        return value
    from ..l10n import date

    return date(value if isinstance(value, _dt.date) else str(value)[:10], language())


def _french() -> bool:
    """Whether the report follows French typography: a space before « : » (no-break) and before « ; ! ? »
    (narrow no-break)."""
    return not english() and primary(language()) == "fr"


def listing(items) -> str:
    """Items joined as the report lists them: 'a; b' ('a\u202f; b' in French)."""
    return ("\u202f; " if _french() else "; ").join(items)


def relist(text: str) -> str:
    """A list assess joined with '; ' (a multiple choice, the blocks an action is for) as listing() joins it."""
    return text.replace("; ", "\u202f; ") if _french() else text


def pair(label: str, value: object) -> str:
    """A label and its value: 'A: 13' ('A\u00a0: 13' in French)."""
    return f"{label}\u00a0: {value}" if _french() else f"{label}: {value}"
