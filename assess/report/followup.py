"""Provides what the report says of the last period: its actions followed up (the table's rows and the tally) and the
answers carried forward still to review, as plain data for the template."""

from __future__ import annotations

from collections.abc import Callable

from ..carry import count_carried
from ..model import FOLLOW_UP_LABELS, FOLLOW_UP_STATUSES, Answers, Result

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""

TITLE = "Follow-up of the last period's actions"
"""The heading of the follow-up table."""
NOTE = (
    "Each action the plan of {period} recommended, and each action of an earlier period still open then, with the "
    "status and note the mission gave it in this period. An action recommended before {period} says when."
)
"""What the follow-up table's caption says ({period}: the last period)."""


def last_period(answers: Answers) -> str:
    """The period of the assessment this one continues, as written; 'the last period' when it is not known."""
    p = answers.predecessor
    return (p.period if p is not None else "") or "the last period"


def counts(answers: Answers) -> dict[str, int]:
    """How many actions followed up have each status (FOLLOW_UP_STATUSES), and in all (total)."""
    out = {s: sum(f.status == s for f in answers.follow_up) for s in FOLLOW_UP_STATUSES}
    out["total"] = len(answers.follow_up)
    return out


def tally(answers: Answers) -> str:
    """The follow-up in one line: '4 of 9 done, 2 in progress, 1 dropped, 2 not started' (the statuses no action has
    left out, but done); '' when there is nothing to follow up."""
    n = counts(answers)
    if not n["total"]:
        return ""
    rest = [f"{n[s]} {FOLLOW_UP_LABELS[s].lower()}" for s in ("in_progress", "dropped", "not_started") if n[s]]
    return ", ".join([f"{n['done']} of {n['total']} done", *rest])


def follow_up(result: Result, clean: Clean) -> dict:
    """The follow-up table: each action with whom it was for, its addressee, its status in words and the mission's
    note (and when it was recommended, where before the last period), the tally above it and its caption."""
    ans = result.answers
    period = last_period(ans)
    rows = []
    for i, f in enumerate(ans.follow_up, 1):
        where = f"follow_up {i} ({f.rule})"
        rows.append(
            {
                "number": i,
                "rule": f.rule,
                "action": clean(f.action, where),
                "for_whom": clean(f.for_whom, where),
                "addressee": clean(f.addressee, where),
                "priority": f.priority.capitalize(),
                "period": clean(f.period, where),
                "since": clean(f"Recommended in {f.period}." if f.period and f.period != period else "", where),
                "status": FOLLOW_UP_LABELS.get(f.status, f.status),
                "note": clean(f.note, where),
            }
        )
    return {
        "title": TITLE,
        "rows": rows,
        "tally": f"{tally(ans)}." if rows else "",
        "counts": counts(ans),
        "note": clean(NOTE.format(period=period), "predecessor.period") if rows else "",
    }


def carried_text(answers: Answers) -> str:
    """Page one's sentence on the answers carried forward and not yet reviewed: '12 answers carried forward from
    2026-H2 are still to review.'; '' when none is."""
    n = count_carried(answers)
    if not n:
        return ""
    p = answers.predecessor
    since = f"from {p.period}" if p is not None and p.period else "from the last period"
    return f"{n} answer{'s' if n != 1 else ''} carried forward {since} {'are' if n != 1 else 'is'} still to review."


def follow_up_text(answers: Answers) -> str:
    """Page one's line on the follow-up: 'Actions of 2026-H2 followed up: 4 of 9 done, 2 in progress.'; '' when
    there is nothing to follow up."""
    line = tally(answers)
    return f"Actions of {last_period(answers)} followed up: {line}." if line else ""


def open_since(answers: Answers) -> dict[str, str]:
    """The collection plan's requirements already open at the predecessor's end (by requirement id), with its
    period."""
    p = answers.predecessor
    if p is None:
        return {}
    return {r: p.period or "the last period" for r in p.requirements}
