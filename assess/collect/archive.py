"""Provides the archive of collected files: each file's exact bytes kept by their SHA-256, at
ARCHIVE/sha256/<first 2 hex>/<sha256 hex><suffix>, written atomically, one file for the same bytes however often
and from wherever they are collected. Inside the archive folder no link is followed: a folder that is a link is
refused, a file that is a link is replaced by the bytes its name promises."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssessError, Problem, problem
from ..i18n import domain

_, ngettext, _pgettext = domain("hq")

_CHUNK = 1024 * 1024
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
_HEX = re.compile(r"[0-9a-f]{64}")
_DIR_FDS = {os.open, os.mkdir, os.unlink, os.rename, os.stat} <= os.supports_dir_fd  # os.replace as os.rename
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a pipe put in a file's place is refused, not waited on
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def open_regular(path: str | Path):
    """A regular file opened for reading (binary); raises OSError for anything else (a pipe is never waited on)."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC | _BINARY)
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        fh.close()
        raise OSError(_("{path} is not a regular file").format(path=path))
    return fh


def digest(path: str | Path) -> tuple[str, tuple[int, ...]]:
    """The SHA-256 (hex) of a file's bytes, and what says whether it changed since (identity()); raises OSError
    when it cannot be read, Changed when it was written to while it was read."""
    h = hashlib.sha256()
    with open_regular(path) as fh:
        before = identity(os.fstat(fh.fileno()))
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
        if identity(os.fstat(fh.fileno())) != before:
            raise Changed(str(path))
        return h.hexdigest(), before


def identity(st: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is replaced or written to: device, inode, size, modification time."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def suffix_of(name: str) -> str:
    """The suffix an archived file keeps: the collected file's, in lower case ('' when it has none or an odd one)."""
    suffix = Path(name).suffix.lower()
    return suffix if _SUFFIX.fullmatch(suffix) else ""


def relative(sha256: str, name: str) -> str:
    """Where in the archive a file of this SHA-256, collected as name, is kept: sha256/ab/<hex><suffix>."""
    return f"sha256/{sha256[:2]}/{sha256}{suffix_of(name)}"


class Changed(Exception):
    """The file's bytes are no longer those it was read with: it changed while it was collected."""


class _Dir:
    """A folder inside the archive, held open (where the system allows) so that nothing under it is reached
    through a link."""

    def __init__(self, path: str, fd: int | None):
        self.path = path
        self.fd = fd

    def at(self, name: str) -> str:
        """name as the os functions take it with dir_fd=self.fd."""
        return name if self.fd is not None else os.path.join(self.path, name)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def sync(self) -> None:
        """Make a rename in this folder durable (where a folder can be synced)."""
        if self.fd is not None:
            try:
                os.fsync(self.fd)
            except OSError:
                pass  # some file systems cannot sync a folder; the rename itself is atomic

    def child(self, name: str) -> _Dir:
        """The folder name inside this one, made when missing; refused (OSError) when it is a link or not a folder."""
        try:
            os.mkdir(self.at(name), 0o777, dir_fd=self.fd)
        except FileExistsError:
            pass
        st = os.stat(self.at(name), dir_fd=self.fd, follow_symlinks=False)
        path = os.path.join(self.path, name)
        if stat.S_ISLNK(st.st_mode):
            raise OSError(_("{path} is a link; the archive follows no link out of its folder").format(path=path))
        if not stat.S_ISDIR(st.st_mode):
            raise OSError(_("{path} is not a folder").format(path=path))
        if self.fd is None:
            return _Dir(path, None)
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC, dir_fd=self.fd)
        return _Dir(path, fd)


@dataclass
class Archive:
    """An archive folder, for one collect (or one list): what was archived, and what was checked."""

    folder: Path
    """The archive folder, as given."""
    new: int = 0
    """Files this collect wrote to the archive."""
    kept: int = 0
    """Files this collect found archived already (their copy's bytes checked once)."""
    checked: set[str] = field(default_factory=set)
    """Names in the archive whose bytes were checked against their SHA-256 by this collect."""

    def error(self, reason: str) -> AssessError:
        """The archive cannot be written (E558)."""
        return AssessError([problem(str(self.folder), None, "E558", archive=self.folder, reason=reason)])

    def open(self) -> None:
        """Make the archive folder and its sha256 folder when missing; raises AssessError (E558) when they cannot
        be used, before anything is collected."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._base().close()
        except OSError as exc:
            raise self.error(exc.strerror or str(exc)) from None

    def _base(self) -> _Dir:
        """The archive's sha256 folder (the archive folder itself is the one given, links and all)."""
        top = str(self.folder)
        fd = os.open(top, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC) if _DIR_FDS else None
        root = _Dir(top, fd)
        try:
            return root.child("sha256")
        finally:
            root.close()

    def put(self, source: str | Path, sha256: str) -> tuple[Path, Problem | None]:
        """Keep a copy of source, whose bytes were read with this SHA-256, unless the archive holds it already
        (checked once): its path in the archive, and a warning when a copy there had other bytes and was replaced.
        Raises Changed when source's bytes are no longer those, AssessError (E558) when the archive cannot be
        written."""
        if not _HEX.fullmatch(sha256):
            raise Changed(sha256)
        rel = relative(sha256, str(source))
        path = self.folder / rel
        name = os.path.basename(rel)
        try:
            base = self._base()
            try:
                folder = base.child(sha256[:2])
            finally:
                base.close()
            try:
                if rel in self.checked:
                    self.kept += 1
                    return path, None
                held = _read_digest(folder, name)
                if held == sha256:
                    self.checked.add(rel)
                    self.kept += 1
                    return path, None
                _copy(source, folder, name, sha256)
                self.checked.add(rel)
                self.new += 1
            finally:
                folder.close()
        except OSError as exc:
            raise self.error(exc.strerror or str(exc)) from None
        warning = None if held is None else problem(str(source), None, "W515", path=path)
        return path, warning

    def find(self, sha256: str | None, name: str) -> Path | None:
        """Where the archive keeps the file of this SHA-256 (collected as name), or None when it does not hold it."""
        if not sha256 or not _HEX.fullmatch(sha256):
            return None
        path = self.folder / relative(sha256, name)
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                return path
            for entry in os.scandir(path.parent):  # kept under another suffix (the same bytes, another name)
                if entry.name.startswith(sha256) and entry.is_file(follow_symlinks=False):
                    return Path(entry.path)
        except OSError:
            return None
        return None


def _read_digest(folder: _Dir, name: str) -> str | None:
    """The SHA-256 of the file name in folder; None when there is none; '' when it is not a regular file."""
    try:
        fd = os.open(folder.at(name), os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | _BINARY, dir_fd=folder.fd)
    except FileNotFoundError:
        return None
    except OSError:  # a link (ELOOP) or unreadable: replaced with the real bytes
        return ""
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        h = hashlib.sha256()
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
        return h.hexdigest()


def _copy(source: str | Path, folder: _Dir, name: str, sha256: str) -> None:
    """Copy source into folder as name, atomically: a temporary file beside it, synced, then renamed; raises
    Changed (and leaves nothing) when the bytes copied do not have this SHA-256."""
    tmp = f".{name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    fd = os.open(folder.at(tmp), flags, 0o666, dir_fd=folder.fd)
    done = False
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            try:
                src = open_regular(source)
            except OSError:  # gone, or replaced by something else than a file, since it was read
                raise Changed(str(source)) from None
            with src:
                while chunk := src.read(_CHUNK):
                    h.update(chunk)
                    out.write(chunk)
            if h.hexdigest() != sha256:
                raise Changed(str(source))
            out.flush()
            os.fsync(out.fileno())
        os.replace(folder.at(tmp), folder.at(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
        done = True
        folder.sync()
    finally:
        if not done:
            try:
                os.unlink(folder.at(tmp), dir_fd=folder.fd)
            except OSError:
                pass


def check_outside(folder: Path, paths: Iterable[str | Path]) -> None:
    """Refuse (AssessError E557) an archive folder that is one of the folders to collect, or inside one: the next
    collect of that folder would collect the archived copies too."""
    archive = Path(os.path.realpath(folder))
    for p in paths:
        if not os.path.isdir(p):
            continue
        real = Path(os.path.realpath(p))
        if archive == real or real in archive.parents:
            where = _("the folder") if archive == real else _("inside")
            raise AssessError([problem(str(folder), None, "E557", archive=folder, where=where, folder=p)])
