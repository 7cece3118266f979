"""Provides what the report says of the last period: its actions followed up (the table's rows and the tally), the
answers carried forward still to review and those a framework migration kept aside, as plain data for the template."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..carry import count_carried, kept_summary
from ..model import FOLLOW_UP_LABELS, FOLLOW_UP_STATUSES, Answer, Answers, Result
from ..numbers import decimal

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""

TITLE = "Follow-up of the last period's actions"
"""The heading of the follow-up table."""
NOTE = (
    "Each action the plan of {period} recommended, and each action of an earlier period still open then, with the "
    "status and note the mission gave it in this period; Period says when each was recommended."
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
                "period": clean(f.period, where) or "–",
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
    """Page one's line on the follow-up: 'Actions of 2026-H2 followed up: 4 of 9 done, 2 in progress.' when they were
    all recommended in one period, 'Actions of earlier periods followed up: ...' when in several; '' when there is
    nothing to follow up."""
    line = tally(answers)
    periods = {f.period for f in answers.follow_up}
    of = "earlier periods" if len(periods) > 1 else (periods.pop() or last_period(answers)) if periods else ""
    return f"Actions of {of} followed up: {line}." if line else ""


def open_since(answers: Answers) -> dict[str, str]:
    """The collection plan's requirements already open at the predecessor's end (by requirement id), with its
    period."""
    p = answers.predecessor
    if p is None:
        return {}
    return {r: p.period or "the last period" for r in p.requirements}


KEPT_TITLE = "Annex: answers kept aside by a framework migration"
"""The heading of the annex that lists them."""
KEPT_NOTE = (
    "Answers to questions that a migration of the framework could not move to version {version}: each is kept in the "
    "answers file as it was given, under the question's id in the version named, and is not scored. "
    "Each says why it could not move."
)
"""What the kept-aside part says first ({version}: the framework's version now)."""


def kept_aside(result: Result, clean: Clean) -> dict:
    """The annex part on the answers a migration kept aside: each with its question's id then, the version, the
    block it was in, the answer, confidence, sources and note as the annex shows answers, and the reason."""
    fw, rows = result.framework, []
    for i, k in enumerate(result.answers.kept_aside, 1):
        where, a = f"kept_aside {i} ({k.id})", k.answer
        sources = [
            clean(s.ref, f"{where} source")
            + (f" ({s.reliability or '?'}{s.credibility or '?'})" if s.reliability or s.credibility else "")
            for s in a.sources
        ]
        conf = (
            next((o.label for o in fw.confidence_scale.options if o.value == a.confidence), None)
            if (fw.confidence_scale and a.confidence is not None)
            else None
        )
        rows.append(
            {
                "id": clean(k.id, where),
                "version": clean(k.version, where),
                "block": clean(k.name or k.entity, where),
                "answer": clean(written(a), where),
                "confidence": clean(conf or ("" if a.confidence is None else str(a.confidence)), where),
                "sources_text": "; ".join(sources),
                "note": clean(a.note, where),
                "reason": clean(k.reason, where),
            }
        )
    return {
        "title": KEPT_TITLE,
        "note": KEPT_NOTE.format(version=fw.version) if rows else "",
        "rows": rows,
    }


def written(a: Answer) -> str:
    """An answer kept aside as it was written (its question's options are no longer the framework's to name): a list
    joined, a number in decimals, true and false as yes and no, 'Not applicable' or 'Not answered'."""
    if a.na:
        return "Not applicable"
    v = a.value
    if v is None or v == "" or v == []:
        return "Not answered"
    items = v if isinstance(v, list) else [v]
    return ", ".join(
        decimal(x) if isinstance(x, Fraction) else ("yes" if x else "no") if isinstance(x, bool) else str(x)
        for x in items
    )


def kept_text(result: Result) -> str:
    """Page one's sentence on the answers kept aside: '1 answer of mission-risk 1.1.0 was kept aside by the migration
    to 2.0.0: see the annex.'; '' when none was."""
    clause = kept_summary(result.answers, result.framework.id, result.framework.version)
    return f"{clause}: see the annex." if clause else ""
