"""Provides a framework's translations: its texts and where each is, each language's block laid over them, and the
texts a language has no translation of (the `languages:` and `translations:` blocks of the format)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Where = tuple[str | int, ...]
"""A path into the framework data: keys and list indexes, e.g. ('sections', 0, 'questions', 3, 'text')."""

Key = tuple[str, ...]
"""A path into a language's translation block, e.g. ('questions', 'vendor_screening', 'text')."""

DEFAULT_LANGUAGES = ("en",)
"""The languages of a framework that declares none: its texts are in English."""

BLOCK_TITLES = {"key_judgements": "Key judgements and outlook"}
"""The title of each ready-made block when the framework gives none (the schema's default, which its check writes
into the data): the block's own text, translated in the code, not the framework's."""

MULTILINE = ("description", "guidance", "finding", "action")
"""The fields whose texts may run over several lines (Markdown in the schema); every other one is one line (a title,
label, short label, header, question text, unit)."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character no text holds: C0 but tab and line feed, DEL, C1."""
_BREAK = re.compile("[\n\t\u2028\u2029]")
"""What a one-line text holds not: a line break, or a tab."""

_OPTION = ("label", "description", "short")
_SCALE = ("title", "description")
_SECTION = ("title", "description", "guidance")
_QUESTION = ("text", "guidance", "unit")


@dataclass(frozen=True, slots=True)
class Text:
    """One translatable text of a framework: where a translation of it goes, where it is, and what it says."""

    key: Key
    """Its place in a translation block (and the PO file's msgctxt, joined with '.')."""
    where: Where
    """Its place in the framework data (for its line:col)."""
    source: str
    """The text as the framework writes it, in its default language."""
    optional: bool = False
    """A text a translation may give but need not: a ready-made block's default title (the code translates it)."""

    @property
    def context(self) -> str:
        """The key as one dotted name: questions.vendor_screening.text."""
        return ".".join(self.key)


def languages(data: dict[str, Any]) -> tuple[str, ...]:
    """The languages a framework's data declares, its default first (English when it declares none)."""
    declared = data.get("languages")
    return tuple(declared) if isinstance(declared, list) and declared else DEFAULT_LANGUAGES


def pick(lang: str | None, declared: tuple[str, ...]) -> str | None:
    """The declared language that serves lang: itself, else the one without its region (fr-CA → fr); None if none."""
    if not lang:
        return None
    if lang in declared:
        return lang
    primary = lang.split("-")[0]
    return primary if primary in declared else None


def block(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """A language's translation block of framework data ({} when it has none)."""
    found = (data.get("translations") or {}).get(lang)
    return found if isinstance(found, dict) else {}


def lookup(tr: dict[str, Any], key: Key) -> str | None:
    """The translation a block holds for a key, or None (absent or empty)."""
    node: Any = tr
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) and node.strip() else None


def unfit(key: Key, text: str) -> tuple[str, str] | None:
    """What makes a translation unfit to show, as a code and the character: a control character (E914, say
    U+0007), or a line break or tab in a one-line field (E915); None when it is fit."""
    found = _CONTROL.search(text)
    if found is None and key[-1] not in MULTILINE:
        found = _BREAK.search(text)
    if found is None:
        return None
    char = found.group()
    code = "E915" if char in "\n\u2028\u2029" and key[-1] not in MULTILINE else "E914"
    return code, f"U+{ord(char):04X}"


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Two translation blocks as one, over's texts winning."""
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def texts(data: dict[str, Any], every: bool = False) -> list[Text]:
    """Every translatable text of framework data (or of a part given the same shape), in document order; with every,
    also the optional ones (Text.optional)."""
    out: list[Text] = []

    def add(key: Key, where: Where, value: object, optional: bool = False) -> None:
        if isinstance(value, str) and value.strip() and (every or not optional):
            out.append(Text(key, where, value, optional))

    for top, value in data.items():
        if top in ("title", "description"):
            add((top,), (top,), value)
        elif top == "scales" and isinstance(value, dict):
            for sid, scale in value.items():
                _scale(add, sid, scale, ("scales", sid))
        elif top == "sections" and isinstance(value, list):
            _sections(add, value, ("sections",))
        elif top == "ratings" and isinstance(value, dict):
            for rid, rating in value.items():
                add(("ratings", rid, "title"), ("ratings", rid, "title"), rating.get("title"))
                for j, band in enumerate(rating.get("bands", ())):
                    for f in ("label", "description"):
                        add(
                            ("ratings", rid, "bands", str(band.get("min")), f),
                            ("ratings", rid, "bands", j, f),
                            band.get(f),
                        )
        elif top in ("derived", "rules", "heatmaps") and isinstance(value, list):
            fields = {"derived": ("title", "description"), "rules": ("finding", "action"), "heatmaps": ("title",)}[top]
            for i, item in enumerate(value):
                for f in fields:
                    add((top, str(item.get("id")), f), (top, i, f), item.get(f))
    return out


def _options(add: Any, key: Key, options: list[dict[str, Any]], where: Where) -> None:
    """The texts of a list of options, by option value."""
    for i, o in enumerate(options):
        for f in _OPTION:
            add((*key, "options", str(o.get("value")), f), (*where, "options", i, f), o.get(f))


def _scale(add: Any, sid: str, scale: dict[str, Any], where: Where) -> None:
    """The texts of one scale."""
    for f in _SCALE:
        add(("scales", sid, f), (*where, f), scale.get(f))
    _options(add, ("scales", sid), scale.get("options", []), where)
    for k, label in (scale.get("labels") or {}).items():
        add(("scales", sid, "labels", str(k)), (*where, "labels", k), label)


def _sections(add: Any, entries: list[dict[str, Any]], where: Where) -> None:
    """The texts of a list of sections, recursively (an included block: its own title only)."""
    for i, s in enumerate(entries):
        at = (*where, i)
        if "include" in s:
            optional = s.get("title") == BLOCK_TITLES.get(s["include"])
            add(("includes", str(s.get("id", s["include"])), "title"), (*at, "title"), s.get("title"), optional)
            continue
        sid = str(s.get("id"))
        for f in _SECTION:
            add(("sections", sid, f), (*at, f), s.get(f))
        add(("sections", sid, "repeat_label"), (*at, "repeat", "label"), (s.get("repeat") or {}).get("label"))
        table = s.get("table") or {}
        add(("sections", sid, "table_title"), (*at, "table", "title"), table.get("title"))
        for part in ("columns", "rows"):
            for k, e in enumerate(table.get(part, ())):
                if isinstance(e, dict):
                    add(("tables", str(e.get("id")), "header"), (*at, "table", part, k, "header"), e.get("header"))
        for j, q in enumerate(s.get("questions", ())):
            qkey: Key = ("questions", str(q.get("id")))
            for f in _QUESTION:
                add((*qkey, f), (*at, "questions", j, f), q.get(f))
            _options(add, qkey, q.get("options", []), (*at, "questions", j))
        _sections(add, s.get("sections", []), (*at, "sections"))


def translated(data: dict[str, Any], tr: dict[str, Any]) -> tuple[dict[str, Any], list[Text]]:
    """A copy of framework data with each text a block translates replaced by its translation, and the texts it
    left in the default language (a text found in several places, such as a table header, once)."""
    out = _copy(data)
    missing: list[Text] = []
    seen: set[Key] = set()
    for t in texts(data, every=True):
        found = lookup(tr, t.key)
        if found is None:
            if t.key not in seen and not t.optional:
                missing.append(t)
        else:
            _put(out, t.where, found)
        seen.add(t.key)
    return out, missing


def _copy(value: Any) -> Any:
    """A copy of plain data: its mappings and lists new, its scalars shared."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _put(data: Any, where: Where, value: str) -> None:
    """Set the value at a path of plain data."""
    node = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value


def language_name(lang: str, display: str | None = None) -> str:
    """A language's name as a reader of display (default: the interface's language) reads it ('French',
    'français'), never in the language named (W042 under --lang de in English: 'German', not 'Deutsch'); the code
    itself if unknown."""
    from babel import Locale, UnknownLocaleError

    from .i18n import SOURCE, language, speaks

    if display is None:  # the interface's, and English where the interface does not speak it: so are its words
        display = language() if speaks(language()) else SOURCE

    try:
        name = Locale.parse(lang.replace("-", "_")).get_display_name(Locale.parse(display.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return lang
    return name or lang
