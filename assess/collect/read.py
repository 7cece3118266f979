"""Provides the reading of one file for collect, touching nothing but the file: a report's payload read and
verified (assess.collect.verify), an answers file checked and scored with its framework, or a framework file
read; what to store of it (ToStore), or what became of it (Outcome: unchanged, or rejected and why). Every
file's SHA-256 is taken as it is read, and a report's signature is judged with the keys trusted
(assess.collect.trust).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..answers import check, from_located
from ..errors import AssessError, Problem, problem
from ..i18n import domain
from ..loader import build
from ..paths import releases
from ..pipeline import pinned_framework
from ..report.payload import PayloadRefused, canonical, file_kind, load_signed_payload, make_payload
from ..scoring import score
from ..yamlsafe import Located, load_file
from . import verify
from .archive import Changed, digest, identity
from .discover import REPORT_SUFFIXES, YAML_SUFFIXES
from .frameworks import (
    BUNDLED,
    FrameworkFiles,
    framework_info,
    payload_framework_info,
    report_candidates,
)
from .languages import speaking
from .refusals import REASON_OF, Rejected, first_problem, head, located, payload_refusal, what_it_is
from .rows import FrameworkInfo, Revision, nul_field, recorded_language, revision
from .rows import identity as assessment_identity
from .trust import Trust

_, ngettext, _pgettext = domain("hq")

STATUSES = ("collected", "superseded", "history", "unchanged", "framework", "rejected")
"""What can become of a file."""


@dataclass(frozen=True)
class Outcome:
    """What became of one file."""

    path: str
    """The file, as found."""
    status: str
    """One of STATUSES."""
    assessment: str = ""
    """The assessment's id, when the file held one."""
    reason: str = ""
    """For a rejected file, a key of assess.collect.refusals.REASONS."""
    problem: Problem | None = None
    """For a rejected file, the message to show; for a stored one, a warning about it."""
    signed_by: str | None = None
    """For a file stored or unchanged: the fingerprint of the trusted key that signed it (None: unsigned)."""
    file_sha256: str = ""
    """For a file stored or unchanged: the SHA-256 of its bytes (as the archive names it)."""

    @classmethod
    def rejected(cls, path: str, prob: Problem, assessment: str = "") -> Outcome:
        """A rejected file, its reason that of the problem's code."""
        return cls(path, "rejected", assessment, REASON_OF[prob.code], prob)


@dataclass
class ToStore:
    """What reading a file gives to store: a revision (with its framework, the first time), or a framework
    file's questions alone (revision None). Reading never touches the store; writing is one transaction."""

    name: str
    """The file, as found."""
    revision: Revision | None
    """The revision to store; None for a framework file."""
    framework: FrameworkInfo | None
    """The framework version's questions, when the store does not hold them yet."""


@dataclass
class Held:
    """What the store holds, as far as this collect knows: read when it begins, added to as it writes (a
    forked reader keeps what it inherited; the store itself finds a revision stored meanwhile unchanged)."""

    revisions: set[str]
    """The payload SHA-256s of every revision held (but those the store lacks a part of: collected, it is added)."""
    frameworks: dict[str, bool]
    """Framework hash -> whether its questions were read from the framework file (not from a report)."""
    signed: set[str] = field(default_factory=set)
    """The revisions held that a trusted key signed: a signed copy of another is read whole and stored, signing it."""


class Reader:
    """Reads files for one collect: each file alone, touching nothing but the file and the frameworks."""

    def __init__(self, held: Held, bundled: Path = BUNDLED, trust: Trust | None = None):
        self.held = held
        """What the store holds: a revision held is unchanged, a framework held is not stored again."""
        self.bundled = bundled
        """The bundled frameworks' folder."""
        self.trust = trust or Trust()
        """The keys trusted, to judge a report's signature (read from the store before readers fork)."""
        self.frameworks = FrameworkFiles()
        """The framework files read so far."""

    def read(self, file: tuple[Path, bool]) -> tuple[Outcome | ToStore, list[Problem]]:
        """Read one (path, named explicitly): what to store, or what became of it; and its warnings."""
        path, _named = file
        warnings: list[Problem] = []
        kind = file_kind(path)  # a pipe would block reading, a device never end: neither is opened
        if kind:
            return Outcome.rejected(str(path), problem(str(path), None, "E522", kind=kind)), []
        before: tuple[int, ...] | None
        try:
            sha256, before = digest(path)  # the bytes the store records, and the archive keeps
        except Changed:
            return Outcome.rejected(str(path), problem(str(path), None, "E559")), []
        except OSError:  # missing or unreadable: reading it says why
            sha256, before = "", None
        try:
            got = self._one(path, warnings)
        except Rejected as exc:
            return Outcome.rejected(str(path), exc.problem), warnings
        if isinstance(got, ToStore):
            where = nul_field(got.revision, got.framework)
            if where:
                return Outcome.rejected(str(path), problem(str(path), None, "E530", field=where)), warnings
        if got.revision is None if isinstance(got, ToStore) else got.status != "unchanged":
            return got, warnings  # a framework file: not archived
        try:
            changed = before is None or identity(os.stat(path)) != before
        except OSError:
            changed = True
        if changed:
            return Outcome.rejected(str(path), problem(str(path), None, "E559")), warnings
        if isinstance(got, Outcome):
            return dataclasses.replace(got, file_sha256=sha256), warnings
        assert got.revision is not None
        got.revision.file_sha256 = sha256
        return got, warnings

    def _one(self, path: Path, warnings: list[Problem]) -> Outcome | ToStore:
        suffix = path.suffix.lower()
        if suffix in YAML_SUFFIXES:
            return self.answers_file(path, warnings)
        if suffix not in REPORT_SUFFIXES:
            first = head(path)
            if not first.startswith(b"PK"):
                raise Rejected(problem(str(path), None, "E501", detail=what_it_is(path, first)))
        return self.report(path, warnings)

    # ------------------------------------------------------------------ reports

    def report(self, path: Path, warnings: list[Problem]) -> Outcome | ToStore:
        """A report: its payload read and verified, its result recomputed from its answers (raises Rejected)."""
        name = str(path)
        try:
            payload, digest, signature = load_signed_payload(path)
        except PayloadRefused as exc:
            raise Rejected(payload_refusal(path, exc)) from None
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise Rejected(problem(name, None, "E502", detail=f"{type(exc).__name__}: {exc}")) from None
        try:
            fw = payload["framework"]
            fid, fhash = fw["id"], fw["hash"]
            if not (isinstance(fid, str) and fid and isinstance(fhash, str) and fhash):
                raise TypeError
        except (KeyError, TypeError):
            detail = _("the payload names no framework, so 'assess report' did not make it")
            raise Rejected(problem(name, None, "E505", detail=detail)) from None
        if fhash in self.held.frameworks and digest in self.held.revisions:  # the common case of a report seen before
            aid, meta = assessment_identity(payload)
            signed_by, warning = self.trust.report(name, signature, meta.get("mission", ""))  # or raises Rejected
            if signed_by is None or digest in self.held.signed:  # else the signed copy of one held unsigned: stored
                warnings += [warning] if warning else []
                return Outcome(name, "unchanged", aid, signed_by=signed_by)
        wrong = verify.shape(payload)
        if wrong:
            raise Rejected(problem(name, None, "E516", detail=wrong))
        # judged before the result is recomputed: a report refused for its signature costs nothing more
        signed_by, warning = self.trust.report(name, signature, assessment_identity(payload)[1].get("mission", ""))
        candidates, names = report_candidates(payload, path, self.bundled)
        framework = self.frameworks.by_hash(candidates, fhash)
        described = f"{fid} {payload['framework']['version']}"
        if framework is None:
            tried = _(" or ").join(f"'{n}'" for n in names)
            raise Rejected(problem(name, None, "E518", framework=described, hash=fhash, names=tried))
        lang = recorded_language(payload) or framework.language  # the report's language (its gaps are worded in it)
        framework = self.frameworks.in_language(framework, lang)
        try:
            with speaking(lang):  # the report's texts and gaps recomputed in its own words
                recomputed = verify.recompute(payload, framework, name)
        except verify.Refusal as exc:
            raise Rejected(problem(name, None, exc.code, framework=described, detail=exc.detail)) from None
        found: list[Problem] = []
        try:
            own = revision(payload, digest, name, "report", [])
            rev = revision(recomputed, digest, name, "report", found)  # what is stored: the recomputed result
            rev.language = framework.language
            info = None if fhash in self.held.frameworks else payload_framework_info(recomputed)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            detail = (
                _("its result lacks {key}").format(key=exc)
                if isinstance(exc, KeyError)
                else _("its result is malformed ({reason})").format(reason=exc)
            )
            raise Rejected(problem(name, None, "E504", detail=detail)) from None
        material, wording = verify.difference(own, rev)
        if material:
            raise Rejected(problem(name, None, "E517", detail=material))
        warnings += found + ([problem(name, None, "W502", detail=wording)] if wording else [])
        warnings += [warning] if warning else []
        rev.signed_by = signed_by
        return ToStore(name, rev, info)

    # ------------------------------------------------------------------ answers and framework files

    def answers_file(self, path: Path, warnings: list[Problem]) -> Outcome | ToStore:
        """An answers file checked and scored with its framework, or a framework file (raises Rejected)."""
        name = str(path)
        try:
            located_data = load_file(path)
        except AssessError as exc:
            raise Rejected(problem(name, None, "E506", detail=first_problem(exc))) from None
        data = located_data.data
        if isinstance(data, dict) and "sections" in data and "metadata" not in data:
            return self.framework_file(path, located_data)
        try:
            answers, located_data = from_located(located_data)
        except AssessError as exc:
            detail = _("not an answers file: {problem}").format(problem=first_problem(exc))
            raise Rejected(problem(name, None, "E506", detail=detail)) from None
        self.trust.answers_file(name)  # refused under --require-signature: an answers file is never signed
        fw_path = pinned_framework(answers, path, self.bundled)
        if fw_path is None:
            known = ", ".join(sorted(p.stem for p in self.bundled.glob("*.yaml"))) or "none"
            detail = _(
                "'{framework}' is neither beside the answers nor bundled (bundled: {known}); put the framework file "
                "beside the answers and pin it with 'path'"
            ).format(framework=answers.framework.id, known=known)
            raise Rejected(problem(name, None, "E505", detail=detail))
        fw, error = self.frameworks.load(fw_path)
        pin = answers.framework
        if pin.hash and (fw is None or fw.hash != pin.hash):  # an earlier release assess ships, as for a report
            released = releases(pin.id, pin.version, self.bundled)
            earlier = self.frameworks.by_hash([*released, path.parent / f"{pin.id}-{pin.version}.yaml"], pin.hash)
            fw, error = (earlier, None) if earlier is not None else (fw, error)
        if fw is None:
            detail = _("the framework file {path} has problems: {problem}; run 'assess validate {path}'").format(
                path=fw_path, problem=first_problem(error)
            )
            raise Rejected(problem(name, None, "E505", detail=detail))
        problems = check(fw, answers, located_data)
        errors = [p for p in problems if not p.is_warning]
        if errors:
            more = (
                " "
                + ngettext("(and {count} more)", "(and {count} more)", len(errors) - 1).format(count=len(errors) - 1)
                if len(errors) > 1
                else ""
            )
            described = f"{fw.id} {fw.version}"
            raise Rejected(problem(name, None, "E507", framework=described, detail=located(errors[0]) + more))
        warnings += [p for p in problems if p.is_warning]
        lang = answers.language or fw.language  # the assessment's: its report's language, without a --lang
        fw = self.frameworks.in_language(fw, lang)  # its texts in the assessment's words
        with speaking(lang):
            payload = make_payload(score(fw, answers), lang)  # as 'assess report' makes it: the same revision
        digest = hashlib.sha256(canonical(payload)).hexdigest()
        if self.held.frameworks.get(fw.hash) and digest in self.held.revisions:
            return Outcome(name, "unchanged", assessment_identity(payload)[0])
        rev = revision(payload, digest, name, "answers", warnings)
        rev.language = fw.language
        info = None if self.held.frameworks.get(fw.hash) else framework_info(fw)
        return ToStore(name, rev, info)

    def framework_file(self, path: Path, located_data: Located) -> Outcome | ToStore:
        """A framework file: its questions, to compare versions (raises Rejected when it has problems)."""
        name = str(path)
        try:
            built, _warnings = build(located_data)
        except AssessError as exc:
            detail = _("this framework file has problems: {problem}; run 'assess validate {path}'").format(
                problem=first_problem(exc), path=name
            )
            raise Rejected(problem(name, None, "E505", detail=detail)) from None
        if self.held.frameworks.get(built.hash):
            return Outcome(name, "framework")
        return ToStore(name, None, framework_info(built))
