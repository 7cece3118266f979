"""Provides the key commands: assess key new (a mission's key pair), trust, list and revoke (headquarters' store of
the missions' public keys), show (what a key file is).

assess/cli.py wires them in with add_commands(sub). The key files and signatures are assess.keyfiles' and
assess.signing's, imported by the commands that use them (cryptography and YAML are not loaded for --help).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .arguments import FILE, completes, examples
from .errors import AssessError, Problem, problem
from .i18n import N_, domain
from .terminal import echo, visible

_, ngettext, pgettext = domain("cli")

STORE_HELP = N_(
    "the store: a SQLite file or a postgresql:// URL (default: $ASSESS_STORE, else collect.sqlite in your user data "
    "folder)"
)
MIN_PREFIX = 12
"""Fewest characters (after SHA256:) of a fingerprint that revoke takes for the whole."""
MAX_REASON = 200


def add_commands(sub: Any) -> None:
    """Register 'assess key' and its commands (new, trust, list, revoke, show) on an argparse subparsers object."""
    top = sub.add_parser(
        "key",
        help=_("make a mission's signing key; trust, list and revoke the missions' keys at headquarters"),
        epilog=examples(
            "assess key new --mission MINUSKES --passphrase      " + _("(a mission: MINUSKES.key and MINUSKES.pub)"),
            "assess key trust MINUSKES.pub --store hq.sqlite     " + _("(headquarters)"),
            "assess key list --store hq.sqlite",
            "assess key revoke SHA256:AbCdEfGhIjKl --reason rotated --store hq.sqlite",
        ),
    )
    keys = top.add_subparsers(dest="key_command", metavar="COMMAND")
    top.set_defaults(func=lambda args: _usage(top))
    p = keys.add_parser(
        "new",
        help=_("make a mission's key pair: MISSION.key (secret, signs reports) and MISSION.pub (for headquarters)"),
        epilog=examples(
            "assess key new --mission MINUSKES",
            "assess key new --mission MINUSKES -o ~/keys --passphrase",
            "ASSESS_KEY_PASSPHRASE=... assess key new --mission MINUSKES --passphrase   " + _("(no terminal)"),
        ),
    )
    p.add_argument("--mission", required=True, help=_("the mission's name, as its reports give it"))
    folder = p.add_argument("-o", "--output", metavar="FOLDER", help=_("where to write the two files (default: here)"))
    completes(folder, FILE)
    p.add_argument(
        "--passphrase",
        action="store_true",
        help=_(
            "protect the private key with a passphrase of 12 characters or more (asked twice, or "
            "$ASSESS_KEY_PASSPHRASE)"
        ),
    )
    p.set_defaults(func=cmd_new)
    p = keys.add_parser(
        "trust",
        help=_("trust missions' public keys (.pub files, or folders of them) in the headquarters store"),
        epilog=examples("assess key trust MINUSKES.pub --store hq.sqlite", "assess key trust received-keys/"),
    )
    completes(p.add_argument("files", nargs="+", metavar="FILE", help=_("a .pub file, or a folder of them")), FILE)
    _store_option(p)
    p.set_defaults(func=cmd_trust)
    p = keys.add_parser(
        "list",
        help=_("list the keys the store trusts: mission, fingerprint, status, revisions signed"),
        epilog=examples("assess key list --store hq.sqlite"),
    )
    _store_option(p)
    p.set_defaults(func=cmd_list)
    p = keys.add_parser(
        "revoke",
        help=_("revoke a key: reports signed with it are refused from now on"),
        epilog=examples(
            "assess key revoke SHA256:AbCdEfGhIjKl --reason rotated",
            "assess key revoke SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG --reason 'laptop stolen'",
        ),
    )
    p.add_argument("fingerprint", metavar="FINGERPRINT", help=_("as 'assess key list' shows it, or its start"))
    p.add_argument("--reason", help=_("why (rotated, lost, stolen…): 'assess key list' shows it"))
    _store_option(p)
    p.set_defaults(func=cmd_revoke)
    p = keys.add_parser(
        "show",
        help=_("say what a key file is: mission, fingerprint, created, private or public"),
        epilog=examples("assess key show MINUSKES.pub", "assess key show MINUSKES.key"),
    )
    completes(p.add_argument("file", metavar="FILE", help=_("a .key or .pub file")), FILE)
    p.set_defaults(func=cmd_show)


def _store_option(p: argparse.ArgumentParser) -> None:
    completes(p.add_argument("--store", metavar="ADDRESS", help=_(STORE_HELP)), FILE)


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 2


def store_address(arg: str | None) -> str | Path:
    """The store --store names: the text given (a file path or a URL), else the default store."""
    from .collect.store import default_path

    return arg if arg else default_path()


# ---------------------------------------------------------------------------- new


def cmd_new(args: argparse.Namespace) -> int:
    """assess key new: write MISSION.key and MISSION.pub, and say what to do with each."""
    from .keyfiles import check_mission, key_paths, now, write_key_pair
    from .signing import new_key

    mission = check_mission(args.mission)
    folder = Path(args.output) if args.output else Path(".")
    for path in key_paths(mission, folder):  # refused before a passphrase is asked for nothing
        if path.exists() or path.is_symlink():
            raise AssessError([problem(str(path), None, "E537", path=path)])
    passphrase = new_passphrase() if args.passphrase else None
    key = new_key(mission, now())
    key_path, pub_path = write_key_pair(key, folder, passphrase)
    protected = _("not protected by a passphrase")
    if passphrase:
        from .keyfiles import env_passphrase

        given = env_passphrase() is not None
        protected = (
            _("protected by the passphrase in ASSESS_KEY_PASSPHRASE") if given else _("protected by a passphrase")
        )
    echo(
        _("wrote {path}: the private key ({protected}); keep it secret, on the mission's computer").format(
            path=key_path, protected=protected
        )
    )
    echo(_("wrote {path}: the public key").format(path=pub_path))
    echo(_("fingerprint {fingerprint}").format(fingerprint=key.public.fingerprint))
    echo(_("next:"))
    echo(
        "  "
        + _(
            "send {path} to headquarters (never the .key), and tell them the fingerprint by another channel "
            "(phone, in person) for them to check before 'assess key trust'"
        ).format(path=pub_path.name)
    )
    echo("  " + _("sign each report with it: assess report ANSWERS -o REPORT.docx --sign {path}").format(path=key_path))
    return 0


def new_passphrase() -> bytes:
    """A new key's passphrase: $ASSESS_KEY_PASSPHRASE when set and not empty, else typed twice on the terminal.
    Refused: shorter than MIN_PASSPHRASE characters (E531), empty, not the same twice, or no terminal to ask on
    (E538)."""
    import getpass
    import os

    from .keyfiles import PASSPHRASE_VARIABLE, env_passphrase

    given = env_passphrase()
    if given is not None:
        return long_enough(given.decode("utf-8"), PASSPHRASE_VARIABLE)
    if not sys.stdin.isatty():
        if os.environ.get(PASSPHRASE_VARIABLE) is None:
            why = _("there is no terminal to ask it on, and {variable} is not set")
        else:
            why = _("there is no terminal to ask it on, and {variable} is empty")
        raise AssessError([problem("assess key new", None, "E538", problem=why.format(variable=PASSPHRASE_VARIABLE))])
    first = getpass.getpass(_("passphrase for the new key: "))
    if not first:
        raise AssessError([problem("assess key new", None, "E538", problem=_("the passphrase is empty"))])
    long_enough(first, _("the passphrase"))  # before it is typed again for nothing
    if getpass.getpass(_("the same passphrase again: ")) != first:
        raise AssessError([problem("assess key new", None, "E538", problem=_("the two passphrases differ"))])
    return first.encode("utf-8")


def long_enough(passphrase: str, source: str) -> bytes:
    """passphrase in UTF-8 when it has MIN_PASSPHRASE characters or more; else AssessError E531 naming source
    (the variable, or 'the passphrase' typed)."""
    from .keyfiles import MIN_PASSPHRASE

    if len(passphrase) < MIN_PASSPHRASE:
        short = problem("assess key new", None, "E531", source=source, length=len(passphrase), minimum=MIN_PASSPHRASE)
        raise AssessError([short])
    return passphrase.encode("utf-8")


# ---------------------------------------------------------------------------- trust, list, revoke


def pub_files(args: list[str]) -> tuple[list[Path], list[Problem]]:
    """The .pub files the arguments name (a folder: the *.pub files in it), and the problems of those that name
    none (E508 missing, W511 a folder without any)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in args:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.glob("*.pub") if f.is_file())
            if not found:
                problems.append(problem(raw, None, "W511"))
            files += found
        elif p.exists() or p.is_symlink():
            files.append(p)
        else:
            problems.append(problem(raw, None, "E508"))
    return files, problems


def cmd_trust(args: argparse.Namespace) -> int:
    """assess key trust: record each .pub's key in the store (a key already trusted for another mission, or revoked,
    is refused); exit 1 when any file is refused."""
    from .collect.store import Store
    from .keyfiles import read_public_key

    files, problems = pub_files(args.files)
    for p in problems:
        echo(p, err=True)
    failed = len(problems)
    read: list[Any] = []  # in the order given: (file, PublicKey), or the problems of a file refused
    for f in files:
        try:
            read.append((str(f), read_public_key(f)))
        except AssessError as exc:
            read.append(exc.problems)
    if all(isinstance(r, list) for r in read):  # no key to trust: the store is not opened (nor made)
        for r in read:
            for p in r:
                echo(p, err=True)
        return 1
    with Store(store_address(args.store)) as store:
        for r in read:
            try:
                lines = r if isinstance(r, list) else trust(store, r[1], r[0])
            except AssessError as exc:
                lines = exc.problems
            failed += any(isinstance(line, Problem) and not line.is_warning for line in lines)
            for line in lines:
                echo(line, err=isinstance(line, Problem))
        where = store.path
    echo(_("store {path}").format(path=where), err=True)
    return 1 if failed else 0


def trust(store: Any, key: Any, name: str) -> list[str | Problem]:
    """Trust a PublicKey in store, read from the file name: what to print (trusted, or already trusted; W512 when
    the mission has another key active); AssessError E547 (a key of another mission) or E548 (revoked: final)."""
    from .collect.store import same_mission
    from .keyfiles import now

    fp = key.fingerprint
    held = {k["fingerprint"]: k for k in store.keys()}
    known = held.get(fp)
    if known is None:
        added = store.put_key(
            {
                "fingerprint": fp,
                "mission": key.mission,
                "public_key": _b64(key.key),
                "created": key.created,
                "trusted_at": now(),
            }
        )
        if added:
            out: list[str | Problem] = [
                _("trusted {mission} {fingerprint}").format(mission=key.mission, fingerprint=fp)
            ]
            others = [
                k["fingerprint"]
                for k in held.values()
                if same_mission(k["mission"], key.mission) and not k["revoked_at"]
            ]
            if others:
                out.append(problem(name, None, "W512", mission=key.mission, others=", ".join(others)))
            return out
        known = next(k for k in store.keys() if k["fingerprint"] == fp)  # trusted meanwhile by another desk
    if not same_mission(known["mission"], key.mission):
        raise AssessError([problem(name, None, "E547", fingerprint=fp, held=known["mission"], found=key.mission)])
    if known["revoked_at"]:
        found = problem(
            name, None, "E548", fingerprint=fp, mission=known["mission"], date=known["revoked_at"],
            reason=known["revoked_reason"] or "",
        )  # fmt: skip
        raise AssessError([found])
    return [_("already trusted {mission} {fingerprint}").format(mission=known["mission"], fingerprint=fp)]


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


def cmd_list(args: argparse.Namespace) -> int:
    """assess key list: a table of the keys the store trusts, revoked ones too."""
    from .collect.store import Store

    with Store(store_address(args.store), create=False) as store:
        keys = store.keys()
        where = store.path
    for line in key_table(keys):
        echo(line)
    count = len(keys)
    echo(ngettext("{count} key in {path}", "{count} keys in {path}", count).format(count=count, path=where), err=True)
    if not keys:
        echo(_("trust a mission's key with: assess key trust MISSION.pub"), err=True)
    return 0


def key_table(keys: list[dict[str, Any]]) -> list[str]:
    """The keys as a table: a header, then a row per key (mission, fingerprint, created, trusted on, status,
    revisions signed); nothing when there is no key. The columns are as wide as their text is on a terminal: as
    echo shows it (a control character as an escape such as \\x1b), a wide character (CJK) taking two cells."""
    from rich.cells import cell_len  # the width the app measures text with, here for the printed, visible() text

    if not keys:
        return []
    head = [_("mission"), _("fingerprint"), _("created"), _("trusted on"), _("status"), _("revisions signed")]
    rows = [head]
    for k in keys:
        if k["revoked_at"]:
            status = _("revoked on {date} ({reason})").format(
                date=_day(k["revoked_at"]), reason=k["revoked_reason"] or ""
            )
        else:
            status = _("active")
        rows.append([_cut(k["mission"], 30), k["fingerprint"], _day(k["created"]), _day(k["trusted_at"]),
                     status, str(k.get("signed") or 0)])  # fmt: skip
    shown = [[visible(c) for c in r] for r in rows]
    widths = [max(cell_len(r[i]) for r in shown) for i in range(len(head))]
    return ["  ".join(c + " " * (w - cell_len(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in shown]


def _day(when: str | None) -> str:
    return (when or "")[:10] or "—"


def _cut(text: str, width: int) -> str:
    """text cut where it shows wider than width terminal cells (as visible() shows it), an ellipsis at the end."""
    from rich.cells import cell_len

    if cell_len(visible(text)) <= width:
        return text
    cut, used = "", 0
    for c in text:
        used += cell_len(visible(c))
        if used > width - 1:
            break
        cut += c
    return cut + "…"


def cmd_revoke(args: argparse.Namespace) -> int:
    """assess key revoke: revoke a trusted key from now on (given whole, or by its start)."""
    from .collect.store import Store
    from .keyfiles import now

    reason = clean_reason(args.reason)
    with Store(store_address(args.store), create=False) as store:
        where = store.path
        key = find_key(store.keys(), args.fingerprint, str(where))
        fp = key["fingerprint"]
        if not key["revoked_at"] and not store.revoke_key(fp, now(), reason):
            key = find_key(store.keys(), fp, str(where))  # revoked meanwhile by another desk
        if key["revoked_at"]:
            when, why = key["revoked_at"], key["revoked_reason"]
            echo(problem(str(where), None, "W510", fingerprint=fp, date=when, reason=why), err=True)
            return 0
    echo(_("revoked {mission} {fingerprint} ({reason})").format(mission=key["mission"], fingerprint=fp, reason=reason))
    signed = int(key.get("signed") or 0)
    echo(
        ngettext(
            "reports signed with it are refused from now on; the {count} revision it signed stays in {path}, "
            "listed as signed by a revoked key",
            "reports signed with it are refused from now on; the {count} revisions it signed stay in {path}, "
            "listed as signed by a revoked key",
            signed,
        ).format(count=signed, path=where)
    )
    return 0


def clean_reason(reason: str | None) -> str:
    """A revocation's reason as stored: one line (control characters and runs of spaces made one space), at most
    MAX_REASON characters; 'unspecified' when none is given."""
    if not reason:
        return "unspecified"
    text = " ".join("".join(c if c.isprintable() else " " for c in reason).split())
    return (text[:MAX_REASON] if len(text) > MAX_REASON else text) or "unspecified"


def find_key(keys: list[dict[str, Any]], given: str, store: str) -> dict[str, Any]:
    """The key a fingerprint names: the one with that fingerprint, else the one it is the start of (at least
    MIN_PREFIX characters after SHA256:); AssessError E549 (located at the store) for none, several, or a start
    too short."""
    text = given.strip()
    for k in keys:
        if k["fingerprint"] == text:
            return k
    body = text.removeprefix("SHA256:")
    if len(body) < MIN_PREFIX:
        detail = _("no trusted key has the fingerprint {given} (a start of one needs {count} characters after SHA256:)")
        raise AssessError([problem(store, None, "E549", detail=detail.format(given=given, count=MIN_PREFIX))])
    found = [k for k in keys if k["fingerprint"].removeprefix("SHA256:").startswith(body)]
    if len(found) == 1:
        return found[0]
    if not found:
        detail = _("no trusted key has a fingerprint that is or starts with {given}").format(given=given)
    else:
        detail = _("{count} keys have a fingerprint starting with {given}: {found}").format(
            count=len(found), given=given, found=", ".join(k["fingerprint"] for k in found)
        )
    raise AssessError([problem(store, None, "E549", detail=detail)])


# ---------------------------------------------------------------------------- show


def cmd_show(args: argparse.Namespace) -> int:
    """assess key show: what a key file is (private or public), its mission, fingerprint and date, checked."""
    from .keyfiles import env_passphrase, permission_warnings, read_key_file, read_public_key, read_signing_key

    kf = read_key_file(args.file)
    warnings: list[Problem] = []
    if not kf.private:
        read_public_key(args.file)
        kind = _("public key: send it to headquarters (it signs nothing)")
    elif not kf.encrypted or env_passphrase() is not None:
        read_signing_key(args.file, env_passphrase(), warnings)  # the PEM opened: its key's fingerprint checked
        protected = _("protected by a passphrase") if kf.encrypted else _("not protected by a passphrase")
        kind = _("private key, {protected}: keep it secret; it signs the mission's reports").format(protected=protected)
    else:
        warnings += permission_warnings(args.file)
        kind = _(
            "private key, protected by a passphrase: keep it secret; it signs the mission's reports (set "
            "ASSESS_KEY_PASSPHRASE to check it opens)"
        )
    for w in warnings:
        echo(w, err=True)
    echo(_("file: {path}").format(path=args.file))
    echo(_("kind: {kind}").format(kind=kind))
    echo(_("mission: {mission}").format(mission=kf.mission))
    echo(_("fingerprint: {fingerprint}").format(fingerprint=kf.fingerprint))
    echo(_("created: {created}").format(created=kf.created))
    return 0
