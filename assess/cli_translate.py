"""Provides the translate command (export a framework's texts as a PO file, import a filled one into its translations
block) and what validate says of translations: each one missing, and how many each language has."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arguments import FILE, completes, examples
from .errors import AssessError, Problem, problem
from .i18n import domain
from .model import Framework
from .terminal import echo
from .translations import Key, lookup

if TYPE_CHECKING:  # yaml is imported by the commands that read a framework, not by --help or --version
    from .yamlsafe import Located

_, ngettext, pgettext = domain("cli")


def add_parser(sub: argparse._SubParsersAction, validate: argparse.ArgumentParser | None = None) -> None:
    """Register the translate command (export, import) on an argparse subparsers object, and validate's --strict
    on validate's parser."""
    if validate is not None:
        help_strict = _("a missing translation is an error, not a warning (exit 1)")
        validate.add_argument("--strict", action="store_true", help=help_strict)
    p = sub.add_parser(
        "translate",
        help=_("a framework's texts for a translator: export a PO file, import it filled in"),
        epilog=examples(
            "assess translate export frameworks/mission-risk.yaml --lang fr -o mission-risk.fr.po",
            "assess translate import frameworks/mission-risk.yaml mission-risk.fr.po -o mission-risk.yaml.new",
            "assess translate import frameworks/mission-risk.yaml mission-risk.fr.po --in-place",
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ex = actions.add_parser(
        "export",
        help=_("write a PO file of the framework's texts, with their translations so far"),
        epilog=examples("assess translate export frameworks/mission-risk.yaml --lang fr -o mission-risk.fr.po"),
    )
    completes(ex.add_argument("framework", metavar="FRAMEWORK", help=_("a framework file or a bundled id")), FILE)
    ex.add_argument("-o", "--output", metavar="FILE.po", help=_("where to write it (default: standard output)"))
    ex.add_argument("--force", action="store_true", help=_("replace an existing file"))
    ex.set_defaults(func=cmd_export)
    im = actions.add_parser(
        "import",
        help=_("write a PO file's translations into the framework's translations block"),
        epilog=examples("assess translate import frameworks/mission-risk.yaml mission-risk.fr.po -o out.yaml"),
    )
    completes(im.add_argument("framework", metavar="FRAMEWORK", help=_("a framework file or a bundled id")), FILE)
    completes(im.add_argument("po", metavar="FILE.po", help=_("the PO file, filled in")), FILE)
    where = im.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", metavar="OUT", help=_("where to write the framework (default: standard output)")
    )
    where.add_argument("--in-place", action="store_true", help=_("rewrite the framework file itself"))
    im.add_argument("--force", action="store_true", help=_("replace an existing OUT"))
    im.set_defaults(func=cmd_import)


def _target(fid: str, declared: tuple[str, ...], lang: str | None, name: str) -> str:
    """The language to translate into: --lang, else the framework's one other language; E905, E910, E911."""
    others = declared[1:]
    fields = {"fid": fid, "languages": ", ".join(declared), "default": declared[0], "others": ", ".join(others) or "-"}
    if lang is None:
        if len(others) != 1:
            raise AssessError([problem(name, None, "E910", **fields)])
        return others[0]
    if lang == declared[0]:
        raise AssessError([problem(name, None, "E911", lang=lang, **fields)])
    if lang not in others:
        raise AssessError([problem(name, None, "E905", lang=lang, **fields)])
    return lang


def _write(path: str, text: str, force: bool, framework: Path | None) -> None:
    """Write an output atomically: never onto the framework read (E907), an existing file only with force (E908)."""
    from .files import write_atomic
    from .outputs import same_file

    if framework is not None and same_file(path, framework):
        raise AssessError([problem(path, None, "E907")])
    if Path(path).exists() and not force:
        raise AssessError([problem(path, None, "E908")])
    write_atomic(path, text)


def _read(ref: str) -> tuple[Path, str, Located]:
    """A framework file checked (every error refuses), its text and its located data."""
    from . import yamlsafe
    from .loader import load_framework
    from .pipeline import resolve_framework

    path = resolve_framework(ref)
    load_framework(path)  # a framework with an error is not translated
    text = yamlsafe.read_text(path)
    return path, text, yamlsafe.parse(text, str(path))


def reference(path: Path) -> str:
    """A framework's path as a PO file's '#:' lines name it, for translators on other machines: as given when given
    relative, else relative to the current folder when it is in it, else its file name alone."""
    if not path.is_absolute():
        return path.as_posix()
    for here, there in ((Path.cwd(), Path(os.path.normpath(path))), (Path.cwd().resolve(), path.resolve())):
        if there.is_relative_to(here):
            return there.relative_to(here).as_posix()
    return path.name


def cmd_export(args: argparse.Namespace) -> int:
    """assess translate export: the framework's texts in a PO file, each with its translation so far."""
    from .pofile import export
    from .translations import languages

    try:
        path, _text, located = _read(args.framework)
        data = located.data
        assert isinstance(data, dict)
        lang = _target(str(data["id"]), languages(data), getattr(args, "lang", None), str(path))
        po = export(located, lang, reference(path))
        if args.output and args.output != "-":
            _write(args.output, po, args.force, path)
        else:
            sys.stdout.write(po)
    except AssessError as exc:
        for p in exc.problems:
            echo(p, err=True)
        return 2
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """assess translate import: the PO file's translations written into the framework's block for its language."""
    from . import yamlsafe
    from .loader import framework_from_text
    from .pofile import language_indent, merged, newline_of, patch, read, render, rewrite
    from .translations import block as block_of
    from .translations import languages, pick

    try:
        path, text, located = _read(args.framework)
        data = located.data
        assert isinstance(data, dict)
        raw = yamlsafe.read_bytes(args.po)
        imported = read(raw, args.po, located)
        asked, declared = getattr(args, "lang", None), languages(data)
        found = pick(imported.lang, declared) or imported.lang  # a PO editor's fr_FR is the framework's fr
        if asked and found and found != (pick(asked, declared) or asked):
            raise AssessError([problem(args.po, None, "E906", found=found, lang=asked)])
        lang = _target(str(data["id"]), declared, pick(asked, declared) or asked or found or None, str(path))
        refused = imported.refusal(args.po, lang)  # a control character, or a line break in a one-line text
        if refused is not None:
            raise refused
        before = block_of(data, lang)
        entries = merged(located, lang, imported.texts)
        # the texts that change, where they are written (a hand-written block keeps its layout), else the block anew
        out = patch(text, lang, {k: v for k, v in imported.texts.items() if lookup(before, k) != v})
        if out is None or _lost(out, str(path), lang, entries):
            block = render(lang, entries, language_indent(located, lang), newline=newline_of(text))
            out = rewrite(text, located, lang, block)
        shown = str(path) if args.in_place else args.output if args.output not in (None, "-") else "<stdout>"
        _, checked = framework_from_text(out, shown)  # what is written loads, or nothing is written
        imported.warnings += [w for w in checked if w.code == "W046"]  # a name such as {entity} the PO changed
        lost = _lost(out, str(path), lang, entries)
        if lost:  # never: the block writer escapes what YAML cannot hold; refuse rather than write a wrong text
            raise RuntimeError(f"translations written that do not read back: {lost[:3]}")
        for w in imported.warnings:
            echo(w, err=True)
        if args.in_place:
            _write(str(path), out, True, None)
        elif args.output and args.output != "-":
            _write(args.output, out, args.force, path)
        else:
            sys.stdout.write(out)
    except AssessError as exc:
        for p in exc.problems:
            echo(p, err=True)
        return 2
    echo(_tally(imported.texts, before, lang), err=True)
    return 0


def _lost(text: str, name: str, lang: str, entries: list[tuple[Key, str]]) -> list[Key]:
    """The keys of the entries a framework's text does not read back as given (none, when it is right)."""
    from . import yamlsafe
    from .translations import block

    try:
        again = yamlsafe.parse(text, name).data
    except AssessError:
        return [k for k, _v in entries] or [("",)]
    tr = block(again, lang) if isinstance(again, dict) else {}
    return [k for k, v in entries if lookup(tr, k) != v]


def _tally(texts: dict[Key, str], before: dict[str, Any], lang: str) -> str:
    """What an import did, said once it is written: '303 translations imported (fr): 1 changed, 302 unchanged'
    (a count of nothing left out; added: a text the block had no translation of)."""
    changed = added = 0
    for key, text in texts.items():
        old = lookup(before, key)
        added += old is None
        changed += old is not None and old != text
    n = len(texts)
    unchanged = n - changed - added
    head = ngettext("{n} translation imported ({lang})", "{n} translations imported ({lang})", n)
    parts = [
        ngettext("{n} changed", "{n} changed", changed).format(n=changed) if changed else "",
        ngettext("{n} added", "{n} added", added).format(n=added) if added else "",
        ngettext("{n} unchanged", "{n} unchanged", unchanged).format(n=unchanged) if unchanged else "",
    ]
    said = head.format(n=n, lang=lang)
    return _("{imported}: {parts}").format(imported=said, parts=", ".join(p for p in parts if p)) if n else said


def validate_translations(file: str, strict: bool, fw: Framework) -> tuple[tuple[Problem, ...], str]:
    """What validate says of a framework file's translations (fw: as checked): W040 for each text missing in a
    declared language (E912 with --strict: an error), and per language a line 'French (fr): 35 of 36 texts
    translated', each after a line break. Standard input, read once already, gets the lines (and E913 with --strict)."""
    from .loader import untranslated
    from .translations import language_name

    missing: list[Problem] = []
    if file != "-":
        missing = untranslated(file, strict)[0]
    elif strict:
        missing = [
            problem(fw.path or file, None, "E913", count=total - done, language=language_name(lang))
            for lang, (done, total, _hash) in fw.translated.items()
            if done < total
        ]
    if strict and missing:
        raise AssessError(missing)
    lines = [
        "\n  "
        + _("{language} ({lang}): {done} of {total} texts translated").format(
            language=language_name(lang), lang=lang, done=done, total=total
        )
        for lang, (done, total, _hash) in fw.translated.items()
    ]
    return tuple(missing), "".join(lines)
