"""Provides what is shown by locale: numbers (6,40), dates (1 décembre 2026) and the direction of a text.

Numbers come in already formatted exactly by assess ("6.40"): only their separators change, so a score reads
the same to the last digit in every language. Babel, which knows each locale's separators and month names,
is imported by the first call.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

NUMBER = re.compile(r"^(?P<sign>[-+−]?)(?P<int>\d+)(?:\.(?P<frac>\d+))?$")
"""A number as assess formats it: a sign, digits, and a fraction after a dot."""

RTL_CLASSES = frozenset({"R", "AL"})
"""Unicode bidirectional classes of right-to-left letters (Hebrew; Arabic, Syriac, Thaana…)."""

STRONG_CLASSES = frozenset({"L", "R", "AL"})
"""Unicode bidirectional classes that set a paragraph's direction."""


def _locale(lang: str) -> object:
    """Babel's Locale for a language code (pt-BR → pt_BR); English when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@cache
def _symbols(lang: str) -> tuple[str, str, str]:
    """The decimal sign, the group separator and the minus sign of a language."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    loc = _locale(lang)
    return get_decimal_symbol(loc), get_group_symbol(loc), get_minus_sign_symbol(loc)  # type: ignore[arg-type]


def number(text: str, lang: str, group: bool = True) -> str:
    """A number assess formatted ("6.40", "-1234.5") with the separators of lang ("6,40", "-1 234,5" in fr).

    Text that is not such a number (an em dash for none, "n/a") is returned as it is; digits never change. Groups
    of thousands are separated from five digits on in the integer part (as CLDR's minimum grouping does in
    French, Spanish, Polish…: 1234 stays whole in most languages) only when group is true."""
    if lang == "en" or lang.startswith("en-"):
        return text
    m = NUMBER.match(text.strip())
    if not m:
        return text
    decimal, grouping, minus = _symbols(lang)
    digits = m["int"]
    if group and len(digits) >= 5:
        head = len(digits) % 3 or 3
        digits = digits[:head] + "".join(grouping + digits[i : i + 3] for i in range(head, len(digits), 3))
    sign = minus if m["sign"] in ("-", "−") else m["sign"]
    return sign + digits + (decimal + m["frac"] if m["frac"] is not None else "")


def _as_date(value: dt.date | str) -> dt.date | dt.datetime | None:
    """A date or date-time from a date or an ISO 8601 text; None when the text is not one."""
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if len(text) > 10:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def date(value: dt.date | str, lang: str) -> str:
    """A date written out in lang: 1 December 2026, 1er décembre 2026 (an ISO text is read; other text returned)."""
    when = _as_date(value)
    if when is None:
        return str(value)
    from babel.dates import format_date

    day = when.date() if isinstance(when, dt.datetime) else when
    if lang == "en" or lang.startswith("en-"):
        return f"{day.day} {day:%B %Y}"  # the day before the month, as the UN writes English dates
    text = format_date(day, format="long", locale=_locale(lang))  # type: ignore[arg-type]
    if day.day == 1 and lang.split("-", 1)[0] == "fr" and text.startswith("1 "):
        text = "1er " + text[2:]  # French writes the first of the month as an ordinal: 1er décembre 2026
    return text


def datetime_(value: dt.datetime | str, lang: str) -> str:
    """A date and time written out in lang (1 décembre 2026 à 14:05 UTC); a date alone is written as date()."""
    when = _as_date(value)
    if when is None:
        return str(value)
    if not isinstance(when, dt.datetime):
        return date(when, lang)
    from babel.dates import format_time, get_datetime_format

    zone = " UTC" if when.utcoffset() == dt.timedelta(0) else ""
    clock = format_time(when, format="HH:mm", locale=_locale(lang)) + zone  # type: ignore[arg-type]
    pattern = str(get_datetime_format("long", locale=_locale(lang)))  # type: ignore[arg-type]  # "{1} 'à' {0}"
    pattern = re.sub(r"'([^']*)'", r"\1", pattern)
    return pattern.replace("{1}", date(when, lang)).replace("{0}", clock)


def is_rtl(text: str) -> bool:
    """True when most strong characters of text are right-to-left (Arabic, Hebrew…): the paragraph reads right to
    left. A French sentence that starts with an Arabic name stays left to right; on a tie the first strong
    character decides; text with no letters is left to right."""
    rtl = ltr = 0
    first = ""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in STRONG_CLASSES:
            first = first or kind
            if kind in RTL_CLASSES:
                rtl += 1
            else:
                ltr += 1
    return rtl > ltr or (rtl == ltr and first in RTL_CLASSES)
