"""Provides reporting periods as date ranges, so that 2026-H2, 2026-Q3 and 2026-07 can be ordered and filtered."""

from __future__ import annotations

import calendar
import re

from ..errors import AssessError, problem

GRAMMAR = "2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15"
"""The periods assess reads, as its messages name them: YYYY, YYYY-H1/H2, YYYY-Q1..Q4, YYYY-MM, YYYY-MM-DD."""

_PERIOD = re.compile(r"([0-9]{4})(?:-(?:(H)([12])|(Q)([1-4])|([0-9]{2})(?:-([0-9]{2}))?))?")


def period_range(text: str | None) -> tuple[str, str] | None:
    """The first and last day (ISO dates) a period covers, or None when it is not a period.

    The one grammar of periods, used by 'assess new', the app's form, the answers check (score, report, open,
    collect) and --since/--until: YYYY (2026), YYYY-H1 or -H2 (2026-H2), YYYY-Q1 to -Q4 (2026-Q3), YYYY-MM
    (2026-07) and YYYY-MM-DD (2026-07-15), exactly so: capital H and Q, '-' between, two-digit months and days.
    """
    m = _PERIOD.fullmatch(text or "")
    if not m:
        return None
    year = int(m.group(1))
    if year == 0:  # no year 0 in the calendar
        return None
    if m.group(2):
        half = int(m.group(3))
        first, last = (1, 6) if half == 1 else (7, 12)
    elif m.group(4):
        quarter = int(m.group(5))
        first, last = 3 * quarter - 2, 3 * quarter
    elif m.group(6):
        month = int(m.group(6))
        if not 1 <= month <= 12:
            return None
        if m.group(7):
            day = int(m.group(7))
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                return None
            iso = f"{year:04d}-{month:02d}-{day:02d}"
            return iso, iso
        first = last = month
    else:
        first, last = 1, 12
    end = calendar.monthrange(year, last)[1]
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{end:02d}"


def parse_period(text: str, where: str) -> tuple[str, str]:
    """A period given by the user (--since, --until), or AssessError E511."""
    rng = period_range(text)
    if rng is None:
        raise AssessError([problem(where, None, "E511", value=text)])
    return rng
