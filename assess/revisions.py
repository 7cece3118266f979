"""Provides framework files read from a git revision ('frameworks/x.yaml@HEAD~3'), by running git itself: no
shell, a time limit, and a coded message when git is missing, the file is not in a repository, or the revision or
the file at it does not exist."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import AssessError, Problem, problem
from .filekind import COMPARE, not_a_framework
from .loader import framework_from_text, load_framework
from .model import Framework
from .pipeline import resolve_framework
from .yamlsafe import MAX_BYTES, decode

TIMEOUT = 30
"""Seconds git may take to answer."""


def split(arg: str) -> tuple[str, str | None]:
    """'PATH@REV' -> (PATH, REV); an existing file, or an argument with nothing on one side of its last '@', is a
    path (PATH, None)."""
    path, at, rev = arg.rpartition("@")
    if not at or not path or not rev or Path(arg).exists():
        return arg, None
    return path, rev


def _git(git: str, cwd: Path, *args: str, name: str) -> subprocess.CompletedProcess[bytes]:
    """Run git with args in cwd: its output as bytes, E606 when it takes too long."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", LANG="C")
    # no fsmonitor or hook of a repository's own configuration runs: reading a blob needs neither
    command = [git, "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, timeout=TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise AssessError([problem(name, None, "E606", seconds=TIMEOUT)]) from None
    except OSError as exc:
        raise AssessError([problem(name, None, "E607", reason=exc.strerror or str(exc))]) from None


def _reason(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's first line of complaint, without its 'fatal: '."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return (lines[0].removeprefix("fatal: ").strip() if lines else "") or f"exit status {result.returncode}"


def read_revision(path: str, rev: str) -> str:
    """The text of the file at path as it was in git revision rev of its repository, or AssessError (E602–E607)."""
    name = f"{path}@{rev}"
    git = shutil.which("git")
    if git is None:
        raise AssessError([problem(name, None, "E602")])
    target = Path(path).absolute()
    folder = target.parent
    while not folder.is_dir() and folder != folder.parent:  # the file's folder may be gone from the working copy
        folder = folder.parent
    top = _git(git, folder, "rev-parse", "--show-toplevel", name=name)
    if top.returncode != 0:
        raise AssessError([problem(name, None, "E603", path=path, reason=_reason(top))])
    repo = Path(os.fsdecode(top.stdout.strip()))
    try:
        relpath = (folder.resolve() / target.relative_to(folder)).relative_to(repo.resolve()).as_posix()
    except ValueError:
        raise AssessError([problem(name, None, "E603", path=path, reason=f"it is outside {repo}")]) from None
    if rev.startswith("-"):  # never an option of git's
        raise AssessError([problem(name, None, "E604", rev=rev, repo=repo)])
    commit = _git(git, repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", name=name)
    if commit.returncode != 0:
        raise AssessError([problem(name, None, "E604", rev=rev, repo=repo)])
    sha = commit.stdout.decode("ascii", "replace").strip()
    kind = _git(git, repo, "cat-file", "-t", f"{sha}:{relpath}", name=name)
    if kind.returncode != 0 or kind.stdout.strip() != b"blob":
        raise AssessError([problem(name, None, "E605", relpath=relpath, rev=rev, repo=repo)])
    shown = _git(git, repo, "cat-file", "blob", f"{sha}:{relpath}", name=name)
    if shown.returncode != 0:
        raise AssessError([problem(name, None, "E607", reason=_reason(shown))])
    if len(shown.stdout) > MAX_BYTES:
        raise AssessError([problem(name, None, "E005", size=len(shown.stdout), limit=MAX_BYTES)])
    return decode(shown.stdout, name)


def load(arg: str) -> tuple[Framework, list[Problem]]:
    """The framework a diff argument names: a file or a bundled framework's id, or 'PATH@REV' read from git (named
    so in every message); an answers file or what another command wrote is one coded line (E608, E609)."""
    path, rev = split(arg)
    if rev is None:
        file = resolve_framework(path)
        try:
            return load_framework(file)
        except AssessError:
            other = not_a_framework(path, COMPARE, file)
            if other is not None:
                raise AssessError([other]) from None
            raise
    name, text = f"{path}@{rev}", read_revision(path, rev)
    try:
        return framework_from_text(text, name)
    except AssessError:
        other = not_a_framework(name, COMPARE, text=text)
        if other is not None:
            raise AssessError([other]) from None
        raise
