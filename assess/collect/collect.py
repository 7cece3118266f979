"""Provides collection: many reports (.docx) and answers files (.yaml), and folders of them, into one store.

Each report's payload is read and its hash verified (assess.report.payload.load_payload: regular files only,
zip parts unpacked within bounds), then its shape is checked and its result recomputed from its answers with
the framework (assess.collect.verify): the recomputed result is stored. Each answers file is checked and
scored with its framework, as 'assess report' would. A revision supersedes only one of the same mission.
Every file is stored in its own transaction, so one bad file never stops the rest and a collect killed at
any moment leaves the store consistent; running it again completes the work, and collecting the same report
twice changes nothing. Many files are read by forked reader processes while this one alone writes the store.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import signal
import sys
import threading
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..answers import check, from_located, now
from ..errors import AssessError, Problem, problem
from ..model import Framework
from ..paths import FRAMEWORKS
from ..report.payload import PayloadRefused, canonical, file_kind, load_payload, make_payload
from ..yamlsafe import load_file
from . import verify
from .periods import period_range
from .store import FrameworkInfo, MissionConflict, Revision, Store

BUNDLED = FRAMEWORKS
REPORT_SUFFIXES = (".docx",)
YAML_SUFFIXES = (".yaml", ".yml")
STATUSES = ("collected", "superseded", "history", "unchanged", "framework", "rejected")
REASONS = {
    "missing": "no such file or folder",
    "not-docx": "not a .docx",
    "corrupt-zip": "corrupt or truncated zip",
    "no-payload": "no payload",
    "payload-altered": "payload altered",
    "unsupported-payload": "unsupported payload",
    "unknown-framework": "unknown framework",
    "unreadable-yaml": "unreadable YAML",
    "invalid-answers": "answers do not fit their framework",
    "malformed-payload": "payload not in the documented shape",
    "result-mismatch": "result does not follow from the answers",
    "framework-not-at-hand": "framework not at hand to recompute the result",
    "too-large": "too large to read",
    "ambiguous": "two parts of one name, or two payloads",
    "not-a-file": "not a regular file",
    "other-mission": "assessment id of another mission",
}
"""Why a file is rejected, by key, in words."""

Progress = Callable[[int, int, str], None]
"""Called after each file with (files done, files in all, the file's path)."""


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
    """For a rejected file, a key of REASONS."""
    problem: Problem | None = None
    """For a rejected file, the message to show; for a stored one, a warning about it."""


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

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def collected(self) -> int:
        return self.count("collected")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def superseded(self) -> int:
        return self.count("superseded")

    @property
    def history(self) -> int:
        return self.count("history")

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "rejected"]

    def summary(self) -> str:
        """One line: collected, unchanged, superseded, rejected (and the rest when there are any)."""
        parts = [f"collected {self.collected}", f"unchanged {self.unchanged}", f"superseded {self.superseded}"]
        if self.history:
            parts.append(f"older revisions kept as history {self.history}")
        if self.count("framework"):
            parts.append(f"frameworks read {self.count('framework')}")
        parts.append(f"rejected {len(self.rejected)}")
        if self.ignored:
            parts.append(f"other files ignored {self.ignored}")
        return ", ".join(parts)


@dataclass
class _Write:
    """What reading a file gives to store: a revision (with its framework, the first time), or a framework
    file's questions alone (revision None). Reading never touches the store; writing is one transaction."""

    name: str
    revision: Revision | None
    framework: FrameworkInfo | None


class _Reject(Exception):
    def __init__(self, reason: str, prob: Problem):
        super().__init__(prob.message)
        self.reason = reason
        self.problem = prob


def collect(
    paths: Iterable[str | Path],
    store: Store,
    progress: Progress | None = None,
    bundled: Path = BUNDLED,
    jobs: int | None = None,
) -> CollectResult:
    """Collect reports and answers files (and folders of them, recursively) into store.

    Never raises for a bad file: each is rejected with its reason and the rest go on. Raises StoreError
    only when the store itself cannot be written (then every file after it would fail too).

    jobs: how many processes read and verify files while this one writes the store; None picks one per
    CPU (up to 4), 0 or 1 reads in this process. Below PARALLEL_MIN files everything runs here."""
    return _Collector(store, bundled).run(paths, progress, default_jobs() if jobs is None else jobs)


PARALLEL_MIN = 16
"""Fewer files than this are read in the collecting process: starting readers would cost more."""
_CHUNK = 4  # files per task sent to a reader
_AHEAD = 3  # tasks in flight per reader: enough to keep them busy, little held in memory


def default_jobs() -> int:
    """One reader per CPU this process may use, at most 4 (the single writer is the limit beyond that)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def _can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


# ---------------------------------------------------------------------------- reader processes

_READER: _Collector | None = None  # set in the collecting process just before it forks its readers


def _reader_start(parent: int) -> None:
    """In a reader: leave ctrl+c to the collecting process, and exit if it dies (a SIGKILL leaves no
    reader behind waiting for work that will never come)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="assess-parent-watch", daemon=True).start()


def _read_chunk(files: list[tuple[Path, bool]]) -> list[tuple[Outcome | _Write, list[Problem]]]:
    assert _READER is not None
    return [_READER.read(f) for f in files]


# ---------------------------------------------------------------------------- finding the files


def expand(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, bool]], list[Path], int]:
    """The files to collect as (path, named explicitly), the paths that do not exist, and how many other
    files the folders hold. Folders are walked recursively, in name order; hidden files, Word's lock
    files (~$name.docx) and files other than .docx, .yaml and .yml inside folders are left out, but not
    what is not a regular file (a pipe, a device, a socket): read() refuses it, never opening it."""
    files: list[tuple[Path, bool]] = []
    missing: list[Path] = []
    ignored = 0
    seen: set[str] = set()

    def add(p: Path, explicit: bool, real_folder: str | None = None):
        # a file reached twice (named, and inside a folder named too; or through a link) is collected once
        key = os.path.join(real_folder, p.name) if real_folder else os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            files.append((p, explicit))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                real = os.path.realpath(folder)  # once per folder, not once per file
                for name in sorted(names):
                    if name.startswith((".", "~$")):
                        continue
                    full = os.path.join(folder, name)
                    if name.lower().endswith(REPORT_SUFFIXES + YAML_SUFFIXES) or file_kind(full):
                        add(Path(full), False, None if os.path.islink(full) else real)  # read() refuses a pipe
                    else:
                        ignored += 1
        elif p.is_file() or os.path.exists(p):
            add(p, True)  # a pipe or a device is refused by read(), without being opened
        else:
            missing.append(p)
    return files, missing, ignored


# ---------------------------------------------------------------------------- the collector


class _Collector:
    def __init__(self, store: Store, bundled: Path):
        self.store = store
        self.bundled = bundled
        known = store.frameworks_known()
        self.known = {h: from_file for h, (_, from_file) in known.items()}  # hash -> questions from the file
        self.ids: dict[str, set[str]] = {}  # framework id -> the hashes (versions) the store holds
        for h, (fid, _) in known.items():
            self.ids.setdefault(fid, set()).add(h)
        self.held = store.revisions()
        self.started = now()  # collected_at of every revision this run stores
        self.fw_cache: dict[str, tuple[tuple[int, int], Framework | None, list[Problem], AssessError | None]] = {}
        self.by_hash: dict[str, Framework] = {}

    def run(self, paths, progress: Progress | None, jobs: int = 1) -> CollectResult:
        files, missing, ignored = expand(paths)
        result = CollectResult(str(self.store.path), ignored=ignored)
        for p in missing:
            result.outcomes.append(Outcome(str(p), "rejected", reason="missing", problem=problem(str(p), None, "E508")))
        total = len(files)
        parallel = jobs > 1 and total >= PARALLEL_MIN and _can_fork()
        read = self.read_parallel(files, jobs) if parallel else (self.read(f) for f in files)
        for done, ((path, _), (item, warnings)) in enumerate(zip(files, read, strict=True), 1):
            outcome = item if isinstance(item, Outcome) else self.write(item)
            if outcome.status == "unchanged" and not isinstance(item, Outcome):
                # read as new by a reader that had not seen the copy stored meanwhile: say what reading it
                # here would have said, without the made-up id's warning (W501) of a revision not stored
                warnings = [w for w in warnings if w.code != "W501"]
            result.warnings += warnings
            if outcome.problem is not None and outcome.problem.is_warning:
                result.warnings.append(outcome.problem)
            result.outcomes.append(outcome)
            if progress:
                progress(done, total, str(path))
        return result

    def read(self, file: tuple[Path, bool]) -> tuple[Outcome | _Write, list[Problem]]:
        """Read one file, touching nothing but the file: what to store, or why it is rejected."""
        path, explicit = file
        warnings: list[Problem] = []
        kind = file_kind(path)  # a pipe would block reading, a device never end: neither is opened
        if kind:
            return Outcome(
                str(path), "rejected", reason="not-a-file", problem=problem(str(path), None, "E522", kind=kind)
            ), []
        try:
            return self.one(path, explicit, warnings), warnings
        except _Reject as exc:
            return Outcome(str(path), "rejected", reason=exc.reason, problem=exc.problem), warnings

    def read_parallel(self, files: list[tuple[Path, bool]], jobs: int) -> Iterator[tuple[Outcome | _Write, list]]:
        """read() of every file, in order, done by forked reader processes while this one writes.

        Readers inherit this collector (what the store held when the collect began) and never touch the
        store; a file stored meanwhile that a reader takes for new is found unchanged by the store itself.
        At most _AHEAD tasks per reader are in flight, so memory stays bounded on any number of files.
        Should a reader die (the system ran out of memory), the files left are read here."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        global _READER
        _READER = self
        chunks = [files[i : i + _CHUNK] for i in range(0, len(files), _CHUNK)]
        jobs = min(jobs, len(chunks))
        given = 0  # chunks yielded so far
        try:
            with ProcessPoolExecutor(
                jobs, multiprocessing.get_context("fork"), initializer=_reader_start, initargs=(os.getpid(),)
            ) as pool:
                pending: deque = deque(pool.submit(_read_chunk, c) for c in chunks[: _AHEAD * jobs])
                sent = len(pending)
                while pending:
                    done = pending.popleft().result()
                    if sent < len(chunks):
                        pending.append(pool.submit(_read_chunk, chunks[sent]))
                        sent += 1
                    given += 1
                    yield from done
        except (BrokenProcessPool, OSError, ImportError):  # a reader died, or none could start (no fork, no /dev/shm)
            for chunk in chunks[given:]:
                yield from (self.read(f) for f in chunk)
        finally:
            _READER = None

    def write(self, item: _Write) -> Outcome:
        """Store what one() read: each file in its own transaction."""
        info = item.framework
        if item.revision is None:
            assert info is not None, "a framework file's _Write always carries its questions"
            self.store.put_framework(info)
            self.noted(info.id, info.hash, True)
            return Outcome(item.name, "framework")
        rev = item.revision
        try:
            status = self.store.add(rev, self.started, info)  # a StoreError stops the collect: every next would fail
        except MissionConflict as exc:
            fields = {"id": exc.assessment_id, "held": exc.held, "found": exc.found}
            return Outcome(
                item.name, "rejected", rev.assessment_id, "other-mission", problem(item.name, None, "E523", **fields)
            )
        self.held.add(rev.revision)
        self.noted(rev.framework_id, rev.framework_hash, bool(info and info.from_file))
        if status == "tie":
            warning = problem(item.name, None, "W503", id=rev.assessment_id, updated=rev.updated)
            return Outcome(item.name, "history", rev.assessment_id, problem=warning)
        return Outcome(item.name, status, rev.assessment_id)

    def noted(self, fid: str, fhash: str, from_file: bool) -> None:
        """Remember a framework version the store now holds. Options matter only to compare versions, so
        a report's framework file is read (the bundled one, if its hash matches) only once the store holds
        two versions of the framework; until then the questions come from the reports themselves."""
        self.known[fhash] = self.known.get(fhash, False) or from_file
        hashes = self.ids.setdefault(fid, set())
        hashes.add(fhash)
        if len(hashes) > 1:
            candidate = self.bundled / f"{fid}.yaml"
            fw = self.load(candidate)[0] if candidate.is_file() else None
            if fw is not None and fw.hash in hashes and not self.known.get(fw.hash):
                self.store.put_framework(framework_info(fw))
                self.known[fw.hash] = True

    def one(self, path: Path, explicit: bool, warnings: list[Problem]) -> Outcome | _Write:
        suffix = path.suffix.lower()
        if suffix in YAML_SUFFIXES:
            return self.answers_file(path, warnings)
        if suffix not in REPORT_SUFFIXES and not _head(path).startswith(b"PK"):
            raise _Reject("not-docx", problem(str(path), None, "E501", detail=_what(path, _head(path))))
        return self.report(path, warnings)

    # ------------------------------------------------------------------ reports

    def report(self, path: Path, warnings: list[Problem]) -> Outcome | _Write:
        name = str(path)
        try:
            payload, digest = load_payload(path)
        except PayloadRefused as exc:
            raise _Reject(*_classify(path, exc)) from None
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise _Reject("corrupt-zip", problem(name, None, "E502", detail=f"{type(exc).__name__}: {exc}")) from None
        try:
            fw = payload["framework"]
            fid, fhash = fw["id"], fw["hash"]
            if not (isinstance(fid, str) and fid and isinstance(fhash, str) and fhash):
                raise TypeError
        except (KeyError, TypeError):
            raise _Reject(
                "unknown-framework",
                problem(
                    name, None, "E505", detail=("the payload names no framework, so 'assess report' did not make it")
                ),
            )
        if fhash in self.known and digest in self.held:  # the common case of a report seen before
            return Outcome(name, "unchanged", _identity(payload)[0])
        detail = verify.shape(payload)
        if detail:
            raise _Reject("malformed-payload", problem(name, None, "E516", detail=detail))
        fw, names = self.report_framework(path, payload)
        framework = f"{fid} {payload['framework']['version']}"
        if fw is None:
            tried = " or ".join(f"'{n}'" for n in names)
            raise _Reject(
                "framework-not-at-hand", problem(name, None, "E518", framework=framework, hash=fhash, names=tried)
            )
        try:
            recomputed = verify.recompute(payload, fw, name)
        except verify.Refusal as exc:
            reason = "malformed-payload" if exc.code == "E516" else "invalid-answers"
            raise _Reject(reason, problem(name, None, exc.code, framework=framework, detail=exc.detail)) from None
        found: list[Problem] = []
        try:
            own = revision(payload, digest, name, "report", [])
            rev = revision(recomputed, digest, name, "report", found)  # what is stored: the recomputed result
            info = None if fhash in self.known else payload_framework_info(recomputed)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            detail = f"its result lacks {exc}" if isinstance(exc, KeyError) else f"its result is malformed ({exc})"
            raise _Reject("payload-altered", problem(name, None, "E504", detail=detail)) from None
        material, wording = verify.difference(own, rev)
        if material:
            raise _Reject("result-mismatch", problem(name, None, "E517", detail=material))
        warnings += found + ([problem(name, None, "W502", detail=wording)] if wording else [])
        return _Write(name, rev, info)

    def report_framework(self, path: Path, payload: dict) -> tuple[Framework | None, list[str]]:
        """The framework a report's result was computed with, found by its hash: the bundled one, else a file
        beside the report named as its answers pin it, '<id>-<version>.yaml' or '<id>.yaml'; and those names.
        Where it is found depends on the report alone, so every reader process finds the same."""
        fid, version, fhash = (payload["framework"][k] for k in ("id", "version", "hash"))
        pinned = Path(str(payload["answers"]["framework"].get("path") or "")).name
        names = [n for n in (pinned, f"{fid}-{version}.yaml", f"{fid}.yaml") if n not in ("", ".", "..")]
        names = list(dict.fromkeys(names))
        for candidate in (self.bundled / f"{fid}.yaml", *(path.parent / n for n in names)):
            if candidate.is_file():
                fw = self.load(candidate)[0]
                if fw is not None and fw.hash == fhash:
                    return fw, names
        return None, names

    # ------------------------------------------------------------------ frameworks

    def load(self, path: Path) -> tuple[Framework | None, list[Problem], AssessError | None]:
        """A framework file, read once per run (again only if it changed)."""
        from ..loader import load_framework

        key = os.path.realpath(path)
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = (0, 0)
        hit = self.fw_cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1], hit[2], hit[3]
        entry: tuple[tuple[int, int], Framework | None, list[Problem], AssessError | None]
        try:
            fw, warnings = load_framework(path)
            entry = (stamp, fw, warnings, None)
            self.by_hash.setdefault(fw.hash, fw)
        except AssessError as exc:
            entry = (stamp, None, [], exc)
        self.fw_cache[key] = entry
        return entry[1], entry[2], entry[3]

    def framework_path(self, answers, path: Path) -> Path | None:
        """The pinned framework file beside the answers, else the bundled one with the pinned id (as the CLI)."""
        pin = answers.framework
        if pin.path:
            p = path.parent / pin.path
            if p.is_file():
                return p
        candidate = self.bundled / f"{pin.id}.yaml"
        return candidate if candidate.is_file() else None

    # ------------------------------------------------------------------ answers files

    def answers_file(self, path: Path, warnings: list[Problem]) -> Outcome | _Write:
        from ..loader import build
        from ..scoring import score

        name = str(path)
        try:
            located = load_file(path)
        except AssessError as exc:
            raise _Reject("unreadable-yaml", problem(name, None, "E506", detail=_first(exc))) from None
        data = located.data
        if isinstance(data, dict) and "sections" in data and "metadata" not in data:
            try:
                built, _ = build(located)
            except AssessError as exc:
                raise _Reject(
                    "unknown-framework",
                    problem(
                        name,
                        None,
                        "E505",
                        detail=(f"this framework file has problems: {_first(exc)}; run 'assess validate {name}'"),
                    ),
                ) from None
            self.by_hash.setdefault(built.hash, built)
            return (
                Outcome(name, "framework") if self.known.get(built.hash) else _Write(name, None, framework_info(built))
            )
        try:
            answers, located = from_located(located)
        except AssessError as exc:
            raise _Reject(
                "unreadable-yaml", problem(name, None, "E506", detail=(f"not an answers file: {_first(exc)}"))
            ) from None
        fw_path = self.framework_path(answers, path)
        if fw_path is None:
            known = ", ".join(sorted(p.stem for p in self.bundled.glob("*.yaml"))) or "none"
            raise _Reject(
                "unknown-framework",
                problem(
                    name,
                    None,
                    "E505",
                    detail=(
                        f"'{answers.framework.id}' is neither beside the answers nor bundled (bundled: {known}); "
                        "put the framework file beside the answers and pin it with 'path'"
                    ),
                ),
            )
        fw, _, error = self.load(fw_path)
        if fw is None:
            raise _Reject(
                "unknown-framework",
                problem(
                    name,
                    None,
                    "E505",
                    detail=(
                        f"the framework file {fw_path} has problems: {_first(error)}; run 'assess validate {fw_path}'"
                    ),
                ),
            )
        problems = check(fw, answers, located)
        errors = [p for p in problems if not p.is_warning]
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise _Reject(
                "invalid-answers",
                problem(name, None, "E507", framework=f"{fw.id} {fw.version}", detail=_located(errors[0]) + more),
            )
        warnings += [p for p in problems if p.is_warning]
        payload = make_payload(score(fw, answers))
        digest = hashlib.sha256(canonical(payload)).hexdigest()
        if self.known.get(fw.hash) and digest in self.held:
            return Outcome(name, "unchanged", _identity(payload)[0])
        rev = revision(payload, digest, name, "answers", warnings)
        info = None if self.known.get(fw.hash) else framework_info(fw)
        return _Write(name, rev, info)


# ---------------------------------------------------------------------------- payload -> rows


def _identity(payload: dict) -> tuple[str, dict[str, str]]:
    """The assessment's id (made from its framework, mission, area and title when it has none: W501) and
    its metadata as text."""
    res = payload["result"]
    meta = {str(k): "" if v is None else str(v) for k, v in (res["assessment"].get("metadata") or {}).items()}
    aid = str(res["assessment"].get("id") or payload["answers"].get("id") or "")
    if not aid:
        basis = "|".join(
            (payload["framework"]["id"], meta.get("mission", ""), meta.get("area", ""), meta.get("title", ""))
        )
        aid = "unidentified-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
    return aid, meta


def revision(payload: dict, digest: str, source: str, kind: str, warnings: list[Problem]) -> Revision:
    """The rows the store keeps of one payload (raises KeyError or TypeError on a malformed one)."""
    res = payload["result"]
    fw = payload["framework"]
    aid, meta = _identity(payload)
    if aid.startswith("unidentified-"):
        warnings.append(problem(source, None, "W501", basis="its framework, mission, area and title"))
    answers = [
        (
            q["id"],
            q["entity"],
            q["status"],
            None if q["value"] is None else _encode(q["value"]),
            None if q["label"] == q["value"] or not q["label"] else q["label"],
            q["score"],
            None if q["confidence"] is None else _encode(q["confidence"]),
            int(q["sources"] or 0),
        )
        for q in res["questions"]
    ]
    section_ids = {s["id"] for s in res["sections"]}
    parents: dict[str, str] = {}
    for s in res["sections"]:
        for i in s["inputs"]:
            if i["id"] in section_ids and i["id"] != s["id"]:
                parents.setdefault(i["id"], s["id"])
    for blocks in res["entities"].values():
        for b in blocks:
            for s in b["sections"]:
                for i in s["inputs"]:
                    if i["id"] != s["id"] and i["id"] not in parents:
                        parents[i["id"]] = s["id"]

    def depth(sid: str) -> int:
        d, seen = 0, {sid}
        while sid in parents and parents[sid] not in seen:
            sid = parents[sid]
            seen.add(sid)
            d += 1
        return d

    def row(kind_: str, s: dict, entity=None, entity_name=None, d=0):
        return (
            kind_,
            s["id"],
            entity,
            entity_name,
            s["title"],
            d,
            s["exact"],
            s["score"],
            s["display"] or "-",
            s["rating"],
            s["colour"],
            s["direction"] or "threat",
        )

    children: dict[str, list[dict]] = {}
    roots: list[dict] = []
    for s in res["sections"]:  # the result lists subsections before their parent: put parents first
        p = parents.get(s["id"])
        (children.setdefault(p, []) if p is not None and p in section_ids else roots).append(s)
    ordered: list[dict] = []
    placed: set[str] = set()

    def visit(s: dict) -> None:
        if s["id"] in placed:
            return
        placed.add(s["id"])
        ordered.append(s)
        for c in children.get(s["id"], ()):
            visit(c)

    for s in roots:
        visit(s)
    ordered += [s for s in res["sections"] if s["id"] not in placed]
    scores = [row("section", s, d=depth(s["id"])) for s in ordered]
    scores += [row("derived", s) for s in res["derived"]]
    for blocks in res["entities"].values():
        for b in blocks:
            scores += [row("entity", s, b["id"], b["name"], depth(s["id"])) for s in b["sections"]]
    recommendations = [
        (
            x["rule"],
            x["priority"],
            x["finding"],
            x["action"],
            x["section"],
            x["entity"],
            x["entity_name"],
        )
        for x in res["recommendations"]
    ]
    gaps = [(g["kind"], g["id"], g["entity"], g["message"]) for g in res["gaps"]]
    rules = {x["rule"]: (x["reference"], x["source"]) for x in res["recommendations"]}
    updated = _utc(meta.get("updated") or meta.get("created") or "")
    return Revision(
        assessment_id=aid,
        revision=digest,
        framework_id=str(fw["id"]),
        framework_version=str(fw["version"]),
        framework_hash=str(fw["hash"]),
        framework_title=str(res["framework"].get("title") or fw["id"]),
        metadata=meta,
        period_range=period_range(meta.get("period")),
        updated=updated,
        complete=bool(res["complete"]),
        coverage=dict(res["coverage"]),
        confidence=dict(res["confidence"]),
        source=source,
        source_kind=kind,
        answers=answers,
        scores=scores,
        recommendations=recommendations,
        gaps=gaps,
        rules=rules,
    )


_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps(v, **options) builds one per call


def _utc(text: str) -> str:
    """An ISO 8601 time as UTC 'YYYY-MM-DDTHH:MM:SSZ' (naive times are taken as UTC); other text as it is."""
    try:
        t = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- framework versions


def _plain(v):
    return str(v) if isinstance(v, Fraction) else v


def signature(q) -> str:
    """What must stay the same for answers to one question to compare across framework versions: its type,
    its options (value, score, unknown) and its range."""
    data = [
        q.type,
        [[_plain(o.value), _plain(o.score), o.unknown] for o in q.options],
        _plain(q.min),
        _plain(q.max),
        q.multiple_score if q.type == "multiple" else None,
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def framework_info(fw: Framework) -> FrameworkInfo:
    """A framework's questions with their signatures, and the questions each score depends on."""
    from ..expressions import compile_expression

    by_section: dict[str, set[str]] = {sid: set() for sid in fw.all_sections}
    for q in fw.questions.values():
        sid: str | None = q.section
        while sid:
            by_section.setdefault(sid, set()).add(q.id)
            sid = fw.all_sections[sid].parent if sid in fw.all_sections else None
    derived = {d.id: d for d in fw.derived}
    deps: dict[str, set[str]] = {}
    for did in fw.derived_order:
        d = derived.get(did)
        if d is None:
            continue
        out: set[str] = set()
        for n in compile_expression(d.expr).names:
            out |= by_section.get(n) or deps.get(n) or ({n} if n in fw.questions else set())
        deps[did] = out
    scores = {sid: sorted(qs) for sid, qs in by_section.items()}
    scores.update({did: sorted(qs) for did, qs in deps.items()})
    return FrameworkInfo(
        fw.hash,
        fw.id,
        fw.version,
        fw.title,
        [(q.id, q.section, signature(q)) for q in fw.questions.values()],
        scores,
        True,
    )


def payload_framework_info(payload: dict) -> FrameworkInfo:
    """The same, reconstructed from a report alone (its framework file not at hand): question ids without
    their options, and what each score depends on from the inputs the result lists."""
    res, fw = payload["result"], payload["framework"]
    sections: dict[str, str] = {}
    for q in res["questions"]:
        sections.setdefault(q["id"], q["section"])
    edges: dict[str, set[str]] = {}
    for s in res["sections"] + res["derived"]:
        edges.setdefault(s["id"], set()).update(i["id"] for i in s["inputs"])
    for blocks in res["entities"].values():
        for b in blocks:
            for s in b["sections"]:
                edges.setdefault(s["id"], set()).update(i["id"] for i in s["inputs"])

    def closure(start: str) -> set[str]:
        found, todo, seen = set(), [start], {start}
        while todo:
            for n in edges.get(todo.pop(), ()):
                if n in sections:
                    found.add(n)
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return found

    scores = {s["id"]: sorted(closure(s["id"])) for s in res["sections"] + res["derived"]}
    return FrameworkInfo(
        str(fw["hash"]),
        str(fw["id"]),
        str(fw["version"]),
        str(res["framework"].get("title") or fw["id"]),
        [(qid, sec, None) for qid, sec in sections.items()],
        scores,
        False,
    )


# ---------------------------------------------------------------------------- why a report is refused


def _head(path: Path, n: int = 8) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def _what(path: Path, head: bytes) -> str:
    if not head:
        return "the file is empty"
    if head.startswith(b"%PDF"):
        return "it is a PDF file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "it is an old Word .doc file; save it as .docx"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head) or head.startswith(b"\xef\xbb\xbf"):
        return f"it is a text file ({path.suffix or 'no extension'}), not a Word document"
    return "it is not a zip archive as every .docx is"


def _classify(path: Path, exc: PayloadRefused) -> tuple[str, Problem]:
    """Sort load_payload's refusal into the reasons collect reports."""
    name, kind, reason = str(path), exc.kind, exc.reason
    if kind == "missing":
        return "missing", problem(name, None, "E508")
    if kind == "not-regular":
        return "not-a-file", problem(name, None, "E522", kind=reason.removeprefix("not a regular file but "))
    if kind == "too-large":
        return "too-large", problem(name, None, "E520", detail=reason)
    if kind == "ambiguous":
        return "ambiguous", problem(name, None, "E521", detail=reason)
    if kind == "shape":
        return "malformed-payload", problem(name, None, "E516", detail=reason)
    if kind == "not-zip":
        head = _head(path)
        if head.startswith(b"PK"):
            inner = reason.split("not a readable zip: ", 1)[-1].rstrip(")")
            return "corrupt-zip", problem(
                name, None, "E502", detail=(f"it starts as a zip archive but cannot be read ({inner})")
            )
        return "not-docx", problem(name, None, "E501", detail=_what(path, head))
    if kind == "no-payload":
        try:
            with zipfile.ZipFile(path) as z:
                is_word = "word/document.xml" in z.namelist()
        except (zipfile.BadZipFile, OSError):
            is_word = False
        if not is_word:
            return "not-docx", problem(name, None, "E501", detail="it is a zip archive without a Word document")
        return "no-payload", problem(
            name,
            None,
            "E503",
            detail=(
                "this Word document carries no assess payload; it was not made by 'assess report', or the payload "
                "was removed"
            ),
        )
    if kind == "format":
        return "unsupported-payload", problem(name, None, "E514", detail=reason)
    if kind == "altered":
        reason = "its SHA-256 does not match its content, so it was changed after the report was made"
    elif kind == "corrupt":
        reason = "the payload part is not well-formed XML" + reason[len("the assess payload is corrupt") :]
    return "payload-altered", problem(name, None, "E504", detail=reason)


def _first(exc: AssessError | None) -> str:
    if exc is None or not exc.problems:
        return "unknown problem"
    return _located(exc.problems[0]) + (f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else "")


def _located(p: Problem) -> str:
    return f"line {p.line}, column {p.col}: {p.message} [{p.code}]" if p.line else f"{p.message} [{p.code}]"
