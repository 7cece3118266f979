"""Provides test helpers: frameworks and answers written inline, and the CLI run as a user runs it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from assess.answers import answers_from_text, check
from assess.errors import AssessError
from assess.loader import framework_from_text
from assess.scoring import score

# the headquarters tests' PostgreSQL server and store addresses (pgserver) and the reports they collect (hqfiles)
pytest_plugins = ["pgserver", "hqfiles"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# the tests and the programs they start keep their recent files, caches and stores out of the user's folders
_HOME = Path(tempfile.mkdtemp(prefix="assess-tests-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)  # removed when the session ends, not left in /tmp
for _var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ.pop("ASSESS_STORE", None)
for _var in ("ASSESS_SIGNING_KEY", "ASSESS_KEY_PASSPHRASE"):  # a test signs with a key of its own (issue 19)
    os.environ.pop(_var, None)
# the tests speak English whatever the machine's locale; a test in another language asks for it (issue 18)
for _var in ("ASSESS_LANG", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def english_interface():
    """Each test starts with the interface in English, and a test that switches language does not leak it."""
    from assess.i18n import set_language

    set_language("en")
    yield
    set_language("en")


# the system programs some tests drive, with the Debian package that installs each
PACKAGES = {
    "soffice": "libreoffice-writer-nogui",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "tmux": "tmux",
    "git": "git",
    "initdb": "postgresql",  # the PostgreSQL server; tests/pgserver.py also looks in /usr/lib/postgresql/*/bin
}


def need(*programs: str) -> None:
    """Skip the test, naming what is missing and how to install it, unless ASSESS_REQUIRE_TOOLS=1 (CI) fails it."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    packages = " ".join(dict.fromkeys(PACKAGES[p] for p in missing))
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
    reason = (
        f"{test} needs {', '.join(missing)}: install with 'sudo apt-get install -y {packages}' (or run 'make tools')"
    )
    if os.environ.get("ASSESS_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; ASSESS_REQUIRE_TOOLS=1 runs every test", pytrace=False)
    pytest.skip(reason)


PEAK_KIB = """\
import resource, sys
def peak_kib():  # this process's own peak (VmHWM starts afresh at exec; ru_maxrss keeps the parent's)
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
"""
"""Source of peak_kib(), for a child process to report its own peak memory in KiB."""


def fw(text: str, name: str = "fw.yaml"):
    """A framework from inline YAML; fails the test if it has problems."""
    framework, _warnings = framework_from_text(textwrap.dedent(text), name)
    return framework


def problems(text: str, name: str = "fw.yaml") -> list[str]:
    """The problems (errors, or warnings when valid) of an inline framework, as printed."""
    try:
        _, warnings = framework_from_text(textwrap.dedent(text), name)
    except AssessError as exc:
        return [str(p) for p in exc.problems]
    return [str(w) for w in warnings]


def answers(text: str, name: str = "answers.yaml"):
    a, _ = answers_from_text(textwrap.dedent(text), name)
    return a


def scored(framework_text: str, answers_text: str):
    """Score inline answers against an inline framework; fails on answer errors."""
    f = fw(framework_text)
    a, located = answers_from_text(textwrap.dedent(answers_text), "answers.yaml")
    errs = [p for p in check(f, a, located) if not p.is_warning]
    assert not errs, errs
    return score(f, a)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m assess ARGS` in a subprocess, as a user would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "assess", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
    )


@pytest.fixture
def write(tmp_path):
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text), encoding="utf-8")
        return p

    return _write


@pytest.fixture
def lakeside(tmp_path, monkeypatch):
    """A copy of the snapshot fixture's answers (tests/fixtures/lakeside.answers.yaml, two group blocks) beside its
    framework, named to tests/snapshot_app.py by ASSESS_SNAPSHOT_ANSWERS; its place forgotten (a fresh state
    folder), so the app opens at question 1."""
    fixtures = ROOT / "tests" / "fixtures"
    shutil.copy(fixtures / "lakeside.yaml", tmp_path / "lakeside.yaml")  # the answers pin it by this name
    target = tmp_path / "lakeside.answers.yaml"
    shutil.copy(fixtures / "lakeside.answers.yaml", target)
    monkeypatch.setenv("ASSESS_SNAPSHOT_ANSWERS", str(target))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return target
