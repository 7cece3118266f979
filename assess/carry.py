"""Provides the next period: a new assessment started from the last one, its answers carried forward to review and
the last period's actions to follow up (pure: no file is read or written here)."""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Sequence

from .answers import FORMAT as ANSWERS_FORMAT
from .answers import now
from .collect.periods import period_range
from .errors import AssessError, problem
from .i18n import domain
from .model import Answer, Answers, Entity, Event, FollowUp, Framework, Pin, Predecessor
from .plan import PlanItem

_, ngettext, pgettext = domain("cli")

CLOSED = ("done", "dropped")
"""Follow-up statuses that end an action: it is not carried into the period after."""
EVENT = "carried forward"
"""The history event next_period records."""


def check_next(last: Answers, fw: Framework, period: str, where: str = "assess new") -> None:
    """Refuse a next period that cannot be: no period given (E801), the last one's own (E802), one that ends no
    later than the last one (E805), another framework (E803), or a framework older than the one the last assessment was
    made with (E804)."""
    last_period = last.metadata.get("period") or ""
    if not period.strip():
        raise AssessError([problem(where, None, "E801", last=last_period or "none")])
    if period.strip() == last_period.strip():
        raise AssessError([problem(where, None, "E802", period=period)])
    if before(period.strip(), last_period.strip()):
        raise AssessError([problem(where, None, "E805", period=period.strip(), last=last_period.strip())])
    if last.framework.id != fw.id:
        raise AssessError([problem(where, None, "E803", found=last.framework.id, expected=fw.id)])
    if newer(last.framework.version, fw.version):
        found, expected = last.framework.version, fw.version
        raise AssessError([problem(where, None, "E804", fid=fw.id, found=found, expected=expected)])


def before(period: str, last: str) -> bool:
    """Whether a period ends on or before the last one's end, so it cannot follow it (2026-H1, 2026-Q4 or 2026 after
    2026-H2; not 2027-H1, nor 2027); False when either is not a period assess reads."""
    new, old = period_range(period), period_range(last)
    return new is not None and old is not None and new[1] <= old[1]


def framework_instead(data: object, file: str) -> None:
    """Refuse a framework given where the last assessment's answers file is due (E806): a mapping with sections and
    without the answers file's format, which the answers check would answer with a line per key."""
    if isinstance(data, dict) and "sections" in data and data.get("format") != ANSWERS_FORMAT:
        fid = str(data.get("id") or "FRAMEWORK")[:80]
        raise AssessError([problem(file, None, "E806", fid=fid)])


def newer(version: str, than: str) -> bool:
    """Whether a version is later than another, both read as dotted numbers (1.10.0 after 1.9.2); False when
    either is not written so."""
    parts = [re.fullmatch(r"\d+(?:\.\d+)*", v.strip()) for v in (version, than)]
    if not all(parts):
        return False
    a, b = (tuple(int(x) for x in v.strip().split(".")) for v in (version, than))
    return a > b


def carried(a: Answer) -> Answer:
    """A copy of an answer marked carried forward: value, sources, note, confidence and time kept."""
    out = copy.deepcopy(a)
    out.carried = True
    return out


def retitled(title: str, old: str, new: str) -> str:
    """A title with the last period replaced by the new one where it names it whole ('2026' is not replaced inside
    '2026-H2'), else as it was."""
    if not old.strip():
        return title
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", lambda _: new, title)


def follow_up(last: Answers, plan: Sequence[PlanItem]) -> list[FollowUp]:
    """The actions to follow up: each item of the last period's plan (not started), then the last file's own
    follow-up items still open (neither done nor dropped), their status and note kept. An open item with the same
    rule and action as a plan item stands in its place: it was recommended first then, and is under way."""
    period = last.metadata.get("period") or ""
    still_open = [copy.deepcopy(f) for f in last.follow_up if f.status not in CLOSED]
    out: list[FollowUp] = []
    for item in plan:
        earlier = next((f for f in still_open if (f.rule, f.action) == (item.rule, item.action)), None)
        if earlier is not None:
            still_open.remove(earlier)
            out.append(earlier)
            continue
        out.append(
            FollowUp(
                rule=item.rule,
                action=item.action,
                for_whom=item.for_whom,
                priority=item.priority,
                addressee=item.addressee,
                period=period,
            )
        )
    return out + still_open


def count_carried(answers: Answers) -> int:
    """How many answers of the file (outside blocks and in them) are marked carried forward, still to review."""
    blocks = (a for group in answers.entities.values() for e in group for a in e.answers.values())
    return sum(a.carried for a in (*answers.answers.values(), *blocks))


def next_period(
    last: Answers,
    fw: Framework,
    period: str,
    last_file: str = "",
    plan: Sequence[PlanItem] = (),
    requirements: Sequence[str] = (),
    metadata: dict[str, str] | None = None,
    framework_path: str | None = None,
    inherited: int = 0,
) -> Answers:
    """The assessment of the next period, started from the last one (already on fw's version): its answers and
    blocks copied (block ids kept) and marked carried forward, the answers its migration to fw's version kept aside
    kept (inherited: how many of last.kept_aside its own file holds already; they stay there, with the predecessor,
    not carried into every later period), a new id linked to the
    last by its predecessor (last_file: its path relative to the new file; requirements: the ids of the collection
    plan's requirements open at its end), the metadata's period and dates new and the title's period replaced, the
    last plan's actions and the open follow-up to follow up, and the event in its history. metadata: what the user
    gave (empty values left out, but an empty marking, which creating the file refuses) over the last's."""
    check_next(last, fw, period)
    old = last.metadata.get("period") or ""
    meta = dict(last.metadata)
    given = {k: v for k, v in (metadata or {}).items() if v or k == "marking"}
    if "title" not in given and meta.get("title"):
        meta["title"] = retitled(meta["title"], old, period)
    meta.update(given)
    meta["period"] = period
    meta["created"] = meta["updated"] = now()
    answers = {k: carried(a) for k, a in last.answers.items()}
    entities = {
        sec: [Entity(e.id, e.name, {k: carried(a) for k, a in e.answers.items()}) for e in blocks]
        for sec, blocks in last.entities.items()
    }
    actions = follow_up(last, plan)
    new = Answers(
        framework=Pin(fw.id, fw.version, fw.hash, framework_path),
        metadata=meta,
        id=str(uuid.uuid4()),
        language=last.language,  # the next period is written in the last one's language
        answers=answers,
        entities=entities,
        predecessor=Predecessor(
            last.id, old, last.metadata.get("title") or "", last_file, list(dict.fromkeys(requirements))
        ),
        history=copy.deepcopy(last.history),
        follow_up=actions,
        kept_aside=copy.deepcopy(last.kept_aside[inherited:]),
    )
    new.history.append(_event(last, new, len(plan)))
    return new


def _event(last: Answers, new: Answers, planned: int) -> Event:
    """The history entry of the carrying forward: what came from which assessment."""
    old = last.metadata.get("period") or "the last period"
    n = count_carried(new)
    blocks = sum(len(group) for group in new.entities.values())
    earlier = sum(f.status not in CLOSED for f in last.follow_up)
    source = f"from assessment {last.id or '(no id)'}"
    if new.predecessor is not None and new.predecessor.file:
        source += f" ({new.predecessor.file})"
    details = [source, f"{n} answer(s) carried forward to review, {blocks} block(s) kept with their ids"]
    details.append(f"{planned} action(s) of the {old} plan and {earlier} earlier one(s) still open to follow up")
    if new.kept_aside:
        details.append(f"{len(new.kept_aside)} answer(s) kept aside by a migration, kept")
    summary = f"{old} → {new.metadata['period']}: {n} answer(s) to review, {len(new.follow_up)} action(s) to follow up"
    return Event(now(), EVENT, summary, details)


def kept_summary(answers: Answers, fid: str, version: str) -> str:
    """The answers a framework migration kept aside, in one clause: '1 answer of mission-risk 1.1.0 was kept aside
    by the migration to 2.0.0' (version: the one the answers are on now); '' when none was."""
    kept = answers.kept_aside
    if not kept:
        return ""
    n, versions = len(kept), list(dict.fromkeys(k.version for k in kept))
    if len(versions) == 1:
        one = ngettext(
            "{n} answer of {fid} {old} was kept aside by the migration to {version}",
            "{n} answers of {fid} {old} were kept aside by the migration to {version}",
            n,
        )
        return one.format(n=n, fid=fid, old=versions[0], version=version)
    several = ngettext(
        "{n} answer of earlier versions of {fid} ({old}) was kept aside by migrations to {version}",
        "{n} answers of earlier versions of {fid} ({old}) were kept aside by migrations to {version}",
        n,
    )
    return several.format(n=n, fid=fid, old=", ".join(versions), version=version)
