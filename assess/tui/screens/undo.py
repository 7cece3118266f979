"""Provides the main screen's undo and redo: the session's last change taken back (or made again), saved like any
change, the question it changed shown and a notice saying what it holds again."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ...errors import AssessError
from ...history import Change
from ...i18n import domain
from ...model import CARRIED_LABEL, FOLLOW_UP_LABELS, Answer, Framework, Question
from ...numbers import decimal
from ..language import shown, word
from . import blocks
from .dialogs import ErrorDialog
from .metadata import FIELDS, details_shown

if TYPE_CHECKING:
    from .main import MainScreen

_, ngettext, pgettext = domain("app")

DETAIL_WORDS = {key: label for key, label, *_rest in FIELDS}
"""Each detail's name in the details form (metadata.FIELDS), which a notice names it by."""

SHORT = 40
"""Characters of a note or text answer a notice quotes."""


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= SHORT else text[: SHORT - 1] + '…'}'"


def _value(q: Question, value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_value(q, v) for v in value) or _("no answer")
    option = q.option(value) if q.options else None
    if option is not None:
        return option.label or str(option.value)
    if isinstance(value, Fraction):
        return shown(decimal(value))
    return _quote(str(value)) if isinstance(value, str) else str(value)


def held(fw: Framework, q: Question, a: Answer | None, other: Answer | None) -> str:
    """What an answer holds, in words, for the field that differs from the other side of the change."""
    a, other = a or Answer(), other or Answer()
    if a.na != other.na or a.value != other.value:
        if a.na:
            return _("not applicable")
        return _("no answer") if a.value in (None, "", []) else _value(q, a.value)
    if a.confidence != other.confidence:
        scale = fw.confidence_scale
        option = next((o for o in scale.options if o.value == a.confidence), None) if scale else None
        return (
            _("confidence {level}").format(level=option.label if option else a.confidence)
            if a.confidence is not None
            else _("no confidence stated")
        )
    if a.note != other.note:
        return _("the note {note}").format(note=_quote(a.note)) if a.note else _("no note")
    if a.carried != other.carried:  # confirmed (ctrl+k), nothing else changed
        return word(CARRIED_LABEL) if a.carried else _("confirmed")
    n = len(a.sources)
    count = ngettext("{n} source", "{n} sources", n).format(n=n)
    return count + (_(" ({source} last)").format(source=_quote(a.sources[-1].ref)) if n else "")


def details_notice(change: Change, back: bool) -> str:
    """What an undo (back) or a redo of the assessment's details did: 'Undone: assessment details (marking) back
    to 'UN RESTRICTED'.' (a detail left blank: 'blank')."""
    shown, other = (
        (change.metadata_before, change.metadata_after) if back else (change.metadata_after, change.metadata_before)
    )
    was = dict(other)
    fields = [(k, v) for k, v in shown if v != was.get(k, "")]
    keys = ", ".join(word(DETAIL_WORDS.get(k, k)).lower() for k, _v in fields)
    values = ", ".join(_quote(v) if v else _("blank") for _k, v in fields)
    if back:
        return _("Undone: assessment details ({fields}) back to {values}.").format(fields=keys, values=values)
    return _("Redone: assessment details ({fields}) to {values}.").format(fields=keys, values=values)


def follow_up_notice(change: Change, back: bool) -> str:
    """What an undo (back) or a redo of a follow-up did: "Undone: follow-up of 'Brief the …' back to In progress,
    the note 'Two of four …'"."""
    now, then = (change.follow_up_before, change.follow_up_after)[:: 1 if back else -1]
    assert now is not None and then is not None  # both sides of a follow-up change are recorded
    held = [word(FOLLOW_UP_LABELS.get(now.status, now.status))] if now.status != then.status else []
    if now.note != then.note:
        held.append(_("the note {note}").format(note=_quote(now.note)) if now.note else _("no note"))
    said = _("Undone: follow-up of {action} back to {held}.") if back else _("Redone: follow-up of {action} to {held}.")
    return said.format(action=_quote(now.action), held=", ".join(held))


def notice(screen: MainScreen, change: Change, back: bool) -> str:
    """What an undo (back) or a redo did: 'Undone: <question> back to <what it held>'."""
    fw, session = screen.session.fw, screen.session
    if change.kind == "metadata":
        return details_notice(change, back)
    if change.kind == "follow_up":
        return follow_up_notice(change, back)
    if change.slot is not None:
        q = fw.questions[change.slot.qid]
        block = f" ({session.block(change.slot.entity).name})" if change.slot.entity else ""
        now, then = (change.before, change.after) if back else (change.after, change.before)
        said = _("Undone: {question}{block} back to {held}.") if back else _("Redone: {question}{block} to {held}.")
        return said.format(question=q.text, block=block, held=held(fw, q, now, then))
    rep = fw.all_sections[change.section or ""].repeat
    label = rep.label if rep else _("block")
    names = {e.id: e.name for e in (*change.blocks_before, *change.blocks_after)}
    old = next((e.name for e in change.blocks_before if e.id == change.entity), "")
    new = next((e.name for e in change.blocks_after if e.id == change.entity), "")
    name = names.get(change.entity or "", "")
    if change.kind == "rename":
        was, now_ = (new, old) if back else (old, new)
        said = (
            _("Undone: the {block} '{was}' is named '{now}' again.")
            if back
            else _("Redone: the {block} '{was}' is named '{now}' again.")
        )
        return said.format(block=label, was=was, now=now_)
    if change.kind == "add":
        said = _("Undone: adding the {block} '{name}'.") if back else _("Redone: the {block} '{name}' is added again.")
    elif back:
        said = _("Undone: the {block} '{name}' is back, with its answers.")
    else:
        said = _("Redone: the {block} '{name}' is removed again.")
    return said.format(block=label, name=name)


async def undo(screen: MainScreen, back: bool) -> None:
    """Undo (back) or redo the session's last change, after saving what was typed; show the question it changed
    (or the block), and say what it holds now."""
    if screen.refuse_if_read_only() or not screen.leave():
        return
    screen.settle()
    session = screen.session
    pane, focused = screen.pane(), screen.focused
    field = focused.id if pane is not None and focused is not None and focused in pane.walk_children() else None
    try:
        change = session.undo() if back else session.redo()
    except AssessError as exc:
        screen.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
        return
    if change is None:
        said = _("Nothing to undo in this session.") if back else _("Nothing to redo in this session.")
        screen.notify(said, markup=False)
        return
    text = notice(screen, change, back)
    at = screen.current
    if change.kind in ("metadata", "follow_up"):  # the header: the planner stays where they are
        if change.kind == "metadata":
            details_shown(screen)
        screen.notify(text, markup=False)
        return
    screen.current = None  # what was typed is saved; the pane shown is drawn again from the file's answers
    if change.slot is not None:
        screen.nav.relabel()
        screen.refresh_status()
        await screen.go(change.slot)
        pane = screen.pane()
        if change.slot == at and field and pane is not None:  # in the note, say: the cursor stays in it
            again = pane.query(f"#{field}")
            if again and again.first().focusable:
                again.first().focus(scroll_visible=False)
    else:
        assert change.section is not None  # a block change names its section
        screen.nav.build()
        screen.refresh_status()
        ids = [e.id for e in (change.blocks_before if back else change.blocks_after)]
        if change.entity in ids:  # the block is there now: its first question
            await blocks.go(screen, blocks.after_removal(screen, change.section, ids.index(change.entity), None))
        elif at is not None and at.entity != change.entity:
            await screen.go(at)  # the planner was elsewhere: stays there
        else:  # the block the planner was in is gone: the one that took its place, or the section's stop
            old = [e.id for e in (change.blocks_after if back else change.blocks_before)]
            await blocks.go(screen, blocks.after_removal(screen, change.section, old.index(change.entity or ""), None))
    screen.notify(text, markup=False)
