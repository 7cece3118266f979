"""Provides collect's trust decision: the missions' keys headquarters trusts (read once from the store, before the
readers fork) and, for each report, whether its signature makes it a signed revision, leaves it unsigned, or refuses
it. That a signature verifies is checked before (assess.report.payload.load_signed_payload); which key to believe
is decided here."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Problem, problem
from ..i18n import domain
from .comparison import mission_acronym, short_mission
from .refusals import Rejected
from .store import same_mission

if TYPE_CHECKING:
    from ..signing import Signature
    from .store import Store

_, ngettext, _pgettext = domain("hq")


@dataclass(frozen=True)
class TrustedKey:
    """A mission's public key headquarters trusts (a row of the store's mission_keys)."""

    fingerprint: str
    """SHA256:… of the public key."""
    mission: str
    """The mission the key is trusted for."""
    public_key: bytes
    """The 32 raw bytes of the Ed25519 public key."""
    revoked_at: str | None = None
    """When headquarters revoked it (None: it is not revoked)."""
    revoked_reason: str | None = None
    """Why, as given to 'assess key revoke'."""


@dataclass(frozen=True)
class Trust:
    """What one collect believes of signatures: the keys trusted, and whether a signature is required."""

    keys: dict[str, TrustedKey] = field(default_factory=dict)
    """Every key trusted (revoked ones too), by fingerprint."""
    require: bool = False
    """--require-signature: refuse what is not signed with a trusted key (unsigned reports, answers files)."""

    @classmethod
    def of(cls, store: Store, require: bool = False) -> Trust:
        """The keys the store trusts, read once (a key whose public key is not base64 of 32 bytes is left out:
        a report cannot be signed with it)."""
        keys = {}
        for row in store.keys():
            try:
                raw = base64.b64decode(row["public_key"], validate=True)
            except (binascii.Error, TypeError, ValueError):
                continue
            if len(raw) == 32:
                keys[row["fingerprint"]] = TrustedKey(
                    row["fingerprint"], row["mission"], raw, row.get("revoked_at"), row.get("revoked_reason")
                )
        return cls(keys, require)

    @property
    def in_use(self) -> bool:
        """Whether this desk uses signatures: the store trusts a key, or a signature is required."""
        return bool(self.keys) or self.require

    def report(self, name: str, signature: Signature | None, mission: str) -> tuple[str | None, Problem | None]:
        """A report's signature judged: (the fingerprint it is stored as signed by, or None for unsigned; a warning
        or None). Raises Rejected for a key trusted for another mission, a revoked key, and, under require, an
        unsigned report or one signed with a key not trusted. mission: the mission its assessment names."""
        if signature is None:
            if self.require:
                raise Rejected(problem(name, None, "E552", mission=mission))
            return None, problem(name, None, "W513", mission=mission) if self.keys else None
        key = self.keys.get(signature.fingerprint)
        if key is None or key.public_key != signature.public_key:
            fields = {"fingerprint": signature.fingerprint, "signer": signature.mission}
            if self.require:
                raise Rejected(problem(name, None, "E553", **fields))
            return None, problem(name, None, "W514", **fields)
        if key.revoked_at:
            reason = key.revoked_reason or _("no reason given")
            revoked = key.revoked_at[:10]
            fields = {"key_mission": key.mission, "fingerprint": key.fingerprint, "revoked": revoked, "reason": reason}
            raise Rejected(problem(name, None, "E551", **fields))
        for claimed in (signature.mission, mission):  # the mission it signed as, and the one its assessment names
            if not mission_matches(key.mission, claimed):
                fields = {"mission": claimed, "fingerprint": key.fingerprint, "key_mission": key.mission}
                raise Rejected(problem(name, None, "E550", **fields))
        return key.fingerprint, None

    def answers_file(self, name: str) -> None:
        """An answers file carries no signature: refused under require (raises Rejected), else accepted."""
        if self.require:
            raise Rejected(problem(name, None, "E554"))

    def conflict(self, name: str, assessment_id: str, fingerprint: str) -> Problem:
        """The refusal of an unsigned revision of an assessment held signed with the key of fingerprint."""
        key = self.keys.get(fingerprint)
        mission = key.mission if key else _("a mission")
        return problem(name, None, "E555", id=assessment_id, key_mission=mission, fingerprint=fingerprint)

    def mark(self, fingerprint: str | None) -> str:
        """How assess list marks a revision: 'signed MISSION · SHA256:abcdefghijkl' (', key revoked' when revoked
        since), or 'unsigned'."""
        if not fingerprint:
            return _("unsigned")
        key = self.keys.get(fingerprint)
        short = short_fingerprint(fingerprint)
        if key is None:  # a key no longer in the store (a copy of it without its keys)
            return _("signed · {fingerprint}").format(fingerprint=short)
        mark = _("signed {mission} · {fingerprint}").format(mission=short_mission(key.mission, 20), fingerprint=short)
        return mark + (", " + _("key revoked") if key.revoked_at else "")


def short_fingerprint(fingerprint: str) -> str:
    """A fingerprint's first characters, as a list shows it (12, as 'assess key revoke' needs): SHA256:q3Xk9a0BzT1c."""
    head, _sep, rest = fingerprint.partition(":")
    return f"{head}:{rest[:12]}" if rest else fingerprint[:19]


def mission_matches(key_mission: str, mission: str) -> bool:
    """Whether a key trusted for key_mission may sign for mission: only for the mission headquarters files the report
    under. A name is filed under the acronym list and compare show it as, the first it gives in brackets
    (comparison.mission_acronym), else under itself; the two must be the same but for case and spacing. So a key of
    'MINUSKES' signs for 'UN Stabilization Mission in Kessaria (MINUSKES)', and for that name itself; but never for
    another acronym a name lists: a key of MINUSEL may not sign for '… (MINUSKES, MINUSEL)', shown as MINUSKES's."""
    if not key_mission.strip() or not mission.strip():
        return False
    if same_mission(key_mission, mission):
        return True
    return same_mission(mission_acronym(key_mission) or key_mission, mission_acronym(mission) or mission)
