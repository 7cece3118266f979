"""Provides the follow-up of the last period's actions at headquarters: per mission's latest assessment, how many
of the actions its answers file follows up are done, in progress, dropped, for compare's text, CSV and summary."""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import domain
from .comparison import Assessment, Comparison, FollowUpCount, FollowUpLine, FrameworkView
from .rows import follow_up_counts
from .store import Store
from .words import colon

_, _ngettext, _pgettext = domain("hq")

CSV_COLUMNS = (
    "follow_up_total",
    "follow_up_done",
    "follow_up_in_progress",
    "follow_up_dropped",
    "follow_up_not_started",
)
"""The CSV's last columns: the actions of the last period the assessment follows up, by status ('' when none)."""


def count(answers_file: dict) -> FollowUpCount | None:
    """The actions an answers file (as data) follows up, by status; None when it follows up none. A status
    not among FOLLOW_UP_STATUSES counts as not started."""
    counts = follow_up_counts(answers_file)
    return None if counts is None else FollowUpCount(*counts)


def follow_up(
    store: Store, assessments: list[Assessment], views: list[FrameworkView], short: Callable[[str], str] = str
) -> tuple[list[FollowUpLine], dict[int, FollowUpCount]]:
    """Per mission and framework (its latest assessment), its follow-up when it has one, its framework's title
    made short by short; and every selected assessment's follow-up by revision."""
    of = {seq: FollowUpCount(*counts) for seq, counts in store.follow_up([a.seq for a in assessments]).items()}
    lines = [
        FollowUpLine(a, label, short(a.framework_title), of[a.seq])
        for v in views
        for a, label in zip(v.columns, v.labels, strict=True)
        if a.seq in of
    ]
    return lines, of


def csv_cells(c: Comparison, a: Assessment) -> tuple[int | str, ...]:
    """The CSV's follow-up cells of one assessment ('' each when it follows up no action)."""
    n = c.follow_up_of.get(a.seq)
    if n is None:
        return ("",) * len(CSV_COLUMNS)
    return (n.total, n.done, n.in_progress, n.dropped, n.not_started)


def text_lines(c: Comparison) -> list[str]:
    """One line per mission that follows up actions: 'UNIMVA (Mission risk management, 2027-H1): Actions of the
    last period: 4 of 9 done (2 in progress, 1 dropped)'."""
    return [f"{x.label} ({x.framework}, {x.assessment.period or '—'}){colon()}{x.counts.text}" for x in c.follow_up]


def context(c: Comparison) -> dict:
    """The summary template's follow-up variables: its note and one row per mission that follows up actions."""
    rows = [
        {
            "label": x.label,
            "framework": x.framework,
            "period": x.assessment.period or "—",
            "text": x.counts.detail,
            "total": x.counts.total,
            "done": x.counts.done,
            "in_progress": x.counts.in_progress,
            "dropped": x.counts.dropped,
            "not_started": x.counts.not_started,
        }
        for x in c.follow_up
    ]
    note = (
        _(
            "The actions recommended in each mission's previous period, as its latest assessment follows them up "
            "(done, in progress, dropped, not started). Missions whose latest assessment follows up no action are "
            "not listed."
        )
        if rows
        else ""
    )
    return {"follow_up_note": note, "follow_up": rows}
