"""Provides the model of a framework's declared migrations: how answers made on one version move to the next."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

MoveKind = Literal["renamed", "split", "merged", "remapped"]
"""How a question's answer is made from the previous version's: renamed (or moved), split, merged, or the same
id with its values remapped."""

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")


@dataclass(frozen=True, slots=True)
class ValueMap:
    """One value remapped from the previous version to this one."""

    old: str | int | Fraction
    """The value in the version migrated from."""
    new: str | int | Fraction
    """The value in the version migrated to."""


@dataclass(frozen=True, slots=True)
class QuestionMove:
    """How one question's answer is made from the previous version's answers."""

    id: str
    """The question's id in the version migrated to."""
    kind: MoveKind
    """renamed (renamed_from), split (split_from), merged (merged_from), or remapped (the same id, values only)."""
    sources: tuple[str, ...]
    """The ids in the version migrated from that the answer comes from (one, except for a merge)."""
    values: tuple[ValueMap, ...] = ()
    """Values remapped, old to new; a value not listed is kept as it is."""
    take: str | None = None
    """Which answer a merge keeps where its sources' answers differ (the schema's words: highest or lowest score, or
    first answered); None: such a merge is refused as ambiguous."""
    path: tuple[str | int, ...] = ()
    """Where the declaration is in the framework data, for messages."""

    def value(self, old: object, scale: tuple[ValueMap, ...] = ()) -> object:
        """The new value of an old one: mapped where a pair names it, else where a pair of its scale's map does
        (scale: the `scales` pairs of the scale the question uses), else itself (a list item by item, each value
        once: two old options mapped to one new one are chosen once)."""
        return map_value(self.values + scale, old)


def map_value(pairs: tuple[ValueMap, ...], old: object) -> object:
    """The new value of an old one by pairs, the first naming it winning; a list item by item, each value once."""
    if isinstance(old, list):
        out: list[object] = []
        for v in old:
            new = map_value(pairs, v)
            if new not in out:
                out.append(new)
        return out
    for vm in pairs:
        if vm.old == old and not isinstance(old, bool):
            return vm.new
    return old


@dataclass(frozen=True, slots=True)
class ScaleMove:
    """A scale's option values remapped once, for every question using it (a question's own pair wins)."""

    id: str
    """The scale's id in the version migrated to."""
    values: tuple[ValueMap, ...]
    """Values remapped, old to new."""
    path: tuple[str | int, ...] = ()
    """Where the declaration is in the framework data."""


@dataclass(frozen=True, slots=True)
class SectionMove:
    """A repeatable section renamed: its blocks move under the new id, with their ids."""

    id: str
    """The section's id in the version migrated to."""
    renamed_from: str
    """Its id in the version migrated from."""
    path: tuple[str | int, ...] = ()
    """Where the declaration is in the framework data."""


@dataclass(frozen=True, slots=True)
class Removal:
    """A question dropped on purpose: its answers are kept aside with the reason."""

    id: str
    """The question's id in the version migrated from."""
    reason: str
    """Why it was dropped."""
    path: tuple[str | int, ...] = ()
    """Where the declaration is in the framework data."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One declared step, from one version of a framework to the next."""

    from_version: str
    """The version answers are migrated from."""
    to_version: str
    """The version they are migrated to."""
    questions: tuple[QuestionMove, ...] = ()
    """How each declared question's answer is made, in the order declared."""
    sections: tuple[SectionMove, ...] = ()
    """Repeatable sections renamed."""
    removed: tuple[Removal, ...] = ()
    """Questions dropped on purpose."""
    note: str = ""
    """Why the step was made."""
    path: tuple[str | int, ...] = ()
    """Where the entry is in the framework data."""
    scales: tuple[ScaleMove, ...] = ()
    """Scales whose option values are remapped for every question using them."""

    @property
    def step(self) -> str:
        """The step as people read it: '1.1.0 → 2.0.0'."""
        return f"{self.from_version} → {self.to_version}"

    def claimed(self) -> set[str]:
        """Every old id the step names: the sources of its questions, and the questions it removes."""
        return {s for m in self.questions for s in m.sources} | {r.id for r in self.removed}

    def staying(self, questions: Collection[str]) -> set[str]:
        """The old ids a declaration names that stay questions of their own (in `questions`, the ids of the version
        migrated to), neither removed nor made into another question by this step: their answers are copied."""
        targets = {q.id for q in self.questions} | {r.id for r in self.removed}
        return {s for q in self.questions if q.kind != "remapped" for s in q.sources if s in questions} - targets

    def scale_values(self, scale: str | None) -> tuple[ValueMap, ...]:
        """The value pairs this step declares for a scale (none when it declares none, or for None)."""
        return next((s.values for s in self.scales if s.id == scale), ())


def version_key(version: str) -> tuple[int, int, int, int, str]:
    """A semantic version as a key that sorts it: MAJOR.MINOR.PATCH, a pre-release (1.0.0-rc1) before its release."""
    m = _SEMVER.match(version.strip())
    if m is None:
        return (0, 0, 0, 0, version)
    pre = m.group(4)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1, pre or "")


def first_step(migrations: tuple[Migration, ...], version: str) -> int | None:
    """Where answers made on version start along the steps (oldest first): the index of the first step they need;
    len(migrations) when they need none (on or after the last step's `to`: later releases moved no answer); None
    when no step takes them (before the first step's `from`). A release between two steps (a patch after one
    step's `to`, before the next step's `from`) starts at the next step, as its step's `to` would."""
    key = version_key(version)
    for i, m in enumerate(migrations):
        if key < version_key(m.to_version):
            lower = migrations[i - 1].to_version if i else m.from_version
            return i if key >= version_key(lower) else None
    return len(migrations)
