"""Provides scoring: (Framework, Answers) -> Result, exact, with the inputs of every number.

The steps, each a module over one State (state.py): questions.py decides what is shown and what each question
gives; sections.py scores sections children first; derived.py computes derived scores and fires rules;
gaps.py counts coverage, confidence, grades and gaps; ranges.py scores again with unknown answers at their lowest
and highest to give each score its range; maps.py fills heat maps and ranks blocks.
"""

from __future__ import annotations

from ..model import Answers, Framework, Result, Score
from ..requirements import requirements
from .derived import derived_scores, recommendations
from .gaps import tally
from .maps import heatmap, rankings
from .questions import fill_scopes
from .ranges import add_ranges
from .sections import score_sections
from .state import State

__all__ = ["score"]


def score(fw: Framework, answers: Answers) -> Result:
    """Score answers against a framework. Pure: reads nothing, writes nothing."""
    state = State(fw, answers)
    fill_scopes(state)
    score_sections(state, fw.sections, None)
    known: dict[str, object] = {k: v.value for k, v in state.scopes[None].scores.items() if v.value is not None}
    derived = add_ranges(state, derived_scores(state, known))
    sections = state.scopes[None].scores
    counts = tally(state)
    recs = recommendations(state, known, counts.gaps, counts.marks)
    blocks = _block_scores(state)
    questions, gaps = tuple(counts.questions), tuple(counts.gaps)
    return Result(
        heatmaps={h.id: heatmap(state, h) for h in fw.heatmaps},
        framework=fw,
        answers=answers,
        questions=questions,
        sections=sections,
        entity_scores=blocks,
        derived=derived,
        rankings=rankings(state),
        coverage=counts.coverage,
        confidence=counts.confidence,
        recommendations=recs,
        gaps=gaps,
        warnings=tuple(state.warnings),
        grades=counts.grades,
        requirements=requirements(fw, answers, questions, gaps, sections, blocks),
    )


def _block_scores(state: State) -> dict[str, dict[str, dict[str, Score]]]:
    """For each repeatable section, for each block, its section scores (none when the section is hidden)."""
    out: dict[str, dict[str, dict[str, Score]]] = {}
    for sid, sec in state.fw.all_sections.items():
        if sec.repeat is not None:
            shown = state.visible(sid)
            out[sid] = {e.id: state.scopes[(sid, e.id)].scores for e in state.answers.entities.get(sid, []) if shown}
    return out
