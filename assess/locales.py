"""Provides the gettext catalogues' upkeep with Babel: update, compile, check, count (python -m assess.locales).

Each domain of assess/i18n.py is extracted from its own files; the `cli` domain also holds every message of
errors.py, with its code as the context. A translator edits locale/<language>/LC_MESSAGES/<domain>.po (any PO
editor: Poedit, Weblate, Lokalize); `compile` writes the .mo beside it, which assess reads.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import DOMAINS, LOCALE

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PACKAGE = Path(__file__).parent

SOURCES: dict[str, tuple[str, ...]] = {
    "cli": ("*.py", "builder/*.py", "checks/*.py", "model/*.py", "scoring/*.py"),
    "app": ("tui/**/*.py",),
    "report": ("report/*.py",),
    "hq": ("collect/*.py",),
}
"""Each domain's files, as globs under assess/."""

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
"""The functions whose string arguments are extracted (those assess/i18n.py gives a module)."""

WIDTH = 100
"""Line width of the .po files written."""


def files(domain: str) -> list[Path]:
    """The source files of a domain, sorted."""
    found = {p for pattern in SOURCES[domain] for p in PACKAGE.glob(pattern)}
    return sorted(p for p in found if p.name != "locales.py")


def template(domain: str) -> Catalog:
    """The domain's messages as found in its files now (and, for cli, errors.py's messages by code)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    cat = Catalog(project="assess", domain=domain, charset="utf-8")
    for path in files(domain):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        for lineno, message, comments, context in extract_from_file("python", str(path), keywords=KEYWORDS):
            cat.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    if domain == "cli":
        from .errors import MESSAGES, WARNINGS

        for code, text in [*MESSAGES.items(), *WARNINGS.items()]:
            cat.add(text, None, [("assess/errors.py", 0)], context=code)
    return cat


def po_path(domain: str, lang: str) -> Path:
    """Where a language's catalogue of a domain is."""
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def languages() -> list[str]:
    """The languages with a catalogue folder."""
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()) if LOCALE.is_dir() else []


def read(path: Path) -> Catalog:
    """A .po file read."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f)


def _po_bytes(cat: Catalog) -> bytes:
    """A catalogue as .po bytes, without line numbers (so moving code does not churn the file)."""
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, cat, width=WIDTH, include_lineno=False, ignore_obsolete=True, sort_output=False)
    return out.getvalue()


def _mo_bytes(cat: Catalog) -> bytes:
    """A catalogue compiled to .mo bytes (fuzzy entries left out: they show in English)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, cat, use_fuzzy=False)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Write bytes to path atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def update(domain: str, lang: str) -> Path:
    """Bring a language's .po of a domain up to date with the code: new messages added untranslated, vanished
    ones dropped, translations kept (a changed source string keeps its old translation marked fuzzy)."""
    from babel.messages.catalog import Catalog

    path = po_path(domain, lang)
    cat = read(path) if path.is_file() else Catalog(locale=lang.replace("-", "_"), domain=domain)
    source = template(domain)
    source.creation_date = cat.creation_date  # the header changes only when a translator's tool sets it
    cat.update(source)
    cat.obsolete.clear()
    cat.project, cat.version, cat.fuzzy = "assess", "1", False
    cat.msgid_bugs_address = "the assess issue tracker"
    cat.copyright_holder = "the assess authors"
    cat.header_comment = (
        f"# {cat.locale_identifier} translation of assess's {domain} messages ({SOURCES[domain][0]} …).\n"
        "# Copyright (C) the assess authors; Apache-2.0, as the code.\n"
        "# Update: python -m assess.locales update; compile: python -m assess.locales compile."
    )
    if cat.last_translator.startswith("FULL NAME"):
        cat.last_translator = "the assess authors"
    if isinstance(cat.revision_date, str):  # never set: the date of the catalogue's first update
        cat.revision_date = cat.creation_date
    if "LL@li.org" in (cat.language_team or ""):
        cat.language_team = f"{cat.locale_identifier} <the assess issue tracker>"
    _write(path, _po_bytes(cat))
    return path


def compile_(domain: str, lang: str) -> Path:
    """Compile a language's .po of a domain to the .mo beside it."""
    path = po_path(domain, lang)
    mo = path.with_suffix(".mo")
    _write(mo, _mo_bytes(read(path)))
    return mo


def placeholders(text: str) -> set[str]:
    """The {placeholders} of a str.format text."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed braces>"}


def problems(domain: str, lang: str) -> Iterator[str]:
    """What is wrong with a language's catalogue of a domain: stale against the code, a .mo stale against its
    .po, a translation whose placeholders differ from its source's."""
    path = po_path(domain, lang)
    if not path.is_file():
        return
    cat = read(path)
    have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in cat if m.id}
    want = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template(domain) if m.id}
    for ctx, msg in sorted(want - have, key=str):
        yield f"{path.name}: not in the catalogue ({ctx or 'no context'}): {msg[:60]!r}; run update"
    for ctx, msg in sorted(have - want, key=str):
        yield f"{path.name}: no longer in the code ({ctx or 'no context'}): {msg[:60]!r}; run update"
    mo = path.with_suffix(".mo")
    if not mo.is_file() or mo.read_bytes() != _mo_bytes(cat):
        yield f"{mo.name}: does not match {path.name}; run compile"
    for m in cat:
        if not m.id or not m.string or m.fuzzy:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strs = [m.string] if isinstance(m.string, str) else [s for s in m.string if s]
        source = set().union(*(placeholders(i) for i in ids))
        for s in strs:
            wrong = placeholders(s) != source if len(ids) == 1 else not placeholders(s) <= source
            if wrong:
                yield f"{path.name}: {ids[0][:50]!r}: placeholders {sorted(placeholders(s))} ≠ {sorted(source)}"


def stats(domain: str, lang: str) -> tuple[int, int]:
    """How many of a domain's messages a language translates, and how many there are."""
    path = po_path(domain, lang)
    if not path.is_file():
        return 0, len([m for m in template(domain) if m.id])
    msgs = [m for m in read(path) if m.id]
    done = [m for m in msgs if not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)]
    return len(done), len(msgs)


def main(argv: list[str] | None = None) -> int:
    """python -m assess.locales update|compile|check|stats [--domain D] [--lang L]."""
    ap = argparse.ArgumentParser(prog="python -m assess.locales", description=__doc__)
    ap.add_argument("action", choices=("update", "compile", "check", "stats"))
    ap.add_argument("--domain", choices=DOMAINS, action="append", help="a domain (default: all)")
    ap.add_argument("--lang", action="append", help="a language with a catalogue (default: all)")
    args = ap.parse_args(argv)
    domains, langs = args.domain or list(DOMAINS), args.lang or languages()
    failed = False
    for lang in langs:
        for d in domains:
            if args.action == "update":
                print(update(d, lang).relative_to(PACKAGE.parent))
            elif args.action == "compile":
                if po_path(d, lang).is_file():
                    print(compile_(d, lang).relative_to(PACKAGE.parent))
            elif args.action == "check":
                for p in problems(d, lang):
                    failed = True
                    print(f"{lang}/{p}", file=sys.stderr)
            else:
                done, total = stats(d, lang)
                print(f"{lang} {d:<7} {done:>5}/{total:<5} {100 * done // max(total, 1):>3}% translated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
