"""Provides the building of sections, repeatable sections and their questions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from ..checks import names, questions, sections
from ..checks.context import Context, F, Spec, Where
from ..model import CHOICE_TYPES, Option, Question, Repeat, Section, Table, TableEntry
from .blocks import KEY_JUDGEMENTS, expand
from .scales import build_scale


def build_section(
    cx: Context,
    s: Spec,
    path: Where,
    parent: str | None,
    parent_direction: str,
    within: str | None,
    role: str | None = None,
    texts: Spec | None = None,
) -> Section:
    """A section with its questions and subsections, all registered and checked; `role` names the block it was
    included as ('key_judgements'), if any; texts: the built-in texts of the framework's language (blocks.expand)."""
    sid = s["id"]
    if role == KEY_JUDGEMENTS:
        cx.judgements = sid
    names.register(cx, sid, "section", path)
    # keep document order: parents before children; the placeholder is replaced below, once built
    cx.sections.setdefault(sid, cast(Section, None))
    rep = None
    if "repeat" in s:
        r = s["repeat"]
        sections.check_nesting(cx, path, within)
        rep = Repeat(
            r.get("label", s["title"]), r.get("min", 0), r.get("max"), r.get("rank_by"), r.get("aggregate", "max")
        )
        sections.check_repeat(cx, rep, path)
        within = sid
    cx.within[sid] = within
    cx.collectors[sid] = tuple(s["collectors"]) if "collectors" in s else cx.collectors.get(parent or "", ("jmac",))
    names.check_rating(cx, s, path)
    qs = tuple(
        build_question(cx, q, path + ("questions", i), sid, within) for i, q in enumerate(s.get("questions", []))
    )
    direction = s.get("direction", parent_direction)
    entries = expand(cx, s.get("sections", []), path + ("sections",), texts)
    subs = tuple(
        build_section(cx, x, path + ("sections", i), sid, direction, within, role, texts) for i, x, role in entries
    )
    sec = Section(
        id=sid,
        title=s["title"],
        questions=qs,
        sections=subs,
        description=s.get("description", ""),
        guidance=s.get("guidance", ""),
        aggregate=s.get("aggregate", "mean"),
        normalize=bool(s.get("normalize", False)),
        direction=direction,
        weight=F(s.get("weight", 1)),
        rating=s.get("rating"),
        scored=s.get("scored", True),
        show_if=s.get("show_if"),
        repeat=rep,
        parent=parent,
        within=within,
        role=role,
        path=path,
    )
    cx.sections[sid] = sec
    sections.check_children(cx, sec, {**s, "sections": [x for _, x, _ in entries]}, path)
    sections.check_rank_by(cx, sec, path)
    if "table" in s:
        sec = replace(sec, table=build_table(cx, sec, s["table"], path + ("table",)))
        cx.sections[sid] = sec
    return sec


def build_table(cx: Context, sec: Section, t: Spec, path: Where) -> Table:
    """How the report tabulates a section: its entries built, and checked to be inside it (E241, E242)."""

    def entries(key: str) -> tuple[TableEntry, ...]:
        return tuple(
            TableEntry(e, "") if isinstance(e, str) else TableEntry(e["id"], e.get("header", ""))
            for e in t.get(key, ())
        )

    table = Table(t.get("title", ""), entries("columns"), entries("rows"))
    sections.check_table(cx, sec, table, path)
    return table


def build_question(cx: Context, q: Spec, path: Where, section: str, within: str | None) -> Question:
    """A question with its options (from its scale or inline), registered and checked."""
    qid, qtype = q["id"], q["type"]
    names.register(cx, qid, "question", path)
    cx.within[qid] = within
    d = cx.defaults
    opts: tuple[Option, ...] = ()
    scale_id = q.get("scale")
    if qtype == "yesno" and not scale_id and "options" not in q:
        scale_id = "yesno"
    questions.check_kind(cx, q, path, scale_id)
    if scale_id and qtype in CHOICE_TYPES:
        sc = cx.scales.get(scale_id)
        if sc is None:
            names.unknown_scale(cx, scale_id, path + ("scale",))
        else:
            opts = sc.options
    elif "options" in q:
        opts = build_scale(cx, qid, {"options": q["options"]}, path).options
    scored = bool(q.get("scored", qtype in CHOICE_TYPES))  # choices score by default; numbers, text, dates not
    lo = F(q["min"]) if "min" in q else None
    hi = F(q["max"]) if "max" in q else None
    questions.check_answers(cx, q, path, opts, scored, lo, hi)
    question = Question(
        id=qid,
        text=q["text"],
        type=qtype,
        section=section,
        guidance=q.get("guidance", ""),
        options=opts,
        scale=scale_id,
        min=lo,
        max=hi,
        unit=q.get("unit", ""),
        integer=q.get("integer", False),
        scored=scored,
        multiple_score=q.get("multiple_score", "sum"),
        max_choices=q.get("max_choices"),
        required=_setting(q, d, "required", False),
        weight=F(q.get("weight", 1)),
        collectors=tuple(q["collectors"]) if "collectors" in q else cx.collectors[section],
        allow_na=_setting(q, d, "allow_na", False),
        evidence=_setting(q, d, "evidence", "none"),
        confidence=_setting(q, d, "confidence", False),
        justification=_setting(q, d, "justification", "none"),
        show_if=q.get("show_if"),
        path=path,
    )
    object.__setattr__(question, "range", question.compute_range())  # still being built: set once, here
    cx.questions.setdefault(qid, question)
    return question


def _setting(q: Spec, defaults: Spec, key: str, fallback: Any) -> Any:
    """A question's own value of a field, else the framework's default for it, else the format's."""
    return q.get(key, defaults.get(key, fallback))
