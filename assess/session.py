"""Provides an editing session over one answers file: change answers, save each change, rescore, navigate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from .answers import Store, check, load_answers, now
from .errors import AssessError, problem
from .model import Answer, Answers, Entity, Framework, Result, Source


@dataclass(frozen=True)
class Slot:
    """One place a planner answers: a question, inside an entity block or not."""

    qid: str
    """Question id."""
    entity: str | None = None
    """Entity id when the question sits in a repeatable section."""

    @property
    def key(self) -> str:
        return f"{self.entity}/{self.qid}" if self.entity else self.qid


LOCKED = ("E312", "E320")
"""Why a file cannot be opened for editing, while it can still be opened read-only."""


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
        self.result: Result = self.rescore()

    @classmethod
    def open(cls, path: str | Path, framework: str | None = None, read_only: bool = False) -> Session:
        """Open an answers file for editing (or only to look at it); raise AssessError with the same messages
        as the command line."""
        from .cli import framework_for
        from .loader import load_framework

        answers, located = load_answers(path)
        fw, _ = load_framework(framework_for(answers, Path(path), framework))
        errors = [p for p in check(fw, answers, located) if not p.is_warning]
        if errors:
            raise AssessError(errors)
        return cls(fw, answers, Path(path), read_only=read_only)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # ------------------------------------------------------------------ reading
    def answer(self, slot: Slot) -> Answer | None:
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
        return [s for s in self.slots() if self.status(s) != "hidden"]

    def next_slot(self, slot: Slot | None, step: int = 1, unanswered: bool = False) -> Slot | None:
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
    def _save(self, changed: Slot | None = None, only_position: bool = False) -> None:
        """Save the answers; changed names the one answer that changed (the others are written as last time),
        only_position says none did; with neither, every answer is written afresh."""
        if self.store is None:
            if only_position:
                return  # looking around a file opened read-only moves nothing in it
            self._writable()
        if only_position:
            self.store.save(self.answers, ())
        elif changed is not None:
            self.store.save(self.answers, ((changed.entity, changed.qid),))
        else:
            self.store.save(self.answers)

    def _writable(self) -> None:
        """Refuse a change in a read-only session, before anything is changed (E319)."""
        if self.read_only:
            raise AssessError([problem(str(self.path), None, "E319")])

    def rescore(self) -> Result:
        from .scoring import score

        self.result = score(self.fw, self.answers)
        self._status = {(f"{q.entity}/{q.id}" if q.entity else q.id): q.status for q in self.result.questions}
        return self.result

    def update(self, slot: Slot, rescore: bool = True, **fields) -> Answer:
        """Set fields of an answer (value, na, confidence, note, sources), stamp it, save, and rescore
        (the app defers rescoring by passing rescore=False and calling rescore() a moment later)."""
        self._writable()
        answers = self._answers_of(slot.entity)
        a = answers.get(slot.qid) or Answer()
        for k, v in fields.items():
            setattr(a, k, v)
        if fields.get("na"):
            a.value = None
        a.at = now()
        if a.is_answered or a.note or a.sources or a.confidence is not None:
            answers[slot.qid] = a
        else:
            answers.pop(slot.qid, None)
        self.answers.position = slot.key
        self._save(slot)
        if rescore:
            self.rescore()
        return a

    def add_source(self, slot: Slot, ref: str, reliability: str | None, credibility: str | None) -> None:
        a = self.answer(slot)
        sources = list(a.sources) if a else []
        sources.append(Source(ref, reliability, credibility))
        self.update(slot, sources=sources)

    def remove_source(self, slot: Slot, index: int) -> None:
        a = self.answer(slot)
        if a and 0 <= index < len(a.sources):
            self.update(slot, sources=[s for i, s in enumerate(a.sources) if i != index])

    def set_position(self, slot: Slot) -> None:
        if self.answers.position != slot.key:
            self.answers.position = slot.key
            self._save(only_position=True)

    def position(self) -> Slot | None:
        key = self.answers.position
        if not key:
            return None
        entity, _, qid = key.rpartition("/")
        slot = Slot(qid, entity or None)
        return slot if slot.key in {s.key for s in self.slots()} else None

    def add_entity(self, section: str, name: str) -> Entity:
        self._writable()
        rep = self.fw.all_sections[section].repeat
        blocks = self.answers.entities.setdefault(section, [])
        if rep.max is not None and len(blocks) >= rep.max:
            raise ValueError(f"at most {rep.max} {rep.label} blocks")
        e = Entity(uuid.uuid4().hex[:8], name.strip() or f"{rep.label.capitalize()} {len(blocks) + 1}")
        blocks.append(e)
        self._save()
        self.rescore()
        return e

    def rename_entity(self, entity: str, name: str) -> None:
        self._writable()
        e = self.block(entity)
        e.name = name.strip() or e.name
        self._save()
        self.rescore()

    def remove_entity(self, entity: str) -> None:
        self._writable()
        for sec, blocks in self.answers.entities.items():
            self.answers.entities[sec] = [e for e in blocks if e.id != entity]
        if self.answers.position and self.answers.position.startswith(f"{entity}/"):
            self.answers.position = None
        self._save()
        self.rescore()
