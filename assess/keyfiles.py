"""Provides a mission's key files: MISSION.key (private, owner-only) and MISSION.pub (what headquarters trusts),
written never over an existing file and read as hostile input (headquarters receives .pub files by email)."""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import AssessError, Problem, problem
from .files import new_mode, sync_folder
from .i18n import domain
from .signing import (
    KEY_BYTES,
    UNREADABLE,
    PassphraseError,
    PublicKey,
    SigningKey,
    fingerprint,
    is_fingerprint,
    load_private,
    pem_encrypted,
    private_pem,
    raw_public,
)
from .yamlsafe import Located, not_a_file, parse, read_bytes
from .yamlwrite import dumps

_, ngettext, pgettext = domain("cli")

PUBLIC_FORMAT = "assess-public-key/1"
PRIVATE_FORMAT = "assess-signing-key/1"
MAX_KEY_FILE_BYTES = 64 * 1024
"""Largest key file read: one is under 1 KB, so anything larger is not one."""
MAX_MISSION = 200
"""Most characters a mission's name may have."""
PASSPHRASE_VARIABLE = "ASSESS_KEY_PASSPHRASE"
SIGNING_KEY_VARIABLE = "ASSESS_SIGNING_KEY"
"""The variable naming the key file reports are signed with when no --sign is given (assess.report's too)."""
MIN_PASSPHRASE = 12
"""Fewest characters of a new key's passphrase: whoever copies the .key file can try passphrases offline, without
limit, so a short one falls to a guesser however slow each try is made (signing.KDF_ROUNDS)."""
_FIELDS = {
    PUBLIC_FORMAT: ("format", "mission", "created", "fingerprint", "public_key"),
    PRIVATE_FORMAT: ("format", "mission", "created", "fingerprint", "private_key"),
}
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))  # embeddings, overrides, isolates
_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def check_mission(mission: str, file: str = "--mission", pos: tuple[int, int] | None = None) -> str:
    """The mission's name as keys record it (spaces at either end dropped); E536 when it is empty, longer than
    MAX_MISSION characters, or holds a control character (a line break, a tab, a right-to-left override)."""
    name = mission.strip()
    bad = next((c for c in name if _control(c)), None)
    if not name:
        why = _("is empty")
    elif bad is not None:
        why = _("holds a control character (U+{code:04X})").format(code=ord(bad))
    elif len(name) > MAX_MISSION:
        why = _("is {count} characters long").format(count=len(name))
    else:
        return name
    raise AssessError([problem(file, pos, "E536", problem=why, limit=MAX_MISSION)])


def _control(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Zl", "Zp") or ord(c) in _BIDI


def file_stem(mission: str) -> str:
    """The name key files of a mission take: its name with every run of characters unsafe in a file name (spaces,
    slashes, colons…) made one '_', no leading dot, at most 100 characters; 'mission' when nothing is left."""
    stem = _UNSAFE_NAME.sub("_", mission).strip("._")[:100].rstrip("._")
    return stem or "mission"


def now() -> str:
    """The current UTC time as key files record it (2026-05-01T09:30:00Z)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- writing


def public_text(key: PublicKey) -> str:
    """The text of a .pub file: a comment saying what it is, then format, mission, created, fingerprint, key."""
    head = f"# assess public key of mission {key.mission}: send this file to headquarters (it signs nothing)\n"
    return head + dumps(
        {
            "format": PUBLIC_FORMAT,
            "mission": key.mission,
            "created": key.created,
            "fingerprint": key.fingerprint,
            "public_key": base64.b64encode(key.key).decode("ascii"),
        }
    )


def private_text(key: SigningKey, passphrase: bytes | None) -> str:
    """The text of a .key file: a comment saying to keep it secret, the fields, and the PEM (encrypted with
    passphrase when one is given)."""
    head = f"# assess signing key of mission {key.mission}: keep it secret, never send it; it signs its reports\n"
    return head + dumps(
        {
            "format": PRIVATE_FORMAT,
            "mission": key.mission,
            "created": key.created,
            "fingerprint": key.public.fingerprint,
            "private_key": private_pem(key, passphrase).decode("ascii"),
        }
    )


def key_paths(mission: str, folder: Path) -> tuple[Path, Path]:
    """Where a mission's key files go in folder: MISSION.key and MISSION.pub (file_stem of the name)."""
    stem = file_stem(mission)
    return folder / f"{stem}.key", folder / f"{stem}.pub"


def write_key_pair(key: SigningKey, folder: Path, passphrase: bytes | None) -> tuple[Path, Path]:
    """Write key's MISSION.key (owner-only, 0600) and MISSION.pub in folder (made when missing); returns their paths.

    Each is written whole to a temporary file and then linked to its name, which fails when the name exists: an
    existing file (or link) is never overwritten (E537), and no half-written key is ever seen under its name. When
    the .pub cannot be written, the .key just written is removed: both are made, or neither."""
    key_path, pub_path = key_paths(key.mission, folder)
    for path in (key_path, pub_path):
        if os.path.lexists(path):
            raise AssessError([problem(str(path), None, "E537", path=path)])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssessError([problem(str(folder), None, "E001", reason=exc.strerror or str(exc))]) from None
    _publish(key_path, private_text(key, passphrase).encode("utf-8"), 0o600)
    try:
        _publish(pub_path, public_text(key.public).encode("utf-8"), new_mode())
    except BaseException:
        key_path.unlink(missing_ok=True)
        raise
    sync_folder(folder)
    return key_path, pub_path


def _publish(path: Path, data: bytes, mode: int) -> None:
    """Write data to a new file at path with mode, never over an existing one (E537), never seen half-written."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600, O_EXCL
    except OSError as exc:
        raise AssessError([problem(str(path), None, "E513", what=path, reason=exc.strerror or str(exc))]) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                os.chmod(tmp, mode)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # fails when path exists: the no-overwrite rename
            except FileExistsError:
                raise AssessError([problem(str(path), None, "E537", path=path)]) from None
            except OSError:  # a file system without hard links (FAT, some shares): create it exclusively
                _write_exclusive(path, data, mode)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        raise AssessError([problem(str(path), None, "E513", what=path, reason=exc.strerror or str(exc))]) from None


def _write_exclusive(path: Path, data: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise AssessError([problem(str(path), None, "E537", path=path)]) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class KeyFile:
    """What a key file says, its fields checked (a private key's PEM not yet opened)."""

    path: str
    private: bool
    """A .key file (format assess-signing-key/1), else a .pub."""
    mission: str
    created: str
    fingerprint: str
    key: bytes
    """The public key's 32 raw bytes (a .pub), else the PEM's bytes (a .key)."""
    encrypted: bool
    """A .key whose PEM is protected by a passphrase."""
    located: Located


def read_key_file(path: str | Path, want: str | None = None) -> KeyFile:
    """Read a .pub or .key file and check every field (a .pub's fingerprint against its key too); AssessError
    with a located, coded message for anything that is not as 'assess key new' wrote it. want: 'public' refuses a
    .key (E542), 'private' a .pub (E543), before any other field is looked at."""
    name = str(path)
    doc = _load(path)
    data = doc.data
    if not isinstance(data, dict):
        found = _("a list") if isinstance(data, list) else _("a single value")
        raise AssessError([not_a_key(name, doc.pos(()), _("it holds {found}").format(found=found))])
    form = data.get("format")
    if form not in _FIELDS:
        if "format" not in data:
            detail = _("it has no 'format' line")
        else:
            detail = _("its format is {found}, not {public} or {private}").format(
                found=_shown(form), public=PUBLIC_FORMAT, private=PRIVATE_FORMAT
            )
        raise AssessError([not_a_key(name, doc.pos(("format",)), detail)])
    if want is not None and (form == PRIVATE_FORMAT) != (want == "private"):
        raise AssessError([problem(name, doc.pos(("format",)), "E543" if want == "private" else "E542")])
    fields = _FIELDS[str(form)]
    for k in data:
        if k not in fields:
            why = _("is not a field of a key file (its fields: {fields})").format(fields=", ".join(fields))
            raise AssessError([problem(name, doc.pos((k,), key=True), "E544", field=_shown(k), problem=why)])
    for k in fields:
        if k not in data:
            raise AssessError([problem(name, None, "E544", field=k, problem=_("is missing"))])
        if not isinstance(data[k], str):
            raise AssessError([problem(name, doc.pos((k,)), "E544", field=k, problem=_("is not text"))])
    mission = check_mission(data["mission"], name, doc.pos(("mission",)))
    created = data["created"]
    if not _valid_time(created):
        why = _("{found} is not a UTC time such as 2026-05-01T09:30:00Z").format(found=_shown(created))
        raise AssessError([problem(name, doc.pos(("created",)), "E544", field="created", problem=why)])
    stated = data["fingerprint"]
    if not is_fingerprint(stated):
        why = _("{found} is not a fingerprint (SHA256: and 43 base64 characters)").format(found=_shown(stated))
        raise AssessError([problem(name, doc.pos(("fingerprint",)), "E544", field="fingerprint", problem=why)])
    private = form == PRIVATE_FORMAT
    if private:
        key = data["private_key"].encode("utf-8")
        encrypted = pem_encrypted(key)
    else:
        key = _public_bytes(doc, data["public_key"])
        encrypted = False
        if fingerprint(key) != stated:
            altered = problem(name, doc.pos(("fingerprint",)), "E546", found=stated, computed=fingerprint(key))
            raise AssessError([altered])
    return KeyFile(name, private, mission, created, stated, key, encrypted, doc)


def not_a_key(name: str, pos: tuple[int, int] | None, detail: str) -> Problem:
    """E541 for the file name, which cannot be read as a key for the reason detail: said of the signing key
    $ASSESS_SIGNING_KEY names, with the fix to correct or unset the variable, when name is what it names (in the
    app, in assess report without --sign); else of the file, with the fix to give the one 'assess key new' wrote."""
    if named_by_environment(name):
        source = _("the signing key named by ${variable} ({path})").format(variable=SIGNING_KEY_VARIABLE, path=name)
        fix = _("fix the path, or unset {variable}").format(variable=SIGNING_KEY_VARIABLE)
    else:
        source = _("the file")
        fix = _("give the MISSION.pub (or MISSION.key) file that 'assess key new' wrote")
    return problem(name, pos, "E541", source=source, detail=detail, fix=fix)


def named_by_environment(path: str | Path) -> bool:
    """Whether path is the signing key file $ASSESS_SIGNING_KEY names (its text, as given)."""
    named = os.environ.get(SIGNING_KEY_VARIABLE)
    return bool(named) and named == str(path)


def _load(path: str | Path) -> Located:
    """A key file's YAML, read as any user's file is (assess.yamlsafe), refused in a key file's words: empty, too
    large, binary, not UTF-8 or not YAML is not a key file (E541); one that cannot be read at all (missing, not
    allowed, a folder) is said as any file is (E001, E017), but for $ASSESS_SIGNING_KEY's key (E541 naming it)."""
    name = str(path)
    try:
        raw = read_bytes(path, MAX_KEY_FILE_BYTES)
    except AssessError as exc:
        first = exc.problems[0]
        if first.code in ("E005", "E018"):
            detail = _("it is larger than {limit} bytes, and a key file is under 1 KB").format(limit=MAX_KEY_FILE_BYTES)
        elif named_by_environment(name):
            detail = _why_unreadable(path) or first.message
        else:
            raise
        raise AssessError([not_a_key(name, None, detail)]) from None
    if b"\x00" in raw:
        raise AssessError(
            [not_a_key(name, None, _("it is not text (it holds NUL bytes, as a document or a picture does)"))]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessError([not_a_key(name, None, _("it is not UTF-8 text"))]) from None
    try:
        return parse(text, name)
    except AssessError as exc:
        first = exc.problems[0]
        if first.code == "E002":
            raise AssessError([not_a_key(name, None, _("it is empty"))]) from None
        if first.code == "E007":
            pos = (first.line, first.col) if first.line else None
            raise AssessError([not_a_key(name, pos, _("it is not YAML text, as a key file is"))]) from None
        raise


def _why_unreadable(path: str | Path) -> str | None:
    """Why a file cannot be read, in the system's words ('No such file or directory'), or that it is a folder."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return _("it is {kind}").format(kind=not_a_file(st.st_mode))
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _public_bytes(doc: Located, text: str) -> bytes:
    where = doc.pos(("public_key",))
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        why = _("is not base64 (the key's 32 bytes, as 'assess key new' writes them)")
        raise AssessError([problem(doc.file, where, "E544", field="public_key", problem=why)]) from None
    if len(raw) != KEY_BYTES:
        why = _("holds {count} bytes, not the {expected} of an Ed25519 public key").format(
            count=len(raw), expected=KEY_BYTES
        )
        raise AssessError([problem(doc.file, where, "E544", field="public_key", problem=why)])
    return raw


def _valid_time(text: str) -> bool:
    if not _CREATED.fullmatch(text):
        return False
    try:
        datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def _shown(value: object) -> str:
    """A value from a hostile file, quoted and cut short for a message."""
    text = repr(value) if not isinstance(value, str) else "'" + value + "'"
    return text if len(text) <= 60 else text[:48] + "…'"


def read_public_key(path: str | Path) -> PublicKey:
    """The public key a .pub file holds, every field checked; a .key given instead is refused (E542)."""
    kf = read_key_file(path, "public")
    return PublicKey(kf.mission, kf.key, kf.created)


def needs_passphrase(path: str | Path) -> bool:
    """Whether a .key file is protected by a passphrase (its fields checked: AssessError as read_signing_key)."""
    return read_key_file(path, "private").encrypted


def read_signing_key(path: str | Path, passphrase: bytes | None, warnings: list[Problem] | None = None) -> SigningKey:
    """The private key a .key file holds, opened with passphrase when it is protected by one.

    Refused: a .pub (E543), no passphrase for a protected key (E539), a wrong one (E540), a PEM that is not an
    Ed25519 key (E544), a fingerprint not the key's (E546). A file others may read gets W509, added to warnings
    when a list is given (the key is still read, as it is the user's own file)."""
    kf = read_key_file(path, "private")
    if warnings is not None:
        warnings.extend(permission_warnings(path))
    where = kf.located.pos(("private_key",))
    try:
        private = load_private(kf.key, passphrase)
    except PassphraseError as exc:
        raise AssessError([problem(kf.path, None, "E539" if exc.kind == "needed" else "E540")]) from None
    except ValueError as exc:
        if str(exc) == UNREADABLE:
            why = _("is not a private key in PEM form")
        else:
            why = _("holds a key of another kind ({kind}), not an Ed25519 key").format(kind=exc)
        raise AssessError([problem(kf.path, where, "E544", field="private_key", problem=why)]) from None
    computed = fingerprint(raw_public(private))
    if computed != kf.fingerprint:
        altered = problem(kf.path, kf.located.pos(("fingerprint",)), "E546", found=kf.fingerprint, computed=computed)
        raise AssessError([altered])
    return SigningKey(kf.mission, kf.created, private)


def permission_warnings(path: str | Path) -> list[Problem]:
    """W509 when a private key file can be read (or written) by its group or others (POSIX), as ssh checks."""
    if os.name != "posix":
        return []
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return []
    if not mode & 0o077:
        return []
    return [problem(str(path), None, "W509", mode=f"{mode:04o}", path=path)]


def env_passphrase() -> bytes | None:
    """$ASSESS_KEY_PASSPHRASE in UTF-8, when set and not empty."""
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value.encode("utf-8") if value else None


def open_signing_key(path: str | Path) -> tuple[SigningKey, list[Problem]]:
    """The private key of a .key file for signing, with its warnings (W509): a protected key is opened with
    $ASSESS_KEY_PASSPHRASE, else a passphrase asked on the terminal, else refused (E539)."""
    warnings: list[Problem] = []
    passphrase = None
    if needs_passphrase(path):
        passphrase = env_passphrase()
        if passphrase is None and sys.stdin.isatty():
            import getpass

            typed = getpass.getpass(_("passphrase of {path}: ").format(path=path))
            passphrase = typed.encode("utf-8") if typed else None
    return read_signing_key(path, passphrase, warnings), warnings
