"""Provides what the store refuses to store, and why: a revision naming another mission than its assessment's
(MissionConflict), an unsigned revision of an assessment held signed (SignatureConflict); same_mission."""

from __future__ import annotations


class MissionConflict(Exception):
    """A revision names another mission than the one its assessment id belongs to in the store: not stored."""

    def __init__(self, assessment_id: str, held: str, found: str):
        super().__init__(f"assessment {assessment_id} belongs to {held!r}, not {found!r}")
        self.assessment_id = assessment_id
        self.held = held
        self.found = found


class SignatureConflict(Exception):
    """An unsigned revision (or one signed by a key headquarters does not trust) of an assessment whose revisions
    held were signed by its mission's key: not stored, so that a forged report cannot supersede a signed one."""

    def __init__(self, assessment_id: str, fingerprint: str):
        super().__init__(f"assessment {assessment_id} is signed by key {fingerprint}; this revision is not")
        self.assessment_id = assessment_id
        self.fingerprint = fingerprint


def same_mission(a: str, b: str) -> bool:
    """Whether two mission names are the same mission: equal but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
