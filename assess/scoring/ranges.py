"""Provides each score's range: unknown answers counted at their scale's lowest, then highest, score."""

from __future__ import annotations

from dataclasses import replace

from ..model import Score
from ..numbers import shown
from ..vocabulary import Treatment
from .derived import derived_scores
from .questions import contribution
from .sections import score_sections
from .state import Scope, State, Tables

Bounds = tuple[dict[Scope, dict[str, Score]], dict[str, Score]]
"""The section scores of every scope and the derived scores, as one policy for unknowns gives them."""


def open_ended(state: State) -> bool:
    """Whether scores have a range: the policy leaves unknowns out and some shown answer is unknown."""
    if state.fw.policy.unknown != "exclude":
        return False
    return any(st.status == "unknown" for t in state.scopes.values() for st in t.questions.values())


def moved(state: State) -> set[tuple[Scope, str]]:
    """The (scope, section id) pairs an unknown answer can move: its section and every enclosing one, in its
    block and, through the repeatable section, in the assessment."""
    fw, out = state.fw, set()
    for key, t in state.scopes.items():
        for qid, st in t.questions.items():
            if st.status != "unknown":
                continue
            sid: str | None = fw.questions[qid].section
            where: Scope = key
            while sid is not None and (where, sid) not in out:
                out.add((where, sid))
                sec = fw.all_sections[sid]
                if sec.repeat is not None and where is not None:
                    where = None  # the repeatable section's aggregate over blocks, in the assessment
                    out.add((where, sid))
                sid = sec.parent
    return out


def rescored(state: State, treat: Treatment, only: set[tuple[Scope, str]] | None = None) -> Bounds:
    """The scores again with unknown answers counted as `treat` (lowest or highest): what is shown and what
    each answer gives are reused from the state, only the unknown answers' contributions change, and only the
    sections in `only` (all when None) are scored again."""
    fw = replace(state.fw, policy=replace(state.fw.policy, unknown=treat))
    again = State(fw, state.answers, normalized=state.normalized)
    for key, t in state.scopes.items():
        questions = {
            qid: st._replace(contribution=contribution(fw.policy, fw.questions[qid], st.status, st.raw))
            if st.status == "unknown"
            else st
            for qid, st in t.questions.items()
        }
        again.scopes[key] = Tables(t.answers, t.visible, questions, t.values, dict(t.scores))
    score_sections(again, fw.sections, None, only)
    known: dict[str, object] = {k: v.value for k, v in again.scopes[None].scores.items() if v.value is not None}
    derived = derived_scores(again, known)
    return {key: t.scores for key, t in again.scopes.items()}, derived


def with_range(sc: Score, low: Score | None, high: Score | None) -> Score:
    """A score with its low and high ends set where the unknowns move it; itself otherwise."""
    lo = low.value if low else None
    hi = high.value if high else None
    if lo is None or hi is None or (lo == sc.value and hi == sc.value):
        return sc
    return replace(sc, low=min(lo, hi), high=max(lo, hi))


def add_ranges(state: State, derived: dict[str, Score]) -> dict[str, Score]:
    """Set the range of every section score of every scope (in the state) and of every derived score (returned)
    that unknown answers leave open; nothing changes when no answer is unknown or the policy counts them."""
    if not open_ended(state):
        return derived
    only = moved(state)
    (low_scores, low_derived), (high_scores, high_derived) = (
        rescored(state, "lowest", only),
        rescored(state, "highest", only),
    )
    for key, t in state.scopes.items():
        lows, highs = low_scores.get(key, {}), high_scores.get(key, {})
        t.scores = {sid: with_range(sc, lows.get(sid), highs.get(sid)) for sid, sc in t.scores.items()}
    return {xid: with_range(sc, low_derived.get(xid), high_derived.get(xid)) for xid, sc in derived.items()}


def span(sc: Score, places: int) -> str:
    """A score's range as readers write it, '1.50–2.20', or '' when it has none."""
    if sc.low is None or sc.high is None:
        return ""
    return f"{shown(sc.low, places)}–{shown(sc.high, places)}"
