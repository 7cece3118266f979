"""Provides the framework cache: built frameworks kept in the user's cache folder, under a key that changes with
the file, its text, and every module of the code that built it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir

from .i18n import language
from .paths import FRAMEWORKS

PACKAGE = os.path.dirname(os.path.abspath(__file__))
"""The folder of the assess package, whose sources key the cache."""

CACHE_FILES = 64
"""Built frameworks kept in the cache; the least recently written go first."""


def folder() -> Path | None:
    """Where built frameworks are kept, or None when ASSESS_NO_CACHE is set."""
    if os.environ.get("ASSESS_NO_CACHE"):
        return None
    return Path(user_cache_dir("assess")) / "frameworks"


@functools.cache
def code_digest() -> str:
    """What built a cached framework: the Python version, and the size and modification time of every source
    file of the assess package and of the framework schema (as Python's own bytecode cache is invalidated), so
    that any change to the code invalidates the cache without a list of files to keep; '' when they cannot be
    read (then nothing is cached)."""
    try:
        files = sorted(_sources(PACKAGE, ""))
        st = (FRAMEWORKS / "framework.schema.json").stat()
    except OSError:
        return ""
    files.append(f"framework.schema.json\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join([sys.version, *files]).encode("utf-8", "surrogateescape")).hexdigest()


def _sources(folder: str, rel: str) -> list[str]:
    """'path, size, modification time' of each .py file under a folder, recursively."""
    out = []
    with os.scandir(folder) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False) and e.name != "__pycache__":
                out += _sources(e.path, f"{rel}{e.name}/")
            elif e.name.endswith(".py"):
                st = e.stat()
                out.append(f"{rel}{e.name}\0{st.st_size}\0{st.st_mtime_ns}")
    return out


def key(code: str, name: str, text: str, lang: str = "") -> str:
    """The cache key of a framework file's name and text, built in language lang ('' for its default) by the code
    of digest `code`, for the interface's language now (the warnings kept are worded in it); '' for none."""
    raw = f"{code}\0{name}\0{text}\0{lang}\0{language()}"
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest() if code else ""


def read(key: str) -> object | None:
    """What was kept under a key, or None: missing, unreadable, or in a file someone else could have written."""
    where = folder()
    if not key or where is None:
        return None
    try:
        with open(where / f"{key}.pickle", "rb") as fh:
            if not (_private(os.fstat(fh.fileno())) and _private(os.stat(where))):
                return None  # a file someone else could have put there is never unpickled
            value: object = pickle.load(fh)
            return value
    except Exception:  # missing, unreadable or from another version of the code: the caller builds it again
        return None


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (where the system has owners)."""
    uid = getattr(os, "getuid", None)
    return uid is None or (st.st_uid == uid() and not st.st_mode & 0o022)


def write(key: str, value: object) -> None:
    """Keep a value under a key, atomically, in a folder only this user may write; keep CACHE_FILES at most."""
    where = folder()
    if not key or where is None:
        return
    tmp = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if hasattr(os, "getuid") and where.stat().st_uid == os.getuid():
            where.chmod(0o700)  # also a folder made before with the umask's group write (0775)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, where / f"{key}.pickle")
        kept = sorted(where.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_FILES:]:
            old.unlink(missing_ok=True)
    except Exception:  # the cache only saves time: a full disk or a read-only home never stops a load
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
