"""Provides what the report says of the last period: its actions followed up (the table's rows and the tally), the
answers carried forward still to review and those a framework migration kept aside, as plain data for the template."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ..carry import count_carried, kept_summary
from ..i18n import N_, domain
from ..model import FOLLOW_UP_LABELS, FOLLOW_UP_STATUSES, Answer, Answers, Result
from ..numbers import decimal
from .localize import listing, relist
from .words import word

_, ngettext, pgettext = domain("report")

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""

TITLE = N_("Follow-up of the last period's actions")
"""The heading of the follow-up table."""
NOTE = N_(
    "Each action the plan of {period} recommended, and each action of an earlier period still open then, with the "
    "status and note the mission gave it in this period; Period says when each was recommended."
)
"""What the follow-up table's caption says ({period}: the last period)."""
PRIORITY_WORDS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
"""A priority as the report names it."""
STATUS_WORDS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
"""A followed-up action's status as the report names it (model.FOLLOW_UP_LABELS, in the report's language)."""


def priority_word(priority: str) -> str:
    """A priority in words, capitalised: 'High' ('Élevée' in French)."""
    return _(PRIORITY_WORDS[priority]) if priority in PRIORITY_WORDS else priority.capitalize()


def status_word(status: str) -> str:
    """A followed-up action's status in words: 'In progress'."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else FOLLOW_UP_LABELS.get(status, status)


def last_period(answers: Answers) -> str:
    """The period of the assessment this one continues, as written; 'the last period' when it is not known."""
    p = answers.predecessor
    return (p.period if p is not None else "") or _("the last period")


def counts(answers: Answers) -> dict[str, int]:
    """How many actions followed up have each status (FOLLOW_UP_STATUSES), and in all (total)."""
    out = {s: sum(f.status == s for f in answers.follow_up) for s in FOLLOW_UP_STATUSES}
    out["total"] = len(answers.follow_up)
    return out


def tally_word(status: str, n: int) -> str:
    """A count of followed-up actions of a status but done, as the tally says it: '2 dropped' ('2 abandonnées')."""
    if status == "in_progress":
        return ngettext("{n} in progress", "{n} in progress", n).format(n=n)
    if status == "dropped":
        return ngettext("{n} dropped", "{n} dropped", n).format(n=n)
    return ngettext("{n} not started", "{n} not started", n).format(n=n)


def tally(answers: Answers) -> str:
    """The follow-up in one line: '4 of 9 done, 2 in progress, 1 dropped, 2 not started' (the statuses no action has
    left out, but done); '' when there is nothing to follow up."""
    n = counts(answers)
    if not n["total"]:
        return ""
    rest = [tally_word(s, n[s]) for s in ("in_progress", "dropped", "not_started") if n[s]]
    done = ngettext("{done} of {total} done", "{done} of {total} done", n["done"])
    return ", ".join([done.format(done=n["done"], total=n["total"]), *rest])


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
                "for_whom": clean(relist(f.for_whom), where),
                "addressee": clean(word(f.addressee), where),
                "priority": priority_word(f.priority),
                "period": clean(f.period, where) or "–",
                "since": clean(
                    _("Recommended in {period}.").format(period=f.period) if f.period and f.period != period else "",
                    where,
                ),
                "status": status_word(f.status),
                "note": clean(f.note, where),
            }
        )
    return {
        "title": _(TITLE),
        "rows": rows,
        "tally": f"{tally(ans)}." if rows else "",
        "counts": counts(ans),
        "note": clean(_(NOTE).format(period=period), "predecessor.period") if rows else "",
    }


def carried_text(answers: Answers) -> str:
    """Page one's sentence on the answers carried forward and not yet reviewed: '12 answers carried forward from
    2026-H2 are still to review.'; '' when none is."""
    n = count_carried(answers)
    if not n:
        return ""
    p = answers.predecessor
    if p is not None and p.period:
        return ngettext(
            "{n} answer carried forward from {period} is still to review.",
            "{n} answers carried forward from {period} are still to review.",
            n,
        ).format(n=n, period=p.period)
    return ngettext(
        "{n} answer carried forward from the last period is still to review.",
        "{n} answers carried forward from the last period are still to review.",
        n,
    ).format(n=n)


def follow_up_text(answers: Answers) -> str:
    """Page one's line on the follow-up: 'Actions of 2026-H2 followed up: 4 of 9 done, 2 in progress.' when they were
    all recommended in one period, 'Actions of earlier periods followed up: ...' when in several; '' when there is
    nothing to follow up."""
    line = tally(answers)
    periods = {f.period for f in answers.follow_up}
    if not line:
        return ""
    if len(periods) > 1:
        return _("Actions of earlier periods followed up: {tally}.").format(tally=line)
    of = (periods.pop() or last_period(answers)) if periods else ""
    return _("Actions of {period} followed up: {tally}.").format(period=of, tally=line)


def open_since(answers: Answers) -> dict[str, str]:
    """The collection plan's requirements already open at the predecessor's end (by requirement id), with its
    period."""
    p = answers.predecessor
    if p is None:
        return {}
    return {r: p.period or _("the last period") for r in p.requirements}


KEPT_TITLE = N_("Annex: answers kept aside by a framework migration")
"""The heading of the annex that lists them."""
KEPT_NOTE = N_(
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
                "sources_text": listing(sources),
                "note": clean(a.note, where),
                "reason": clean(k.reason, where),
            }
        )
    return {
        "title": _(KEPT_TITLE),
        "note": _(KEPT_NOTE).format(version=fw.version) if rows else "",
        "rows": rows,
    }


def written(a: Answer) -> str:
    """An answer kept aside as it was written (its question's options are no longer the framework's to name): a list
    joined, a number in decimals, true and false as yes and no, 'Not applicable' or 'Not answered'."""
    if a.na:
        return _("Not applicable")
    v = a.value
    if v is None or v == "" or v == []:
        return _("Not answered")
    items = v if isinstance(v, list) else [v]
    return ", ".join(
        decimal(x) if isinstance(x, Fraction) else (_("yes") if x else _("no")) if isinstance(x, bool) else str(x)
        for x in items
    )


def kept_text(result: Result) -> str:
    """Page one's sentence on the answers kept aside: '1 answer of mission-risk 1.1.0 was kept aside by the migration
    to 2.0.0: see the annex.'; '' when none was."""
    clause = kept_summary(result.answers, result.framework.id, result.framework.version)
    return _("{clause}: see the annex.").format(clause=clause) if clause else ""
