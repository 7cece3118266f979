"""Provides date entry for a date question: what a planner types, checked as typed, and the date the file keeps."""

from __future__ import annotations

import calendar
import datetime as _dt
import re

from ...i18n import N_, domain, language, primary

_, ngettext, pgettext = domain("app")

FORMAT = N_("write YYYY-MM-DD, e.g. 2026-07-15")
_WHOLE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
# what a date looks like while it is being typed: 2, 2026, 2026-, 2026-0, 2026-07-, 2026-07-1
_PARTIAL = re.compile(r"\d{0,4}|\d{4}[-/.](\d{0,2})|\d{4}([-/.])(\d{1,2})\2\d{0,2}")
# day first, as French (and most languages but English) write it: 31/10/2026, 31.10.2026, 5-7-2026
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_PARTIAL_DAY_FIRST = re.compile(r"\d{1,2}[-/.](\d{0,2})|\d{1,2}([-/.])(\d{1,2})\2\d{0,3}")


def _month_error(text: str, month: str) -> str:
    if len(month) == 2 and not 1 <= int(month) <= 12:
        return _("'{text}' is not a date: there is no month {month}; {how}.").format(
            text=text, month=month, how=_(FORMAT)
        )
    return ""


def day_first() -> bool:
    """Whether the interface language writes a date day first (31/10/2026 in French, as its short date does in
    the CLDR); never in English, whose 10/31/2026 is month first (a date there is typed as the file keeps it)."""
    lang = language()
    if primary(lang) == "en":
        return False
    from babel.core import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", locale=lang.replace("-", "_")).pattern
    except (UnknownLocaleError, ValueError):
        return False
    return pattern.lstrip("\u200e\u200f").startswith("d")


def parse_date(text: str) -> tuple[str | None, str]:
    """The typed text as the date the file keeps (YYYY-MM-DD), or an error saying what to type.

    Takes 2026-07-15, and the same with / or . between the parts or one-digit month and day (2026/7/5), kept as
    2026-07-05; where the interface language writes the day first (day_first: French), 31/10/2026 too (and
    31.10.2026, 5/7/2026), kept as 2026-10-31; refuses an impossible day (2026-02-30) naming the days of that
    month, and any other form."""
    text = text.strip()
    if not text:
        return None, ""
    m = _WHOLE.fullmatch(text)
    dmy = None if m else _DAY_FIRST.fullmatch(text) if day_first() else None
    if not m and not dmy:
        return None, _("'{text}' is not a date; {how}.").format(text=text, how=_(FORMAT))
    if dmy:
        year, month, day, typed_month = int(dmy[4]), int(dmy[3]), int(dmy[1]), dmy[3]
    else:
        assert m is not None
        year, month, day, typed_month = int(m[1]), int(m[3]), int(m[4]), m[3]
    if not 1 <= month <= 12:
        return None, _("'{text}' is not a date: there is no month {month}; {how}.").format(
            text=text, month=typed_month, how=_(FORMAT)
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return None, _("'{text}' is not a date: {month} has {days} days.").format(
            text=text, month=month_name(year, month), days=days
        )
    return f"{year:04d}-{month:02d}-{day:02d}", ""


def month_name(year: int, month: int) -> str:
    """A month and its year in words, in the interface language: 'February 2026', 'février 2026'."""
    lang = language()
    if primary(lang) == "en":
        return _dt.date(year, month, 1).strftime("%B %Y")
    from babel.dates import format_date

    return format_date(_dt.date(year, month, 1), "LLLL y", locale=lang.replace("-", "_"))


def typing_error(text: str) -> str:
    """Why the text typed so far can never become a date ('' while it still can, or when it is one)."""
    text = text.strip()
    partial = _PARTIAL.fullmatch(text)
    if partial and not _WHOLE.fullmatch(text):  # on its way to a date: only a month that cannot be is refused
        return _month_error(text, partial[1] or partial[3] or "")
    partial = _PARTIAL_DAY_FIRST.fullmatch(text) if day_first() else None
    if partial:  # 31/, 31/10, 31/10/20 on their way to a date written day first
        return _month_error(text, partial[1] or partial[3] or "")
    return parse_date(text)[1]


def written(value: str) -> str:
    """A date the file keeps (2026-10-31) as the date field shows it: day first where the interface language writes
    it so (31/10/2026 in French), as kept otherwise (and any text that is not such a date as it is)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    return f"{m[3]}/{m[2]}/{m[1]}" if m and day_first() else value
