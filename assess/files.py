"""Provides how assess writes a user's files as their owner expects: atomically; through a symbolic link to the
file it points at (the link stays a link); an existing file keeping its mode and owner, a new one following the
umask; a read-only file recognised as such; and the temporary files of an interrupted save cleaned up."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from .i18n import N_, domain

_, ngettext, pgettext = domain("cli")

_KINDS = (
    (stat.S_ISDIR, N_("a folder")),
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)


def special_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ('a named pipe (FIFO)'), from its st_mode."""
    return _(next((kind for test, kind in _KINDS if test(mode)), N_("a special file")))


def umask() -> int:
    """The process's umask, read without changing it (Linux's /proc), else by setting it back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def new_mode() -> int:
    """The mode a new file gets, as any program's would: 0o666 less the umask (0o644 with umask 022)."""
    return 0o666 & ~umask()


def target(path: str | Path) -> Path:
    """The file a path names: the file a symbolic link points at (so a save replaces it, not the link), else
    the path itself."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def read_only(path: str | Path) -> bool:
    """Whether the file is read-only for its owner: its owner's write bit is off (decided by the mode bits, as
    root passes every permission check), or this user may not write it. False when there is no such file."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)


def write_atomic(path: str | Path, text: str, sync: bool = True) -> None:
    """Write text so that the file is either the old one or the new one, never half of either.

    sync: flush it to the disk before it replaces the old one, so that it survives a power cut too (without, it
    still survives the program being killed: for the app's own state, written at every move).

    A symbolic link is written through: its target is replaced, with the temporary file beside the target. An
    existing file keeps its mode (and its owner and group, where this user may set them); a new one gets
    new_mode()."""
    path = target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        before = os.stat(path)
    except FileNotFoundError:
        before = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            take_over(Path(tmp), before)
            if sync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if sync:
        sync_folder(folder)


def take_over(tmp: Path, before: os.stat_result | None) -> None:
    """Give a temporary file the owner (where this user may) and mode of the file it will replace, whose stat is
    before; or new_mode() when it replaces none."""
    if before is None:
        os.chmod(tmp, new_mode())
        return
    if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(tmp, before.st_uid, before.st_gid)
        except OSError:
            pass  # not ours to give away: the file becomes this user's, as any editor's save does
    os.chmod(tmp, stat.S_IMODE(before.st_mode) & 0o777)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to the disk, so that a rename in it survives a power cut (where allowed)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def leftovers(path: str | Path) -> list[Path]:
    """The temporary files interrupted saves of path left beside it (.NAME.XXXXXXXX.tmp, as write_atomic names
    them), oldest first."""
    path = target(path)
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        names = [n for n in os.listdir(folder) if pattern.fullmatch(n)]
    except OSError:
        return []
    found = []
    for n in names:
        try:
            st = os.lstat(folder / n)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found.append((st.st_mtime, folder / n))
    return [p for _, p in sorted(found)]


def remove_leftovers(path: str | Path) -> list[Path]:
    """Remove what leftovers() finds; call it only while holding the file's lock, so that no save of it is
    under way (every save of an answers file holds the lock). The files removed."""
    removed = []
    for p in leftovers(path):
        try:
            p.unlink()
        except OSError:
            continue
        removed.append(p)
    return removed
