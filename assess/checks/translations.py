"""Provides the checks of a framework's translations: a block for an undeclared language (E902) or the default one
(E903), a translation of nothing the framework has (E901), one holding a control character (E914) or, in a one-line
text, a line break (E915), and each text a language has no translation of (W040)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem, problem
from ..i18n import N_, domain
from ..translations import Key, block, language_name, languages, lookup, texts, translated, unfit
from ..yamlsafe import Located

_, ngettext, pgettext = domain("cli")

_NAME = re.compile(r"\{[^\W\d]\w*\}")
"""A name assess fills in a text, such as {entity}."""

_KINDS = {
    "sections": N_("the framework has no section '{id}'"),
    "questions": N_("the framework has no question '{id}'"),
    "tables": N_("the framework has no table column or row '{id}'"),
    "scales": N_("the framework has no scale '{id}'"),
    "ratings": N_("the framework has no rating scheme '{id}'"),
    "derived": N_("the framework has no derived score '{id}'"),
    "rules": N_("the framework has no rule '{id}'"),
    "heatmaps": N_("the framework has no heat map '{id}'"),
    "includes": N_("the framework has no included block '{id}'"),
}
"""What E901 says of a translation of a thing the framework lacks, by the kind of thing."""


def check(located: Located, builtin: dict[str, dict[str, Any]]) -> list[Problem]:
    """E901, E902, E903, E914 and E915 of framework data that passed the schema; builtin: the built-in scales, by id,
    whose texts a block may translate too."""
    data = located.data
    assert isinstance(data, dict)
    out: list[Problem] = []
    if not data.get("translations"):
        return out
    declared = languages(data)
    known = _tree([t.key for t in texts({"scales": builtin}) + texts(data, every=True)])
    for lang, tr in (data.get("translations") or {}).items():
        at: tuple[str | int, ...] = ("translations", lang)
        if lang == declared[0]:
            out.append(problem(located.file, located.pos(at, key=True), "E903", lang=lang))
        elif lang not in declared:
            out.append(
                problem(located.file, located.pos(at, key=True), "E902", lang=lang, languages=", ".join(declared))
            )
        if isinstance(tr, dict):
            _walk(located, tr, known, at, (), out)
            _characters(located, tr, at, (), out)
            out += _placeholders(located, str(lang), tr, data)
    return out


def _characters(loc: Located, tr: dict[str, Any], at: tuple[str | int, ...], key: Key, out: list[Problem]) -> None:
    """E914 for each translation holding a control character, E915 for a line break in a one-line text, at its
    line:col."""
    for name, value in tr.items():
        here = (*key, str(name))
        if isinstance(value, dict):
            _characters(loc, value, (*at, name), here, out)
        elif isinstance(value, str) and (found := unfit(here, value)):
            code, char = found
            out.append(problem(loc.file, loc.pos((*at, name)), code, lang=str(at[1]), key=".".join(here), char=char))


def _placeholders(loc: Located, lang: str, tr: dict[str, Any], data: dict[str, Any]) -> list[Problem]:
    """W046 for each translation whose {entity}-style names are not the source text's (assess fills the source's)."""
    out = []
    for t in texts(data, every=True):
        found = lookup(tr, t.key)
        if found is None:
            continue
        want, have = set(_NAME.findall(t.source)), set(_NAME.findall(found))
        if want != have:
            pos = loc.pos(("translations", lang, *t.key))
            names = ", ".join(sorted(want)) or pgettext("W046: no names", "none")
            out.append(
                problem(
                    loc.file,
                    pos,
                    "W046",
                    key=t.context,
                    lang=lang,
                    names=names,
                    found=", ".join(sorted(have)) or pgettext("W046: no names", "none"),
                )
            )
    return out


def _tree(keys: list[Key]) -> dict[str, Any]:
    """Keys as a tree of nested mappings."""
    root: dict[str, Any] = {}
    for key in keys:
        node = root
        for part in key:
            node = node.setdefault(part, {})
    return root


def _walk(
    loc: Located, tr: dict[str, Any], known: dict[str, Any], at: tuple[str | int, ...], key: Key, out: list[Problem]
) -> None:
    """E901 for each entry of a block that names nothing in known."""
    for name, value in tr.items():
        here = (*key, name)
        if name not in known:
            out.append(
                problem(
                    loc.file,
                    loc.pos((*at, name), key=True),
                    "E901",
                    lang=str(at[1]),
                    key=".".join(here),
                    why=_why(here, known),
                    expected=_some(sorted(known)),
                )
            )
        elif isinstance(value, dict):
            _walk(loc, value, known[name], (*at, name), here, out)


def _some(names: list[str]) -> str:
    """A few names, and how many in all when there are more."""
    if not names:
        return _("nothing")
    if len(names) <= 8:
        return ", ".join(names)
    return _("{names} … ({count} in all)").format(names=", ".join(names[:8]), count=len(names))


def _why(key: Key, known: dict[str, Any]) -> str:
    """What is wrong with a key, as E901 says it."""
    if len(key) == 2 and key[0] in _KINDS:
        return _(_KINDS[key[0]]).format(id=key[1])
    if len(key) >= 2 and key[-2] == "options":
        return _("there is no option '{id}' there").format(id=key[-1])
    if len(key) >= 2 and key[-2] == "bands":
        return _("there is no band with min '{id}' there").format(id=key[-1])
    if len(key) >= 2 and key[-2] == "labels":
        return _("there is no label '{id}' there").format(id=key[-1])
    return _("the source has no '{name}' text there").format(name=key[-1])


def missing(located: Located, code: str = "W040") -> tuple[list[Problem], dict[str, tuple[int, int]]]:
    """W040 (or code: E912 for validate --strict) for each text of each declared language (but the default) without
    a translation, at the source text's line:col, and per language: how many texts are translated, of how many."""
    data = located.data
    assert isinstance(data, dict)
    declared = languages(data)
    out: list[Problem] = []
    counts: dict[str, tuple[int, int]] = {}
    total = len({t.key for t in texts(data)})
    for lang in declared[1:]:
        _, left = translated(data, block(data, lang))
        counts[lang] = (total - len(left), total)
        name = language_name(lang)
        for t in left:
            out.append(problem(located.file, located.pos(t.where), code, language=name, lang=lang, key=t.context))
    out.sort(key=lambda p: (p.line, p.col))
    return out, counts
