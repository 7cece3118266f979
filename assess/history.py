"""Provides the undo history of an editing session: each change with what it held before and after, bounded."""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .model import Answer, Entity, FollowUp

if TYPE_CHECKING:
    from .session import Slot

HISTORY_MAX = 100
"""How many changes a session can undo (the oldest are forgotten first); redo holds at most as many."""

Kind = Literal["answer", "add", "rename", "remove", "metadata", "follow_up"]


@dataclass(frozen=True)
class Change:
    """One change made in a session, as copies taken when it was made (later edits cannot alter them)."""

    kind: Kind
    """answer (value, not applicable, confidence, note or sources; or confirmed as carried forward), a block added,
    renamed or removed, the assessment's details (metadata), or the status and note of an action followed up."""
    slot: Slot | None = None
    """The answer changed (kind answer)."""
    before: Answer | None = None
    """The answer before the change, with its time stamp; None when there was none."""
    after: Answer | None = None
    """The answer after the change; None when it holds nothing any more."""
    order_before: tuple[str, ...] = ()
    """The order of the answers around it before the change (the file writes them in that order)."""
    order_after: tuple[str, ...] = ()
    """The order of the answers around it after the change."""
    section: str | None = None
    """The repeatable section whose blocks changed (kind add, rename or remove)."""
    entity: str | None = None
    """The block added, renamed or removed."""
    blocks_before: tuple[Entity, ...] = ()
    """The section's blocks before the change, with their answers."""
    blocks_after: tuple[Entity, ...] = ()
    """The section's blocks after the change, with their answers."""
    listed_before: bool = True
    """Whether the file listed the section under its entities before the change (the first block adds it)."""
    metadata_before: tuple[tuple[str, str], ...] = ()
    """The file's metadata before the change (kind metadata: the assessment's details), in the file's order."""
    metadata_after: tuple[tuple[str, str], ...] = ()
    """The file's metadata after the change."""
    index: int | None = None
    """The action followed up whose status or note changed (kind follow_up): its place in the file's follow_up."""
    follow_up_before: FollowUp | None = None
    """That follow-up before the change, with its time stamp."""
    follow_up_after: FollowUp | None = None
    """That follow-up after the change."""


def answer_change(
    slot: Slot, before: Answer | None, after: Answer | None, order_before: tuple[str, ...], order_after: tuple[str, ...]
) -> Change:
    """A change of one answer, with the order of the answers around it before and after; the answers are copied."""
    return Change("answer", slot, copy.deepcopy(before), copy.deepcopy(after), order_before, order_after)


def blocks_change(
    kind: Kind, section: str, entity: str, before: list[Entity], after: list[Entity], listed: bool = True
) -> Change:
    """A change of a section's blocks (listed: the file listed the section before); both lists are copied."""
    return Change(kind, section=section, entity=entity, blocks_before=copy.deepcopy(tuple(before)),
                  blocks_after=copy.deepcopy(tuple(after)), listed_before=listed)  # fmt: skip


def metadata_change(before: dict[str, str], after: dict[str, str]) -> Change:
    """A change of the assessment's details (title, mission, area, period, analyst, marking): the whole header."""
    return Change("metadata", metadata_before=tuple(before.items()), metadata_after=tuple(after.items()))


def follow_up_change(index: int, before: FollowUp, after: FollowUp) -> Change:
    """A change of the status or note of one action followed up (the index-th of the file's follow_up); copied."""
    before, after = copy.deepcopy(before), copy.deepcopy(after)
    return Change("follow_up", index=index, follow_up_before=before, follow_up_after=after)


class History:
    """The changes a session can undo (newest last, at most HISTORY_MAX) and those it can redo."""

    def __init__(self, limit: int = HISTORY_MAX):
        self.done: deque[Change] = deque(maxlen=limit)
        """Changes made (or redone), oldest first; the oldest is dropped past the limit."""
        self.undone: list[Change] = []
        """Changes undone, the next to redo last."""

    def record(self, change: Change) -> None:
        """A new change: it can be undone, and what was undone before it can no longer be redone."""
        self.done.append(change)
        self.undone.clear()

    def to_undo(self) -> Change | None:
        """The change an undo would take back, or None."""
        return self.done[-1] if self.done else None

    def to_redo(self) -> Change | None:
        """The change a redo would make again, or None."""
        return self.undone[-1] if self.undone else None

    def undid(self) -> None:
        """The last change was undone (after it was saved): it moves to the redo list."""
        self.undone.append(self.done.pop())

    def redid(self) -> None:
        """The last undone change was made again (after it was saved): it moves back to the undo list."""
        self.done.append(self.undone.pop())
