"""Provides the main screen's walk and block actions: next and previous over the questions and the repeatable
sections' stops (no block yet: add the first; after the last block: add another), next open, and add, rename and
remove a block, the planner kept in the section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widgets.tree import TreeNode

from ...errors import AssessError
from ...i18n import domain
from ...limits import MAX_NAME
from ...session import Session, Slot
from .. import walk
from ..language import agree, elide
from ..walk import Place, Stop
from ..widgets.register import RegisterPane
from . import binding_keys, end_of_walk
from .dialogs import ConfirmDialog, ErrorDialog, TextDialog

if TYPE_CHECKING:
    from .main import MainScreen

_, ngettext, pgettext = domain("app")


def stop_shown(screen: MainScreen) -> Stop | None:
    """The stop shown in place of a question, or None."""
    found = screen.query(RegisterPane)
    return found.first().stop if found else None


def here(screen: MainScreen) -> Place | None:
    """Where the planner is in the walk: the question shown, or the stop."""
    return screen.current or stop_shown(screen)


def offer(screen: MainScreen, stop: Stop) -> RegisterPane:
    """The pane of a stop: what the section holds, the key that adds a block, the key that goes on."""
    session = screen.session
    sec = session.fw.all_sections[stop.section]
    rep = sec.repeat
    assert rep is not None  # stops are at repeatable sections only
    key = binding_keys(screen)
    add, on = key.get("assess.add_entity", "f3").upper(), key.get("assess.next", "ctrl+n")
    blocks = session.entities(stop.section)
    if stop.first:
        text = _("{section}: no {block} yet. Press {key} (or Enter on the button) to add the first {block}.").format(
            section=sec.title, block=rep.label, key=add
        )
        text = elide(text)  # French: 'pas encore d'acteur' before a vowel
        button = agree(_("Add the first {block}").format(block=rep.label), rep.label)
    else:
        text = _(
            "{section}: that was {block} {n} of {n}, '{name}'. Press {key} (or Enter on the button) to add another "
            "{block}."
        ).format(section=sec.title, block=rep.label, n=len(blocks), name=blocks[-1].name, key=add)
        text = agree(text, rep.label)  # French: 'une autre entité'
        button = agree(_("Add another {block}").format(block=rep.label), rep.label)
    missing = walk.short(session, stop.section)
    if missing:
        if stop.first:
            text += " " + _("The framework asks for at least {n}.").format(n=rep.min)
        else:
            text += " " + _("The framework asks for at least {n}: {more} more to add.").format(n=rep.min, more=missing)
    last = walk.neighbour(session, stop, 1) is None
    if last:
        text += " " + _("{key} shows the summary.").format(key=key.get("assess.summary", "ctrl+o"))
    else:
        text += " " + _("{key} goes on.").format(key=on)
    state = _("no blocks yet") if stop.first else _("after the last block")
    where = f"{sec.title} · {state}"
    return RegisterPane(stop, where, text, button, read_only=session.read_only)


def point(screen: MainScreen, node: TreeNode) -> None:
    """Put the tree's cursor on a node, scrolled into view (its lines laid out first: a tree just built has none)."""
    nav = screen.nav
    _ = nav.last_line  # lays the lines out again, so the node's line is known
    nav.move_cursor(node)
    nav.scroll_to_node(node, animate=False)


async def show_stop(screen: MainScreen, stop: Stop) -> None:
    """Show a stop in place of a question (after saving what was typed), the tree at its section, the button
    focused."""
    if not screen.leave():
        return
    screen.settle()
    holder = screen.query_one("#pane", Vertical)
    screen.set_focus(None, scroll_visible=False)  # not left on a widget being removed (its keys asked about)
    await holder.remove_children()
    pane = offer(screen, stop)
    await holder.mount(pane)
    screen.current = None
    fw, chain = screen.session.fw, []
    sid: str | None = stop.section
    while sid is not None:
        chain.append(sid)
        sid = fw.all_sections[sid].parent
    node = None
    for sid in reversed(chain):  # the sections above it open, so its row can take the cursor
        node = screen.nav.containers.get((sid, None))
        if node is not None:
            screen.nav.fill(node)
            node.expand()
    if node is not None:
        point(screen, node)
    button = pane.query_one("#add-block")
    if button.focusable:
        button.focus()
    else:
        screen.nav.focus()


async def go(screen: MainScreen, place: Place) -> None:
    """Show a question (its answer focused) or a stop."""
    if isinstance(place, Stop):
        await show_stop(screen, place)
    else:
        await screen.go(place)


async def step(screen: MainScreen, step: int) -> None:
    """Go to the next (1) or previous (-1) place of the walk; at an end, say so and stay (no wrapping round)."""
    screen.settle()
    at = here(screen)
    target = walk.neighbour(screen.session, at, step)
    if target is not None:
        await go(screen, target)
    elif isinstance(at, Stop) and step > 0:  # a section's stop ends the walk: no 'last question' to name
        key = binding_keys(screen)
        n = len(screen.session.visible_slots())
        screen.notify(  # the English reads the same for one (as it did); French agrees: 1 question, 2 questions
            ngettext(
                "The end of the walk: {n} questions before this section. {previous} goes back, {open} finds an open "
                "question, {summary} shows the summary.",
                "The end of the walk: {n} questions before this section. {previous} goes back, {open} finds an open "
                "question, {summary} shows the summary.",
                n,
            ).format(
                n=n,
                previous=key["assess.previous"],
                open=key["assess.next_unanswered"],
                summary=key["assess.summary"],
            ),
            markup=False,
        )
    elif at is not None and screen.leave():  # what was typed is saved as by any other way out of the question
        screen.notify(end_of_walk(screen, step, len(screen.session.visible_slots())), markup=False)


async def next_open(screen: MainScreen) -> None:
    """Go to the next question without an answer or section short of its minimum blocks, or say there is none."""
    screen.settle()
    target = walk.next_open(screen.session, here(screen))
    if target is not None:
        await go(screen, target)
    else:
        screen.notify(_("Every visible question is answered."))


async def show_first(screen: MainScreen, slot: Slot) -> None:
    """Show a block's first question in view: the pane at its top, the answer focused, the tree's cursor on it."""
    await screen.go(slot)
    pane = screen.pane()
    if pane is not None and pane.slot == slot:
        pane.scroll_home(animate=False)
        node = screen.nav.nodes.get(slot.key)
        if node is not None:
            point(screen, node)


def repeat_context(screen: MainScreen) -> tuple[str | None, str | None]:
    """(repeatable section id, entity id) around the tree cursor or the current question."""
    section, entity = screen.nav.repeat_context()
    if section is not None:
        return section, entity
    fw = screen.session.fw
    if screen.current and screen.current.entity:
        sec = fw.all_sections[fw.questions[screen.current.qid].section]
        return sec.within, screen.current.entity
    repeats = [s.id for s in fw.all_sections.values() if s.repeat]
    return (repeats[0], None) if len(repeats) == 1 else (None, None)


async def add_block(screen: MainScreen) -> None:
    """Ask for a name and add a block to the repeatable section the planner is in."""
    if screen.refuse_if_read_only():
        return
    session = screen.session
    section = repeat_context(screen)[0]
    if section is None:
        screen.notify(_("Move to a repeatable section in the tree first."), severity="warning")
        return
    rep = session.fw.all_sections[section].repeat
    assert rep is not None  # repeat_context() names repeatable sections only

    async def done(name) -> None:
        if not name:
            return
        try:
            e = session.add_entity(section, name)
        except ValueError as exc:
            screen.notify(str(exc), severity="error", markup=False)
            return
        except AssessError as exc:
            screen.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
            return
        screen.nav.build()
        screen.refresh_status()
        first = next((s for s in session.visible_slots() if s.entity == e.id), None)
        if first:
            await show_first(screen, first)

    dialog = TextDialog(
        _("Name of the new {block}:").format(block=rep.label),
        max_length=MAX_NAME,
        check=lambda name: session.name_taken(section, name),  # the session refuses it too
        blank=_("Type a name for the {block}.").format(block=rep.label),
        discard=_("Discard the name typed for the new {block}?").format(block=rep.label),
    )
    await screen.app.push_screen(dialog, done)


def block_to_change(screen: MainScreen) -> str | None:
    """The block at the tree cursor (or of the current question) to rename or remove, if it may be."""
    if screen.refuse_if_read_only():
        return None
    entity = repeat_context(screen)[1]
    if entity is None:
        screen.notify(_("Move to a block in the tree first."), severity="warning")
    return entity


def section_of(session: Session, entity: str) -> str:
    """The repeatable section a block belongs to."""
    return next(sid for sid, blocks in session.answers.entities.items() if any(e.id == entity for e in blocks))


async def rename_block(screen: MainScreen) -> None:
    """Ask for a new name for the block the planner is in."""
    entity = block_to_change(screen)
    if entity is None:
        return
    session = screen.session
    current = session.block(entity).name
    section = section_of(session, entity)
    rep = session.fw.all_sections[section].repeat
    label = rep.label if rep else _("block")

    def done(name) -> None:
        if name:
            try:
                session.rename_entity(entity, name)
            except ValueError as exc:  # the dialog refused the name already: only a change made meanwhile
                screen.notify(str(exc), severity="error", markup=False)
                return
            except AssessError as exc:
                screen.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
                return
            screen.nav.build()
            if screen.current is not None:
                screen.show(screen.current)  # the rebuilt tree opens again at the current question

    dialog = TextDialog(
        _("New name:"),
        current,
        MAX_NAME,
        check=lambda name: session.name_taken(section, name, entity),  # its own name (in any case) is fine
        blank=_("Type a name for the {block}.").format(block=label),
        discard=_("Discard the new name typed for '{name}'?").format(name=current),
    )
    await screen.app.push_screen(dialog, done)


async def remove_block(screen: MainScreen) -> None:
    """Ask to confirm, then remove the block the planner is in with its answers."""
    entity = block_to_change(screen)
    if entity is None:
        return
    session = screen.session
    name = session.block(entity).name

    section = section_of(session, entity)
    ids = [e.id for e in session.entities(section)]

    async def done(yes: bool | None) -> None:
        if not yes:
            return
        at = screen.current
        inside = at is not None and at.entity == entity
        try:
            session.remove_entity(entity)
        except AssessError as exc:
            screen.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
            return
        if inside:
            screen.current = None  # a question of the block removed is gone with what was typed in it
        screen.nav.build()
        screen.refresh_status()
        if at is not None and not inside:
            await screen.go(at)  # the planner was elsewhere: stays there (what was typed there is saved)
            return
        target = after_removal(screen, section, ids.index(entity), at.qid if at else None)
        await go(screen, target)

    question = _("Remove '{name}' and all its answers?").format(name=name)
    await screen.app.push_screen(ConfirmDialog(question, _("Remove")), done)


def after_removal(screen: MainScreen, section: str, index: int, qid: str | None) -> Place:
    """Where the planner goes once a block is removed: the same question in the block that took its place (or in
    the block before it, the last one removed), else that block's first question; no block left: the section's
    stop offering the first."""
    return place_after(screen.session, section, index, qid)


def place_after(session: Session, section: str, index: int, qid: str | None) -> Place:
    """after_removal's place, in a session (a read-only view reread from disk keeps its viewer there too)."""
    blocks = session.entities(section)
    if not blocks:
        return Stop(section, True)
    block = blocks[min(index, len(blocks) - 1)]
    shown = [s for s in session.visible_slots() if s.entity == block.id]
    same = [s for s in shown if s.qid == qid]
    if same or shown:
        return (same or shown)[0]
    return Stop(section, False)
