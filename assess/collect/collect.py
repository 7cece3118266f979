"""Provides collection: many reports (.docx) and answers files (.yaml), and folders of them, into one store.

The journey of a file: found (assess.collect.discover), read and verified (assess.collect.read: a report's
payload read by assess.report.payload and its result recomputed from its answers by assess.collect.verify; an
answers file checked and scored with its framework, as 'assess report' would) into the records the store
keeps (assess.collect.rows), then written here. Many files are read by forked reader processes
(assess.collect.readers) while this one alone writes the store. A revision supersedes only one of the same
mission. Every file is stored in its own transaction, so one bad file never stops the rest and a collect
killed at any moment leaves the store consistent; running it again completes the work, and collecting the
same report twice changes nothing. A report's signature is judged with the keys the store trusts, read once
when the collect begins (assess.collect.trust); each file stored can be kept, byte for byte, in a content-addressed
archive (assess.collect.archive), copied there before its revision is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..answers import now
from ..errors import Problem, problem
from ..i18n import domain
from .archive import Archive, Changed
from .discover import expand
from .frameworks import BUNDLED, framework_info
from .read import STATUSES, Held, Outcome, Reader, ToStore
from .readers import Readers, default_jobs
from .store import MissionConflict, SignatureConflict, Store
from .trust import Trust

__all__ = [
    "BUNDLED",
    "STATUSES",
    "CollectResult",
    "Outcome",
    "Progress",
    "collect",
    "default_jobs",
]

_, _ngettext, _pgettext = domain("hq")

Progress = Callable[[int, int, str], None]
"""Called after each file with (files done, files in all, the file's path)."""


@dataclass
class CollectResult:
    """What a collect did, file by file."""

    store: str
    """The store written to."""
    outcomes: list[Outcome] = field(default_factory=list)
    """One per file, in the order collected."""
    ignored: int = 0
    """Files in the folders given that are neither .docx nor .yaml (not collected, not rejected)."""
    warnings: list[Problem] = field(default_factory=list)
    """Problems that did not stop a file: version mismatches, missing ids."""
    readers: int = 0
    """How many reader processes read files (0: every file was read in the collecting process)."""
    signatures: bool = False
    """Whether signatures are in use (the store trusts a key, or one is required): the summary counts them."""
    archive: Archive | None = None
    """The archive the files were kept in, with how many were new to it."""

    def count(self, status: str) -> int:
        """How many files ended with this status (one of STATUSES)."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def collected(self) -> int:
        """Files stored as a new assessment."""
        return self.count("collected")

    @property
    def unchanged(self) -> int:
        """Files whose revision the store held already."""
        return self.count("unchanged")

    @property
    def superseded(self) -> int:
        """Files stored as a newer revision of an assessment held."""
        return self.count("superseded")

    @property
    def history(self) -> int:
        """Files stored as an older revision of an assessment held."""
        return self.count("history")

    @property
    def signed(self) -> int:
        """Files stored or unchanged whose signature by a trusted key was accepted."""
        return sum(1 for o in self.outcomes if o.status in _ACCEPTED and o.signed_by)

    @property
    def unsigned(self) -> int:
        """Files stored or unchanged without a trusted signature (answers files, unsigned reports)."""
        return sum(1 for o in self.outcomes if o.status in _ACCEPTED and not o.signed_by)

    @property
    def rejected(self) -> list[Outcome]:
        """The files refused, each with its reason."""
        return [o for o in self.outcomes if o.status == "rejected"]

    def summary(self) -> str:
        """One line: collected, unchanged, superseded, rejected (and the rest when there are any; then, when
        signatures are in use, how many of the files taken were signed)."""
        parts = [
            _("collected {count}").format(count=self.collected),
            _("unchanged {count}").format(count=self.unchanged),
            _("superseded {count}").format(count=self.superseded),
        ]
        if self.history:
            parts.append(_("older revisions kept as history {count}").format(count=self.history))
        if self.count("framework"):
            parts.append(_("frameworks read {count}").format(count=self.count("framework")))
        parts.append(_("rejected {count}").format(count=len(self.rejected)))
        if self.ignored:
            parts.append(_("other files ignored {count}").format(count=self.ignored))
        line = ", ".join(parts)
        if self.signatures:
            line += "; " + _("signed {signed}, unsigned {unsigned}").format(signed=self.signed, unsigned=self.unsigned)
        return line


_ACCEPTED = ("collected", "superseded", "history", "unchanged")
"""The statuses of a file taken: stored, or held already."""


def collect(
    paths: Iterable[str | Path],
    store: Store,
    progress: Progress | None = None,
    bundled: Path = BUNDLED,
    jobs: int | None = None,
    require_signature: bool = False,
    archive: Archive | None = None,
) -> CollectResult:
    """Collect reports and answers files (and folders of them, recursively) into store.

    Never raises for a bad file: each is rejected with its reason and the rest go on. Raises StoreError
    only when the store itself cannot be written (then every file after it would fail too), and AssessError
    (E558) when the archive cannot be.

    jobs: how many processes read and verify files while this one writes the store; None picks one per
    CPU (up to 4), 0 or 1 reads in this process. Below readers.PARALLEL_MIN files everything runs here.
    require_signature: refuse every file not signed with a key the store trusts (answers files too).
    archive: keep each file taken (stored or unchanged) in it, copied before its revision is stored
    (Archive.open() it first)."""
    collector = _Collector(store, bundled, Trust.of(store, require_signature), archive)
    return collector.run(paths, progress, default_jobs() if jobs is None else jobs)


class _Collector:
    """One collect: files read (by readers, or here) and written to the store here, in order."""

    def __init__(self, store: Store, bundled: Path, trust: Trust | None = None, archive: Archive | None = None):
        self.store = store
        self.bundled = bundled
        self.trust = trust or Trust()  # read before the readers fork: they judge signatures with it
        self.archive = archive
        known, held = store.frameworks_known(), store.revisions()
        frameworks = {h: from_file for h, (_fid, from_file) in known.items()}
        self.held = Held(set(held), frameworks, {r for r, signed in held.items() if signed})
        self.versions: dict[str, set[str]] = {}  # framework id -> the hashes (versions) the store holds
        for h, (fid, _from_file) in known.items():
            self.versions.setdefault(fid, set()).add(h)
        self.reader = Reader(self.held, bundled, self.trust)
        self.started = now()  # collected_at of every revision this run stores

    def run(self, paths: Iterable[str | Path], progress: Progress | None, jobs: int = 1) -> CollectResult:
        files, missing, ignored = expand(paths)
        result = CollectResult(
            str(self.store.path), ignored=ignored, signatures=self.trust.in_use, archive=self.archive
        )
        for p in missing:
            result.outcomes.append(Outcome.rejected(str(p), problem(str(p), None, "E508")))
        total = len(files)
        readers = Readers(self.reader.read, jobs)
        for done, ((path, _named), (item, warnings)) in enumerate(zip(files, readers.run(files), strict=True), 1):
            outcome = self.kept(item, result) if isinstance(item, Outcome) else self.write(item, result)
            if outcome.status == "unchanged" and not isinstance(item, Outcome):
                # read as new by a reader that had not seen the copy stored meanwhile: say what reading it
                # here would have said, without the made-up id's warning (W501) of a revision not stored
                warnings = [w for w in warnings if w.code != "W501"]
            if outcome.status == "rejected":  # a file refused (when read or stored) is told why alone: its warnings
                warnings = []  # speak of a file taken (W513: 'it was collected')
            result.warnings += warnings
            if outcome.problem is not None and outcome.problem.is_warning:
                result.warnings.append(outcome.problem)
            result.outcomes.append(outcome)
            if progress:
                progress(done, total, str(path))
        result.readers = readers.used
        return result

    def kept(self, outcome: Outcome, result: CollectResult) -> Outcome:
        """A file read as unchanged is archived too (it may have been collected before without --archive)."""
        if outcome.status == "unchanged" and not self.archived(outcome.path, outcome.file_sha256, result):
            return Outcome.rejected(outcome.path, problem(outcome.path, None, "E559"), outcome.assessment)
        return outcome

    def archived(self, name: str, sha256: str | None, result: CollectResult) -> bool:
        """Keep the file in the archive (when there is one); False when it changed since it was read."""
        if self.archive is None:
            return True
        try:
            _path, warning = self.archive.put(name, sha256 or "")  # an AssessError (E558) stops the collect
        except Changed:
            return False
        if warning:
            result.warnings.append(warning)
        return True

    def write(self, item: ToStore, result: CollectResult) -> Outcome:
        """Store what was read: each file in its own transaction, archived first (when there is an archive)."""
        info = item.framework
        if item.revision is None:
            assert info is not None, "a framework file's ToStore always carries its questions"
            self.store.put_framework(info)
            self.noted(info.id, info.hash, True)
            return Outcome(item.name, "framework")
        rev = item.revision
        if not self.archived(item.name, rev.file_sha256, result):
            return Outcome.rejected(item.name, problem(item.name, None, "E559"), rev.assessment_id)
        try:
            status = self.store.add(rev, self.started, info)  # a StoreError stops the collect: every next would fail
        except MissionConflict as exc:
            fields = {"id": exc.assessment_id, "held": exc.held, "found": exc.found}
            return Outcome.rejected(item.name, problem(item.name, None, "E523", **fields), rev.assessment_id)
        except SignatureConflict as exc:
            prob = self.trust.conflict(item.name, exc.assessment_id, exc.fingerprint)
            return Outcome.rejected(item.name, prob, rev.assessment_id)
        self.held.revisions.add(rev.revision)
        if rev.signed_by:  # signed now, if it was held unsigned
            self.held.signed.add(rev.revision)
        self.noted(rev.framework_id, rev.framework_hash, bool(info and info.from_file))
        warning = None
        if status == "tie":
            status, warning = "history", problem(item.name, None, "W503", id=rev.assessment_id, updated=rev.updated)
        sha256 = rev.file_sha256 or ""
        return Outcome(
            item.name, status, rev.assessment_id, problem=warning, signed_by=rev.signed_by, file_sha256=sha256
        )

    def noted(self, fid: str, fhash: str, from_file: bool) -> None:
        """Remember a framework version the store now holds. Options matter only to compare versions, so
        a report's framework file is read (the bundled one, if its hash matches) only once the store holds
        two versions of the framework; until then the questions come from the reports themselves."""
        known = self.held.frameworks
        known[fhash] = known.get(fhash, False) or from_file
        hashes = self.versions.setdefault(fid, set())
        hashes.add(fhash)
        if len(hashes) > 1:
            candidate = self.bundled / f"{fid}.yaml"
            fw = self.reader.frameworks.load(candidate)[0] if candidate.is_file() else None
            if fw is not None and fw.hash in hashes and not known.get(fw.hash):
                self.store.put_framework(framework_info(fw))
                known[fw.hash] = True
