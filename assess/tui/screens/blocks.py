"""Provides the main screen's block actions: add, rename and remove a block of a repeatable section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import AssessError
from ...limits import MAX_NAME
from .dialogs import ConfirmDialog, ErrorDialog, TextDialog

if TYPE_CHECKING:
    from .main import MainScreen


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
    section, _ = repeat_context(screen)
    if section is None:
        screen.notify("Move to a repeatable section in the tree first.", severity="warning")
        return
    rep = session.fw.all_sections[section].repeat
    assert rep is not None  # repeat_context() names repeatable sections only

    def done(name) -> None:
        if not name:
            return
        try:
            e = session.add_entity(section, name)
        except ValueError as exc:
            screen.notify(str(exc), severity="error", markup=False)
            return
        except AssessError as exc:
            screen.app.push_screen(ErrorDialog("Could not save", "\n".join(map(str, exc.problems))))
            return
        screen.nav.build()
        screen.refresh_status()
        first = next((s for s in session.visible_slots() if s.entity == e.id), None)
        if first:
            screen.show(first)

    await screen.app.push_screen(TextDialog(f"Name of the new {rep.label}:", max_length=MAX_NAME), done)


def block_to_change(screen: MainScreen) -> str | None:
    """The block at the tree cursor (or of the current question) to rename or remove, if it may be."""
    if screen.refuse_if_read_only():
        return None
    _, entity = repeat_context(screen)
    if entity is None:
        screen.notify("Move to a block in the tree first.", severity="warning")
    return entity


async def rename_block(screen: MainScreen) -> None:
    """Ask for a new name for the block the planner is in."""
    entity = block_to_change(screen)
    if entity is None:
        return
    session = screen.session
    current = session.block(entity).name

    def done(name) -> None:
        if name:
            try:
                session.rename_entity(entity, name)
            except AssessError as exc:
                screen.app.push_screen(ErrorDialog("Could not save", "\n".join(map(str, exc.problems))))
                return
            screen.nav.build()
            if screen.current is not None:
                screen.show(screen.current)  # the rebuilt tree opens again at the current question

    await screen.app.push_screen(TextDialog("New name:", current, MAX_NAME), done)


async def remove_block(screen: MainScreen) -> None:
    """Ask to confirm, then remove the block the planner is in with its answers."""
    entity = block_to_change(screen)
    if entity is None:
        return
    session = screen.session
    name = session.block(entity).name

    def done(yes: bool | None) -> None:
        if yes:
            session.remove_entity(entity)
            screen.current = None
            screen.nav.build()
            screen.refresh_status()
            slot = session.next_slot(None)
            if slot:
                screen.show(slot)

    await screen.app.push_screen(ConfirmDialog(f"Remove '{name}' and all its answers?", "Remove"), done)
