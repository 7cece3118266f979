"""Provides framework loading: YAML to a validated Framework, with every problem located.

The stages: read and parse the file (yamlsafe), check it against the schema (schema), build the model while
checking its cross-references (builder, checks); a framework that passed is kept built in the cache (cache).
"""

from __future__ import annotations

from pathlib import Path

from . import cache, schema, yamlsafe
from .builder import build_model, content_hash
from .checks.translations import missing
from .errors import AssessError, Problem, problem
from .expressions import compile_expression, remember
from .i18n import language
from .model import Framework
from .yamlsafe import Located

__all__ = ["build", "content_hash", "framework_from_text", "load_framework", "untranslated"]


def load_framework(path: str | Path, lang: str | None = None) -> tuple[Framework, list[Problem]]:
    """Load and check a framework file; return it with its warnings, or raise AssessError with every problem.

    With lang, one of the framework's languages, its texts are in that language: a text without a translation
    stays in the default language (one W041 counts them); a language the framework lacks gives its default
    language (W042). Framework.language says which it is; its hash is the file's, whatever the language.

    A framework that passed every check is kept, built, in the user's cache folder under a hash of its
    path, its text, the language and the code that built it, so the next load of the same file (opening the app
    on a 1,000-question framework, say) skips parsing and checking; anything else in the cache is ignored."""
    text = yamlsafe.read_text(path)
    # the interface's language too: the warnings kept with it are worded in that language
    key = cache.key(cache.code_digest(), str(path), text, f"{lang or ''}/{language()}")
    kept = cache.read(key)
    if isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], Framework):
        fw, warnings, compiled = kept
        remember(compiled)  # its conditions and formulas, compiled: scoring needs no parser
        return fw, warnings
    fw, warnings, expressions = _build(yamlsafe.parse(text, str(path)), lang)
    cache.write(key, (fw, warnings, {e: compile_expression(e) for e in expressions}))
    return fw, warnings


def framework_from_text(
    text: str, name: str = "<framework>", lang: str | None = None
) -> tuple[Framework, list[Problem]]:
    """Load and check a framework given as YAML text (used by tests and tools), in lang as load_framework does."""
    return build(yamlsafe.parse(text, name), lang)


def build(located: Located, lang: str | None = None) -> tuple[Framework, list[Problem]]:
    """Check located data against the schema, then build the model (in lang, as load_framework does) and check its
    cross-references."""
    fw, warnings, _ = _build(located, lang)
    return fw, warnings


def untranslated(path: str | Path, strict: bool = False) -> tuple[list[Problem], dict[str, tuple[int, int]]]:
    """W040 for each text of a framework file without a translation in one of its declared languages (at the source
    text's line:col; E912, an error, when strict), and per language how many of its texts are translated, of how
    many (assess validate)."""
    return missing(yamlsafe.parse(yamlsafe.read_text(path), str(path)), "E912" if strict else "W040")


def _build(located: Located, lang: str | None = None) -> tuple[Framework, list[Problem], set[str]]:
    """build(), and the expressions the framework holds."""
    if not isinstance(located.data, dict):
        raise AssessError([problem(located.file, (1, 1), "E010", found=schema.describe(located.data))])
    problems = schema.check(located, "framework.schema.json")
    if problems:
        raise AssessError(problems)
    fw, cx = build_model(located, lang)
    if any(not p.is_warning for p in cx.problems):
        raise AssessError(sorted(cx.problems, key=lambda p: (p.line, p.col)))
    return fw, [p for p in cx.problems if p.is_warning], cx.expressions
