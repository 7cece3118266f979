"""Provides framework loading: YAML to a validated Framework, with every problem located.

The stages: read and parse the file (yamlsafe), check it against the schema (schema), build the model while
checking its cross-references (builder, checks); a framework that passed is kept built in the cache (cache).
"""

from __future__ import annotations

from pathlib import Path

from . import cache, schema, yamlsafe
from .builder import build_model, content_hash
from .errors import AssessError, Problem, problem
from .expressions import compile_expression, remember
from .model import Framework
from .yamlsafe import Located

__all__ = ["build", "content_hash", "framework_from_text", "load_framework"]


def load_framework(path: str | Path) -> tuple[Framework, list[Problem]]:
    """Load and check a framework file; return it with its warnings, or raise AssessError with every problem.

    A framework that passed every check is kept, built, in the user's cache folder under a hash of its
    path, its text and the code that built it, so the next load of the same file (opening the app on a
    1,000-question framework, say) skips parsing and checking; anything else in the cache is ignored."""
    text = yamlsafe.read_text(path)
    key = cache.key(cache.code_digest(), str(path), text)
    kept = cache.read(key)
    if isinstance(kept, tuple) and len(kept) == 3 and isinstance(kept[0], Framework):
        fw, warnings, compiled = kept
        remember(compiled)  # its conditions and formulas, compiled: scoring needs no parser
        return fw, warnings
    fw, warnings, expressions = _build(yamlsafe.parse(text, str(path)))
    cache.write(key, (fw, warnings, {e: compile_expression(e) for e in expressions}))
    return fw, warnings


def framework_from_text(text: str, name: str = "<framework>") -> tuple[Framework, list[Problem]]:
    """Load and check a framework given as YAML text (used by tests and tools)."""
    return build(yamlsafe.parse(text, name))


def build(located: Located) -> tuple[Framework, list[Problem]]:
    """Check located data against the schema, then build the model and check its cross-references."""
    fw, warnings, _ = _build(located)
    return fw, warnings


def _build(located: Located) -> tuple[Framework, list[Problem], set[str]]:
    """build(), and the expressions the framework holds."""
    if not isinstance(located.data, dict):
        raise AssessError([problem(located.file, (1, 1), "E010", found=schema.describe(located.data))])
    problems = schema.check(located, "framework.schema.json")
    if problems:
        raise AssessError(problems)
    fw, cx = build_model(located)
    if any(not p.is_warning for p in cx.problems):
        raise AssessError(sorted(cx.problems, key=lambda p: (p.line, p.col)))
    return fw, [p for p in cx.problems if p.is_warning], cx.expressions
