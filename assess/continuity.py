"""Provides what links an answers file to its past: its predecessor, history, follow-up and answers kept aside."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import Answer, Answers, Event, FollowUp, KeptAside, Predecessor

Data = dict[str, Any]
"""A mapping of an answers file as plain data."""
AnswerReader = Callable[[Data], Answer]
"""How an answer's mapping becomes an Answer (assess.answers reads them so)."""
AnswerWriter = Callable[[Answer], Data]
"""How an Answer becomes its mapping (assess.answers writes them so)."""

FOLLOW_UP_KEYS = ("rule", "action", "for_whom", "priority", "addressee", "period", "status", "note", "at")
"""The keys of a follow-up item, in the file's order."""


def read_continuity(d: Data, read_answer: AnswerReader) -> Data:
    """The continuity fields of Answers (predecessor, history, follow_up, kept_aside) from a file that passed
    the answers schema."""
    p = d.get("predecessor")
    predecessor = None
    if p is not None:
        reqs = [str(r) for r in p.get("requirements") or ()]
        period, title, file = (str(p.get(k, "") or "") for k in ("period", "title", "file"))
        predecessor = Predecessor(str(p["id"]), period, title, file, reqs)
    history = [
        Event(str(e["at"]), str(e["event"]), str(e["summary"]), [str(x) for x in e.get("details") or ()])
        for e in d.get("history") or ()
    ]
    follow_up = [
        FollowUp(**{k: str(f.get(k, "") or "") for k in FOLLOW_UP_KEYS if k != "status"}, status=_status(f))
        for f in d.get("follow_up") or ()
    ]
    kept = [
        KeptAside(
            str(k["id"]),
            read_answer(k.get("answer") or {}),
            str(k["reason"]),
            str(k["version"]),
            section=str(k.get("section", "") or ""),
            entity=str(k.get("entity", "") or ""),
            name=str(k.get("name", "") or ""),
        )
        for k in d.get("kept_aside") or ()
    ]
    return {"predecessor": predecessor, "history": history, "follow_up": follow_up, "kept_aside": kept}


def _status(f: Data) -> str:
    return str(f.get("status") or "not_started")


def head_data(answers: Answers) -> Data:
    """The continuity keys written before the answers (predecessor, history), as plain data in order."""
    out: Data = {}
    p = answers.predecessor
    if p is not None:
        pd: Data = {"id": p.id}
        pd.update({k: v for k, v in (("period", p.period), ("title", p.title), ("file", p.file)) if v})
        if p.requirements:
            pd["requirements"] = list(p.requirements)
        out["predecessor"] = pd
    if answers.history:
        out["history"] = [
            {"at": e.at, "event": e.event, "summary": e.summary, **({"details": list(e.details)} if e.details else {})}
            for e in answers.history
        ]
    return out


def tail_data(answers: Answers, write_answer: AnswerWriter) -> Data:
    """The continuity keys written after the answers (follow_up, kept_aside), as plain data in order."""
    out: Data = {}
    if answers.follow_up:
        out["follow_up"] = [follow_up_data(f) for f in answers.follow_up]
    if answers.kept_aside:
        out["kept_aside"] = [
            {
                "id": k.id,
                "version": k.version,
                "reason": k.reason,
                **{x: v for x, v in (("section", k.section), ("entity", k.entity), ("name", k.name)) if v},
                "answer": write_answer(k.answer),
            }
            for k in answers.kept_aside
        ]
    return out


def follow_up_data(f: FollowUp) -> Data:
    """One follow-up item as the file writes it: rule, action and status always, the rest when set."""
    data: Data = {k: getattr(f, k) for k in FOLLOW_UP_KEYS if getattr(f, k) or k in ("rule", "action", "status")}
    return data
