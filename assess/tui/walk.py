"""Provides the walk through an assessment in the app: the visible questions in order, with a stop at each
repeatable section that has no block yet (to add the first) and after its last block (to add another)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Section
from ..session import Session, Slot


@dataclass(frozen=True)
class Stop:
    """A place in the walk that is not a question: a repeatable section, to add a block to."""

    section: str
    """The repeatable section."""
    first: bool
    """True: it has no block yet (the stop offers the first); False: the stop follows its last block."""

    @property
    def key(self) -> str:
        """The stop as one text, never a question's key."""
        return f"{'first' if self.first else 'another'}:{self.section}"


Place = Slot | Stop


def short(session: Session, section: str) -> int:
    """How many blocks a repeatable section lacks to reach the `min` its framework declares (0: none)."""
    rep = session.fw.all_sections[section].repeat
    return max(0, rep.min - len(session.entities(section))) if rep else 0


def _conditional(session: Session, sec: Section) -> bool:
    """Whether a show_if (the section's own or a parent's) can hide the section."""
    sid: str | None = sec.id
    while sid is not None:
        if session.fw.all_sections[sid].show_if:
            return True
        sid = session.fw.all_sections[sid].parent
    return False


def _shown(session: Session, sec: Section, questions_shown: bool) -> bool:
    """Whether a repeatable section is shown: always, unless a show_if can hide it; then when one of its blocks'
    questions is, or (empty) when scoring counts it short of its minimum (it counts only shown sections). An
    empty one with no minimum under a show_if is shown: the scoring result does not say whether it is hidden."""
    if not _conditional(session, sec) or questions_shown:
        return True
    if session.entities(sec.id):
        return False
    if sec.repeat is not None and sec.repeat.min:
        return any(g.kind == "too_few_entities" and g.id == sec.id for g in session.result.gaps)
    return True


def places(session: Session) -> list[Place]:
    """Every place of the walk in order: the visible questions (as Session.visible_slots) and the stops."""
    out: list[Place] = []

    def walk(sec: Section, entity: str | None) -> None:
        for q in sec.questions:
            slot = Slot(q.id, entity)
            if session.status(slot) != "hidden":
                out.append(slot)
        for sub in sec.sections:
            place(sub, entity)

    def place(sec: Section, entity: str | None) -> None:
        if sec.repeat is None or entity is not None:
            walk(sec, entity)
            return
        start, blocks = len(out), session.entities(sec.id)
        for e in blocks:
            walk(sec, e.id)
        if not _shown(session, sec, len(out) > start):
            return
        if not blocks:
            out.append(Stop(sec.id, True))
        elif sec.repeat.max is None or len(blocks) < sec.repeat.max:
            out.append(Stop(sec.id, False))

    for sec in session.fw.sections:
        place(sec, None)
    return out


def is_open(session: Session, place: Place) -> bool:
    """Whether next-open stops there: a question without an answer, or a section short of its minimum blocks."""
    if isinstance(place, Stop):
        return short(session, place.section) > 0
    return session.status(place) == "unanswered"


def neighbour(session: Session, at: Place | None, step: int) -> Place | None:
    """The place step (1 or -1) on from at (the first or last place when at is not in the walk); None past an end:
    the walk does not wrap round."""
    found = places(session)
    keys = [p.key for p in found]
    if at is None or at.key not in keys:
        return (found[0] if step > 0 else found[-1]) if found else None
    i = keys.index(at.key) + step
    return found[i] if 0 <= i < len(found) else None


def next_open(session: Session, at: Place | None) -> Place | None:
    """The next open place after at, wrapping round (at itself last), or None when nothing is open."""
    found = places(session)
    keys = [p.key for p in found]
    i = keys.index(at.key) if at is not None and at.key in keys else -1
    n = len(found)
    for k in range(1, n + 1):
        cand = found[(i + k) % n]
        if is_open(session, cand):
            return cand
    return None
