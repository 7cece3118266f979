"""Provides one entry point per command: find a framework, open and check answers, score, start an assessment.

The command line, the app's session, headquarters collection and the report's reference all go through here, so
that the rules (which framework scores a file, what blocks it, what is only a warning) are written once.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .answers import answers_from_text, check, create, load_answers, new_answers
from .errors import OPENS_ANYWAY, AssessError, Problem, problem
from .filekind import open_answers_file
from .i18n import language as interface
from .i18n import primary, resolve, set_language
from .loader import framework_from_text, load_framework
from .model import Answers, Framework, Result
from .paths import FRAMEWORKS, bundled_ids, releases
from .scoring import score
from .yamlsafe import MAX_BYTES, Located, decode

if TYPE_CHECKING:
    from .outputs import Batch

FRAMEWORK_SUFFIXES = (".yaml", ".yml")
STDIN = "-"
"""What a command takes as a file's name to read standard input instead (assess score -, assess validate -)."""
STDIN_NAME = "<stdin>"
"""How messages name standard input."""


def read_stdin(limit: int = MAX_BYTES) -> str:
    """Standard input as UTF-8 text, bounded like a file (never more than limit + 1 bytes read): E005 for a file
    redirected in that is over limit, E020 for more than limit bytes piped in, E004/E003 for binary or non-UTF-8
    bytes, E001 when standard input is closed."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise AssessError([problem(STDIN_NAME, None, "E001", reason="standard input is closed")])
    try:
        size = os.fstat(stream.fileno())
    except (OSError, ValueError):  # not a file descriptor: a stream made in memory
        size = None
    if size is not None and stat.S_ISREG(size.st_mode) and size.st_size > limit:  # a file redirected in
        raise AssessError([problem(STDIN_NAME, None, "E005", size=size.st_size, limit=limit)])
    try:
        raw = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise AssessError([problem(STDIN_NAME, None, "E001", reason=getattr(exc, "strerror", None) or str(exc))])
    if len(raw) > limit:
        raise AssessError([problem(STDIN_NAME, None, "E020", limit=limit)])
    return decode(raw, STDIN_NAME)


def source_name(file: str | Path) -> str:
    """How messages name a file a command reads: its path as given, or <stdin> for -."""
    return STDIN_NAME if str(file) == STDIN else str(file)


@dataclass(frozen=True)
class Checked:
    """A framework file read and checked."""

    framework: Framework
    """The framework, built."""
    warnings: tuple[Problem, ...]
    """What checking it warned about."""
    name: str
    """Its name in messages: the path as given, or <stdin>."""


def check_framework(file: str | Path) -> Checked:
    """Read and check a framework file, or standard input for - (assess validate); raise AssessError with every
    problem."""
    if str(file) == STDIN:
        fw, warnings = framework_from_text(read_stdin(), STDIN_NAME)
    else:
        fw, warnings = load_framework(file)
    return Checked(fw, tuple(warnings), source_name(file))


def _unknown(where: str, ref: str, bundled: Path) -> AssessError:
    return AssessError([problem(where, None, "E313", ref=ref, known=", ".join(bundled_ids(bundled)) or "none")])


def names_a_file(ref: str) -> bool:
    """Whether a framework given on the command line is written as a path rather than an id: it has a .yaml or .yml
    suffix, or a folder separator (./oc-threat names a file; oc-threat is an id even where a folder has that name)."""
    return Path(ref).suffix in FRAMEWORK_SUFFIXES or os.sep in ref


def resolve_framework(ref: str, bundled: Path = FRAMEWORKS) -> Path:
    """A framework given as a path (see names_a_file) or as the id of a bundled framework, else as a file of that
    name here; E313 names the bundled ids when it is none of them."""
    p = Path(ref)
    if names_a_file(ref):
        return p
    candidate = bundled / f"{ref}.yaml"
    if candidate.exists():
        return candidate
    if p.exists():
        return p
    raise _unknown(ref, ref, bundled)


def pinned_framework(answers: Answers, answers_path: Path, bundled: Path = FRAMEWORKS) -> Path | None:
    """The framework the answers pin: the path they record (relative to their folder) when something is there, else
    the bundled framework of their framework id; None when neither is."""
    pin = answers.framework
    if pin.path:
        p = Path(answers_path).parent / pin.path
        if p.exists():  # a folder or a pipe there is named by the loader's message, not silently passed over
            return p
    candidate = bundled / f"{pin.id}.yaml"
    return candidate if candidate.exists() else None


def released(answers: Answers, bundled: Path = FRAMEWORKS) -> Path | None:
    """The earlier release of a bundled framework that answers pin by version and hash, kept in assess (a file of
    frameworks/previous/ whose name carries the pin's id, version and hash prefix); None when the answers pin a
    path, no hash, or a release assess does not keep."""
    pin = answers.framework
    if pin.path or not pin.hash or not pin.hash.startswith("sha256:"):
        return None
    prefix = pin.hash.removeprefix("sha256:")[:8]
    return next((p for p in releases(pin.id, pin.version, bundled) if p.stem.rsplit("-", 1)[-1] == prefix), None)


def framework_id(ref: str) -> str:
    """The framework id a filter names (assess compare/list --framework): a framework file's id when ref is a path
    (as resolve_framework tells one), else ref itself, an id that need not be bundled."""
    return check_framework(ref).framework.id if names_a_file(ref) else ref


def framework_for(answers: Answers, answers_path: Path, explicit: str | None = None) -> Path:
    """Which framework file scores these answers: the one given (--framework: a path or a bundled id), else the
    one they pin (see pinned_framework); E313 when there is none."""
    if explicit:
        return resolve_framework(explicit)
    found = pinned_framework(answers, answers_path)
    if found is None:
        raise _unknown(str(answers_path), answers.framework.id, FRAMEWORKS)
    return found


def pin_for(framework: Path, answers_path: Path, bundled: Path = FRAMEWORKS) -> str | None:
    """What a new answers file records as its framework's path: nothing for a bundled framework (found by its
    id), else the framework's path relative to the answers file's folder."""
    if framework.resolve().parent == bundled:
        return None
    return os.path.relpath(framework.resolve(), Path(answers_path).resolve().parent)


@dataclass(frozen=True)
class Opened:
    """An answers file read and checked against its framework."""

    answers: Answers
    """The answers as read."""
    located: Located
    """Where each value of the file is (line and column), for messages."""
    framework: Framework
    """The framework that scores them."""
    framework_path: Path
    """Where that framework was found."""
    framework_warnings: tuple[Problem, ...]
    """What validating the framework warned about."""
    warnings: tuple[Problem, ...]
    """What checking the answers found and let through: warnings, and the problems the caller allowed."""
    name: str = ""
    """The answers' name in messages: the path as given, or <stdin>."""
    language: str = "en"
    """The language to show them in (interface and framework texts): --lang, else ASSESS_LANG, else the
    assessment's own, else the locale's (i18n.resolve); the framework is loaded in it where it has it."""


def _in_language(
    path: Path, fw: Framework, warnings: list[Problem], lang: str | None, recorded: str
) -> tuple[Framework, list[Problem], str]:
    """A framework loaded in the language resolved from --lang (lang) and the assessment's own (recorded; '' for a
    file written before assessments recorded one, which follows the user's language), its warnings, and that
    language."""
    language = resolve(lang, recorded or None)
    if language != fw.language or language != interface():
        before = interface()
        set_language(language)  # the framework's warnings worded in that language too, as what follows will be
        try:
            fw, warnings = load_framework(path, language)
        finally:
            set_language(before)
    return fw, warnings, language


def open_answers(
    answers_file: str | Path,
    framework: str | None = None,
    allow: tuple[str, ...] = (),
    batch: Batch | None = None,
    template: str | Path | None = None,
    stdin: bool = False,
    as_made: bool = True,
    lang: str | None = None,
) -> Opened:
    """Read an answers file, find and load its framework, and check the answers against it; raise AssessError
    with every error except those whose code is in allow. With as_made, answers pinned to an earlier release of
    a bundled framework that assess keeps (see released) are checked with that release, W030 saying so. With
    batch (assess.outputs.Batch), its outputs are checked against every file read (and the template) before the
    framework is loaded. With stdin, - reads the answers from standard input: they are named <stdin>, and a
    framework path they pin is relative to the current folder. lang: the language asked for (--lang); the
    framework is loaded in the language resolved from it and the assessment's own (Opened.language)."""
    from_stdin = stdin and str(answers_file) == STDIN
    if from_stdin:
        answers, located = answers_from_text(read_stdin(), STDIN_NAME)
    else:  # a framework or another command's output given for the answers is one coded line (E610, E611)
        answers, located = open_answers_file(answers_file)
    name = STDIN_NAME if from_stdin else str(answers_file)
    path = framework_for(answers, Path(name), framework)  # the parent of <stdin> is the current folder
    if batch is not None:
        pin = Path(name).parent / answers.framework.path if answers.framework.path else None
        batch.prepare(
            {
                "the answers file": None if from_stdin else answers_file,
                "the framework": path,
                "the framework the answers pin": pin,
                "the template": template,
            }
        )
    fw, fw_warnings = load_framework(path)
    release = released(answers) if as_made and not framework and answers.framework.version != fw.version else None
    if release is not None:  # scored as made, with the release they were made on; migrating is the planner's move
        from .migrate import chain

        newest, newest_fw = fw.version, fw
        fw, fw_warnings = load_framework(release)
        try:  # W030 points to 'assess migrate' only where the newest release declares how these answers move
            chain(newest_fw, fw.version)
            code = "W030"
        except AssessError:
            code = "W031"
        fw_warnings = [*fw_warnings, problem(name, None, code, fid=fw.id, found=fw.version, expected=newest)]
        path = release
    fw, fw_warnings, language = _in_language(path, fw, fw_warnings, lang, answers.language)
    problems = check(fw, answers, located)
    errors = [p for p in problems if not p.is_warning and p.code not in allow]
    if errors:
        raise AssessError(errors)
    rest = tuple(p for p in problems if p not in errors)
    return Opened(answers, located, fw, path, tuple(fw_warnings), rest, name, language)


def open_for_editing(answers_file: str | Path, framework: str | None = None, lang: str | None = None) -> Opened:
    """Open an answers file as the app does: metadata that score and report refuse (OPENS_ANYWAY) do not keep a
    planner from the answers, and are among the warnings; in a language as open_answers does."""
    return open_answers(answers_file, framework, allow=OPENS_ANYWAY, as_made=False, lang=lang)


@dataclass(frozen=True)
class Scored:
    """A scored assessment and what was found on the way."""

    result: Result
    """The scores, gaps and recommended actions."""
    warnings: tuple[Problem, ...]
    """The framework's and the answers' warnings (the result carries its own, too)."""
    name: str = ""
    """The answers' name in messages: the path as given, or <stdin>."""
    language: str = "en"
    """The language to show them in (Opened.language)."""


def score_file(
    answers_file: str | Path,
    framework: str | None = None,
    batch: Batch | None = None,
    template: str | Path | None = None,
    stdin: bool = False,
    lang: str | None = None,
) -> Scored:
    """Open an answers file (see open_answers: every error refuses; with stdin, - is standard input; lang: the
    language asked for) and score it."""
    opened = open_answers(answers_file, framework, batch=batch, template=template, stdin=stdin, lang=lang)
    before = interface()
    set_language(opened.language)  # the core words its gaps, methods and collection plan in the result's language
    try:
        result = score(opened.framework, opened.answers)
    finally:
        set_language(before)
    return Scored(result, opened.framework_warnings + opened.warnings, opened.name, opened.language)


def score_files(answers_file: str | Path, framework_file: str | Path) -> Result:
    """Score an answers file with a framework file named outright; raise AssessError on any error."""
    return score_file(answers_file, str(Path(framework_file))).result


@dataclass(frozen=True)
class Created:
    """A new answers file."""

    answers: Answers
    """What was written."""
    framework: Framework
    """The framework it is for."""
    warnings: tuple[Problem, ...] = ()
    """What the planner is told: the language asked for is not the framework's (W055)."""


def start_assessment(
    framework: Path, out: str | Path, metadata: dict[str, str], fw: Framework | None = None, lang: str | None = None
) -> Created:
    """Create a new answers file at out for a framework file (loaded unless given, in the language lang resolves
    to), pinning a framework that is not bundled by its path and recording the language the assessment is written
    in: the one asked for, whose interface the planner works in, even where the framework's texts are in another
    (W055 says so); refuse an existing file and metadata that score and report would refuse."""
    asked = resolve(lang)
    warnings: list[Problem] = []
    if fw is None:
        fw, found = load_framework(framework, asked)
        warnings = [w for w in found if w.code != "W042"]  # said by W055, with the language recorded
    written = fw.language if primary(fw.language) == primary(asked) else asked
    if fw.language != written:
        languages = ", ".join(fw.languages)
        warnings.append(
            problem(str(framework), None, "W055", fid=fw.id, lang=asked, languages=languages, used=fw.language)
        )
    answers = new_answers(fw, metadata, pin_for(framework, Path(out)), language=written)
    create(out, answers)
    return Created(answers, fw, tuple(warnings))


# ---------------------------------------------------------------------------- the next period (issue 17)


def _migrated(last: Answers, fw: Framework) -> Answers:
    """The last period's answers moved to fw's version by its declared migrations (assess.migrate)."""
    from .migrate import migrate

    return migrate(last, fw).answers


def _as_it_was(last: Answers, last_file: Path) -> Framework | None:
    """The framework the last assessment was made with, at its version: the file it pins, else a release of that
    version bundled in frameworks/previous/ (its hash first); None when none is found."""
    pin = last.framework
    found = pinned_framework(last, last_file)
    released = releases(pin.id, pin.version)
    released.sort(key=lambda p: not (pin.hash or "").removeprefix("sha256:").startswith(p.stem.rsplit("-", 1)[-1]))
    for candidate in ([found] if found else []) + released:
        try:
            fw, _ = load_framework(candidate)
        except AssessError:
            continue
        if fw.id == pin.id and fw.version == pin.version:
            return fw
    return None


def _scored(fw: Framework, answers: Answers, located: Located | None, name: str) -> Result:
    """Answers scored by a framework, refused (AssessError, named as name) when checking them finds an error; where
    they are as read, located places each error."""
    errors = [p for p in check(fw, answers, located) if not p.is_warning and p.code not in OPENS_ANYWAY]
    if errors:
        raise AssessError([Problem(name, p.line, p.col, p.code, p.message) for p in errors])
    return score(fw, answers)


def _relative(path: Path, answers_path: Path) -> str:
    """A file's path as an answers file records it: relative to the answers file's folder (absolute across drives)."""
    try:
        return os.path.relpath(path.resolve(), answers_path.resolve().parent)
    except ValueError:  # another drive (Windows): no relative path
        return str(path.resolve())


def start_next_period(
    framework: Path, last_file: Path, out: Path, period: str, metadata: dict[str, str] | None = None
) -> Created:
    """Create the next period's answers file at out from the last one (assess.carry.next_period): the last answers
    migrated to the framework's version first when made on an older one, the last period's plan of action (as its
    report printed it, from the framework it was made with where that is found) to follow up, and the collection
    plan's requirements open at its end; refuse an existing file as start_assessment does."""
    from .answers import from_located
    from .carry import check_next, framework_instead, next_period
    from .plan import plan
    from .yamlsafe import load_file

    fw, _ = load_framework(framework)
    given = load_file(last_file)
    framework_instead(given.data, str(last_file))  # a framework given by mistake: one line, not one per key
    last, located = from_located(given)
    check_next(last, fw, period)
    then = _as_it_was(last, Path(last_file)) if last.framework.version != fw.version else fw
    moved = last if last.framework.version == fw.version else _migrated(last, fw)
    now_result = _scored(fw, moved, located if moved is last else None, str(last_file))
    then_result = now_result
    if then is not None and then is not fw:  # the plan as the last report printed it, where its framework is found
        try:
            then_result = _scored(then, last, located, str(last_file))
        except AssessError:
            pass  # the answers do not fit the framework found under that version: the plan of the migrated ones
    answers = next_period(
        moved,
        fw,
        period,
        _relative(Path(last_file), Path(out)),
        plan(then_result),
        [r.id for r in now_result.requirements],
        metadata,
        pin_for(framework, Path(out)),
        inherited=len(last.kept_aside),  # those stay in the last file: a removed question's answer is not re-sent
    )
    create(out, answers)
    return Created(answers, fw)


# ---------------------------------------------------------------------------- assess migrate (issue 17)

if TYPE_CHECKING:
    from .migrate import Migrated


@dataclass(frozen=True)
class MigratedFile:
    """An answers file migrated (or, for a dry run, what migrating it would do)."""

    migrated: Migrated
    """The migration: the answers moved, the moves, what was kept aside."""
    out: Path | None
    """Where the migrated answers are written (None: already on the version, nothing to write)."""
    backup: Path | None = None
    """The original's copy kept by --in-place."""
    written: bool = False
    """False for a dry run or when there was nothing to migrate."""


def default_migrated_name(answers_file: Path, version: str) -> Path:
    """Where assess migrate writes by default: '<name>-<version>.answers.yaml' beside the file (its name without
    .answers.yaml or .yaml)."""
    name = answers_file.name
    for suffix in (".answers.yaml", ".answers.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return answers_file.with_name(f"{name}-{version}.answers.yaml")


def migrate_file(
    answers_file: str | Path, to: str | None, out: str | Path | None, in_place: bool, dry_run: bool
) -> MigratedFile:
    """Migrate an answers file to the version of its framework (to: a framework file or bundled id; default the one
    it pins), by the steps the framework declares: written to out (default: default_migrated_name; an existing file
    is refused, E311) or, with in_place, over the file under its lock after a backup '<file>.<old version>.bak'
    (refused when one exists, E703). Nothing is written on a dry run, or when the migration refuses (E701, E702)."""
    from .answers import Store, create_problems
    from .migrate import migrate

    path = Path(answers_file)
    answers, _ = load_answers(path)
    fw_path = framework_for(answers, path, to)
    fw, _ = load_framework(fw_path)
    target = path if in_place else Path(out) if out is not None else default_migrated_name(path, fw.version)
    if not in_place and target.resolve() == path.resolve():
        raise AssessError([problem(str(target), None, "E705")])
    pin = pin_for(fw_path, target)
    migrated = migrate(answers, fw, pin, str(path))
    if not migrated.steps:
        return MigratedFile(migrated, None)
    backup = path.with_name(f"{path.name}.{answers.framework.version}.bak") if in_place else None
    if backup is not None and os.path.lexists(backup):
        raise AssessError([problem(str(path), None, "E703", path=backup)])
    if not in_place:
        problems = [p for p in create_problems(target, migrated.answers) if p.code in ("E311", "E326", "E327")]
        if problems:
            raise AssessError(problems)
    if dry_run:
        return MigratedFile(migrated, target, backup)
    if not in_place:
        create(target, migrated.answers)
        return MigratedFile(migrated, target, None, True)
    assert backup is not None
    with Store(path) as store:
        again, _ = load_answers(path)  # read again under the lock: what a session saved meanwhile is migrated too
        migrated = migrate(again, fw, pin, str(path))
        original = path.read_bytes()
        try:
            with open(backup, "xb") as fh:
                fh.write(original)
                fh.flush()
                os.fsync(fh.fileno())
        except FileExistsError:
            raise AssessError([problem(str(path), None, "E703", path=backup)]) from None
        store.save(migrated.answers)
    return MigratedFile(migrated, target, backup, True)
