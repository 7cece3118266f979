"""Provides an editing session over one answers file: change answers, save each change, rescore, navigate."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .answers import Store, answer_data, now
from .errors import AssessError, Problem, problem
from .history import Change, History, answer_change, blocks_change, follow_up_change, metadata_change
from .limits import MAX_METADATA, MAX_NAME, MAX_NOTE, MAX_REF, metadata_problems
from .model import FOLLOW_UP_STATUSES, Answer, Answers, Entity, Framework, Result, Source
from .pipeline import open_for_editing
from .positions import remember_position, remembered_position
from .scoring import score


@dataclass(frozen=True)
class Slot:
    """One place a planner answers: a question, inside an entity block or not."""

    qid: str
    """Question id."""
    entity: str | None = None
    """Entity id when the question sits in a repeatable section."""

    @property
    def key(self) -> str:
        """The slot as one text, 'block/question' or 'question': how positions and the app name it."""
        return f"{self.entity}/{self.qid}" if self.entity else self.qid


DETAILS = ("title", "mission", "area", "period", "analyst", "marking")
"""The metadata a planner edits (set_metadata): created and updated are stamped by the file."""


class Session:
    """Holds the framework, the answers and the lock; every change is saved atomically before it returns."""

    def __init__(
        self, fw: Framework, answers: Answers, path: Path, store: Store | None = None, read_only: bool = False
    ):
        self.fw = fw
        self.answers = answers
        self.path = Path(path)
        self.read_only = read_only
        """Opened to look at only (another session holds the file): nothing is saved, nothing is locked."""
        self.store = None if read_only else (store or Store(self.path))
        self.warnings: list[Problem] = []
        """What Session.open found but opened anyway: texts over their limit (W008), metadata that score and
        report refuse (OPENS_ANYWAY), another framework version (W001)."""
        self._position = remembered_position(self.path) or answers.position
        self._remembered = self._position
        self.history = History()
        """The changes of this session that undo() can take back (kept in memory only, bounded)."""
        self.result: Result = self.rescore()

    @classmethod
    def open(cls, path: str | Path, framework: str | None = None, read_only: bool = False) -> Session:
        """Open an answers file for editing (or only to look at it); raise AssessError with the same messages
        as the command line."""
        opened = open_for_editing(path, framework)
        session = cls(opened.framework, opened.answers, Path(path), read_only=read_only)
        session.warnings = list(opened.warnings)
        return session

    def close(self) -> None:
        """End the session: free the file (the planner's place is already kept, see _move)."""
        if self.store is not None:
            self.store.close()
            self.store = None

    # ------------------------------------------------------------------ reading
    def answer(self, slot: Slot) -> Answer | None:
        """The answer saved for this slot, or None when it has none yet."""
        return self._answers_of(slot.entity).get(slot.qid)

    def _answers_of(self, entity: str | None) -> dict[str, Answer]:
        return self.answers.answers if entity is None else self.block(entity).answers

    def block(self, entity: str) -> Entity:
        """The block with this id (ids are unique across the file); KeyError when there is none."""
        for blocks in self.answers.entities.values():
            for e in blocks:
                if e.id == entity:
                    return e
        raise KeyError(entity)

    def entities(self, section: str) -> list[Entity]:
        """The blocks of a repeatable section, in file order (none yet: an empty list)."""
        return self.answers.entities.get(section, [])

    def slots(self) -> list[Slot]:
        """Every question in order, each repeatable section's questions once per block."""
        out: list[Slot] = []

        def walk(sec, entity):
            for q in sec.questions:
                out.append(Slot(q.id, entity))
            for sub in sec.sections:
                place(sub, entity)

        def place(sec, entity):
            if sec.repeat is not None and entity is None:
                for e in self.entities(sec.id):
                    walk(sec, e.id)
            else:
                walk(sec, entity)

        for sec in self.fw.sections:
            place(sec, None)
        return out

    def status(self, slot: Slot) -> str:
        """answered, unanswered, not_applicable, unknown or hidden, from the last scoring."""
        return self._status.get(slot.key, "unanswered")

    def visible_slots(self) -> list[Slot]:
        """The slots the planner is shown: every one but those hidden by a show_if."""
        return [s for s in self.slots() if self.status(s) != "hidden"]

    def next_slot(self, slot: Slot | None, step: int = 1, unanswered: bool = False) -> Slot | None:
        """The visible slot step places on from slot (wrapping round; only an unanswered one if asked), or None."""
        slots = self.visible_slots()
        if not slots:
            return None
        keys = [s.key for s in slots]
        i = keys.index(slot.key) if slot and slot.key in keys else -1 if step > 0 else len(slots)
        n = len(slots)
        for k in range(1, n + 1):
            cand = slots[(i + step * k) % n]
            if not unanswered or self.status(cand) == "unanswered":
                return cand
        return None

    # ------------------------------------------------------------------ changing
    def _save(self, changed: Slot | None = None) -> None:
        """Save the answers; changed names the one answer that changed (the others are written as last time);
        without it, every answer is written afresh."""
        self._writable()
        assert self.store is not None  # _writable() refused otherwise
        if changed is not None:
            self.store.save(self.answers, ((changed.entity, changed.qid),))
        else:
            self.store.save(self.answers)

    def _writable(self) -> None:
        """Refuse a change in a read-only session, before anything is changed (E319)."""
        if self.read_only or self.store is None:
            raise AssessError([problem(str(self.path), None, "E319")])

    def _fits(self, where: str, text: str, limit: int) -> None:
        """Refuse, before anything is changed, a text longer than an answers file holds (E321)."""
        if len(text) > limit:
            raise AssessError([problem(str(self.path), None, "E321", where=where, length=len(text), limit=limit)])

    def rescore(self) -> Result:
        """Score the answers afresh, keep each question's status for the tree, and return the result."""
        self.result = score(self.fw, self.answers)
        self._status = {(f"{q.entity}/{q.id}" if q.entity else q.id): q.status for q in self.result.questions}
        return self.result

    def update(self, slot: Slot, rescore: bool = True, **fields) -> Answer:
        """Set fields of an answer (value, na, confidence, note, sources), stamp it, save, and rescore
        (the app defers rescoring by passing rescore=False and calling rescore() a moment later). Nothing is
        saved, nor stamped, when the fields are as they were; a text longer than a file holds is refused (E321)."""
        self._writable()
        answers = self._answers_of(slot.entity)
        old = answers.get(slot.qid)
        # only what changes is held to the limits: a text written longer by hand (W008) is kept as it is
        if fields.get("note") and fields["note"] != (old.note if old else ""):
            self._fits(f"the note of '{slot.qid}'", fields["note"], MAX_NOTE)
        kept = {src.ref for src in old.sources} if old else set()
        for i, src in enumerate(fields.get("sources") or ()):
            if src.ref not in kept:
                self._fits(f"source {i + 1} of '{slot.qid}'", src.ref, MAX_REF)
        before = _held(old) if old is not None else None
        prior, order = copy.deepcopy(old), tuple(answers)  # for undo: the answer as it was, time stamp included
        a = old or Answer()
        for k, v in fields.items():
            setattr(a, k, v)
        if fields.get("na"):
            a.value = None
        self._move(slot.key)
        if _held(a) == before if old is not None else not _kept(a):
            return a  # nothing changed: the file stays as it was
        a.at, a.carried = now(), False  # changed: no longer the last period's answer to review
        if _kept(a):
            answers[slot.qid] = a
        else:
            answers.pop(slot.qid, None)
        self._save(slot)
        self.history.record(answer_change(slot, prior, a if _kept(a) else None, order, tuple(answers)))
        if rescore:
            self.rescore()
        return a

    def add_source(self, slot: Slot, ref: str, reliability: str | None, credibility: str | None) -> None:
        """Add a source with its two grades to the slot's answer, and save."""
        a = self.answer(slot)
        sources = list(a.sources) if a else []
        sources.append(Source(ref, reliability, credibility))
        self.update(slot, sources=sources)

    def remove_source(self, slot: Slot, index: int) -> None:
        """Remove the slot's source at index (an index out of range changes nothing), and save."""
        a = self.answer(slot)
        if a and 0 <= index < len(a.sources):
            self.update(slot, sources=[s for i, s in enumerate(a.sources) if i != index])

    def edit_source(self, slot: Slot, index: int, ref: str, reliability: str | None, credibility: str | None) -> None:
        """Replace the slot's source at index with this reference and grades (an index out of range changes
        nothing), and save; a reference longer than a file holds is refused (E321), as when it was added."""
        self._writable()
        a = self.answer(slot)
        if a and 0 <= index < len(a.sources):
            sources = list(a.sources)
            sources[index] = Source(ref, reliability, credibility)
            self.update(slot, sources=sources)

    def confirm(self, entity: str | None, qid: str) -> bool:
        """Take an answer carried forward from the last period as it is: its mark goes and nothing else changes (not
        its time stamp), saved at once and undoable; False (nothing saved) when the answer is not carried."""
        self._writable()
        slot, answers = Slot(qid, entity), self._answers_of(entity)
        a = answers.get(qid)
        if a is None or not a.carried:
            return False
        prior, order = copy.deepcopy(a), tuple(answers)
        a.carried = False
        try:
            self._save(slot)
        except AssessError:
            a.carried = True
            raise
        self.history.record(answer_change(slot, prior, a, order, order))
        return True

    def carried_count(self) -> int:
        """How many answers are still carried forward from the last period: to confirm (or change) one by one."""
        blocks = [e.answers for es in self.answers.entities.values() for e in es]
        return sum(a.carried for held in (self.answers.answers, *blocks) for a in held.values())

    def set_follow_up(self, index: int, status: str | None = None, note: str | None = None) -> bool:
        """Set the status (one of FOLLOW_UP_STATUSES) and/or the note of the follow-up of one of the last period's
        actions (None: as it was), stamp it, save at once (undoable); False when nothing changed (nor saved). An
        unknown status or index is ValueError or IndexError; a note longer than a file holds, E321."""
        self._writable()
        if not 0 <= index < len(self.answers.follow_up):
            raise IndexError(f"no follow-up {index}: the assessment follows up {len(self.answers.follow_up)} actions")
        if status is not None and status not in FOLLOW_UP_STATUSES:
            raise ValueError(f"'{status}' is not a follow-up status: one of {', '.join(FOLLOW_UP_STATUSES)}")
        old = self.answers.follow_up[index]
        new = replace(old, status=old.status if status is None else status, note=old.note if note is None else note)
        if (new.status, new.note) == (old.status, old.note):
            return False
        if new.note != old.note:
            self._fits(f"the note of follow-up {index + 1}", new.note, MAX_NOTE)
        new.at = now()
        self.answers.follow_up[index] = new

        def restore() -> None:
            self.answers.follow_up[index] = old

        self._save_header(restore)
        self.history.record(follow_up_change(index, old, new))
        return True

    def set_metadata(self, values: dict[str, str]) -> bool:
        """Set the assessment's details (title, mission, area, period, analyst, marking; a blank one leaves the
        file) and save; refused before anything changes: a read-only session (E319), no marking (E322), not a
        period (E323), a changed text longer than a file holds (E321). False when nothing changed (nor saved)."""
        self._writable()
        old = self.answers.metadata
        new = dict(old)
        for key in DETAILS:
            if key in values:
                text = values[key].strip()
                if text != old.get(key, ""):
                    self._fits(f"the {key}", text, MAX_METADATA[key])
                new[key] = text
        problems = metadata_problems(new, str(self.path))
        if problems:
            raise AssessError(problems)
        if {k: v for k, v in new.items() if v} == {k: v for k, v in old.items() if v}:
            return False
        self.answers.metadata = {k: v for k, v in new.items() if v or k not in DETAILS}
        self._save_header(lambda: setattr(self.answers, "metadata", old))
        details = [{k: m.get(k, "") for k in DETAILS} for m in (old, self.answers.metadata)]
        self.history.record(metadata_change(*details))
        return True

    def _save_header(self, restore: Callable[[], None]) -> None:
        """Save a changed header (the answers are written as last time); on failure restore() puts back what was."""
        assert self.store is not None  # _writable() refused otherwise
        try:
            self.store.save(self.answers, ())
        except AssessError:
            restore()
            raise

    def set_position(self, slot: Slot) -> None:
        """The planner is on this question: remembered outside the file (see _move)."""
        self._move(slot.key)

    def _move(self, key: str | None) -> None:
        """Where the planner is, kept in the user state folder as soon as it changes (remember_position)."""
        self._position = key
        if key != self._remembered:
            remember_position(self.path, key)
            self._remembered = key

    def position(self) -> Slot | None:
        """Where the planner was: the place remembered when a session on the file last closed, else the
        'position' an older assess wrote in the file."""
        key = self._position
        if not key:
            return None
        entity, _, qid = key.rpartition("/")
        slot = Slot(qid, entity or None)
        return slot if slot.key in {s.key for s in self.slots()} else None

    def name_taken(self, section: str, name: str, entity: str | None = None) -> str:
        """Why a block of section cannot take this name: another block (not entity) of the section has it, case and
        spaces aside; '' when it can. A file edited by hand to hold two such names still opens (nothing checks it)."""

        def key(text: str) -> str:
            return " ".join(text.split()).casefold()

        same = next((e for e in self.entities(section) if e.id != entity and key(e.name) == key(name)), None)
        if same is None or not key(name):
            return ""
        sec = self.fw.all_sections[section]
        label = sec.repeat.label if sec.repeat else "block"
        return f"There is already a {label} named '{same.name}' in the {sec.title}."

    def add_entity(self, section: str, name: str) -> Entity:
        """Add a block to a repeatable section (named after its label when name is blank), save and rescore;
        a name another block of the section has is refused (ValueError, see name_taken)."""
        self._writable()
        self._fits("the block's name", name.strip(), MAX_NAME)
        if taken := self.name_taken(section, name):
            raise ValueError(taken)
        rep = self.fw.all_sections[section].repeat
        assert rep is not None, f"'{section}' is not a repeatable section"
        listed = section in self.answers.entities
        blocks = self.answers.entities.setdefault(section, [])
        if rep.max is not None and len(blocks) >= rep.max:
            raise ValueError(f"at most {rep.max} {rep.label} blocks")
        e = Entity(uuid.uuid4().hex[:8], name.strip() or f"{rep.label.capitalize()} {len(blocks) + 1}")
        before = list(blocks)
        blocks.append(e)
        self._save()
        self.history.record(blocks_change("add", section, e.id, before, blocks, listed))
        self.rescore()
        return e

    def rename_entity(self, entity: str, name: str) -> None:
        """Give a block a new name (a blank name keeps the old one), save and rescore; a name another block of the
        section has is refused (ValueError, see name_taken)."""
        self._writable()
        e = self.block(entity)
        if name.strip() != e.name:
            self._fits("the block's name", name.strip(), MAX_NAME)
        section = self._section_of(entity) or ""  # block() found it: it sits in a section
        if taken := self.name_taken(section, name, entity):
            raise ValueError(taken)
        before = copy.deepcopy(self.entities(section))
        e.name = name.strip() or e.name
        self._save()
        if before != self.entities(section):
            self.history.record(blocks_change("rename", section, entity, before, self.entities(section)))
        self.rescore()

    def remove_entity(self, entity: str) -> None:
        """Remove a block with its answers, forget a place inside it, save and rescore."""
        self._writable()
        section = self._section_of(entity)
        before = list(self.entities(section)) if section else []
        for sec, blocks in self.answers.entities.items():
            self.answers.entities[sec] = [e for e in blocks if e.id != entity]
        if self.answers.position and self.answers.position.startswith(f"{entity}/"):
            self.answers.position = None
        if self._position and self._position.startswith(f"{entity}/"):
            self._move(None)
        self._save()
        if section:
            self.history.record(blocks_change("remove", section, entity, before, self.entities(section)))
        self.rescore()

    def _section_of(self, entity: str) -> str | None:
        return next((sec for sec, blocks in self.answers.entities.items() if any(e.id == entity for e in blocks)), None)

    # ------------------------------------------------------------------ undo
    def undo(self) -> Change | None:
        """Take back the last change of this session (an answer or its confirmation, a block added, renamed or removed,
        the details, a follow-up): the file holds again what it held before it; None when there is nothing to undo."""
        self._writable()
        change = self.history.to_undo()
        if change is not None:
            self._replay(change, back=True)
            self.history.undid()
        return change

    def redo(self) -> Change | None:
        """Make again the change last undone; None when there is none (a new change forgets what was undone)."""
        self._writable()
        change = self.history.to_redo()
        if change is not None:
            self._replay(change, back=False)
            self.history.redid()
        return change

    def _replay(self, change: Change, back: bool) -> None:
        """Put back one side of a change (copies: the history keeps its own), save and rescore."""
        if change.slot is not None:
            answers = self._answers_of(change.slot.entity)
            a = copy.deepcopy(change.before if back else change.after)
            order = change.order_before if back else change.order_after
            if a is None:
                answers.pop(change.slot.qid, None)
                self._save(change.slot)
            elif change.slot.qid in answers:
                answers[change.slot.qid] = a
                self._save(change.slot)
            else:  # an answer back in the file goes back to its place among the others: all are written again
                answers[change.slot.qid] = a
                ordered = {k: answers.pop(k) for k in order if k in answers}
                ordered.update(answers)  # any not in the recorded order (none, in a linear history) go last
                answers.clear()
                answers.update(ordered)
                self._save()
        elif change.kind == "metadata":  # the details as they were; the other keys (created, updated) stay
            old, side = self.answers.metadata, dict(change.metadata_before if back else change.metadata_after)
            kept = {k: v for k, v in old.items() if k not in DETAILS}
            self.answers.metadata = kept | {k: v for k, v in side.items() if v}
            self._save_header(lambda: setattr(self.answers, "metadata", old))
        elif change.kind == "follow_up":  # the action's status and note as they were, time stamp included
            assert change.index is not None  # a follow-up change names its action
            items, i = self.answers.follow_up, change.index
            item = change.follow_up_before if back else change.follow_up_after
            assert item is not None  # both sides of a follow-up change are recorded
            was, items[i] = items[i], copy.deepcopy(item)
            self._save_header(lambda: items.__setitem__(i, was))
        else:
            assert change.section is not None  # a block change names its section
            self.answers.entities[change.section] = list(
                copy.deepcopy(change.blocks_before if back else change.blocks_after)
            )
            if back and not change.listed_before:  # the first block's undone: the file lists no section again
                del self.answers.entities[change.section]
            self._save()
        self.rescore()


def _kept(a: Answer) -> bool:
    """Whether an answer holds anything to keep in the file."""
    return bool(a.is_answered or a.note or a.sources or a.confidence is not None)


def _held(a: Answer) -> dict:
    """What an answer holds, as the file writes it, but not when it was changed."""
    data = answer_data(a)
    data.pop("at", None)
    return data
