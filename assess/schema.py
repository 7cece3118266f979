"""Provides JSON Schema validation of loaded YAML, reported as file:line:col problems with fixes."""

from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_cache_dir

from .errors import Problem, problem
from .files import write_atomic
from .i18n import N_, domain
from .paths import FRAMEWORKS
from .yamlsafe import Located

_, ngettext, pgettext = domain("cli")

if TYPE_CHECKING:  # jsonschema is imported when needed (see validator); its types only name what it returns
    from jsonschema import Draft202012Validator, ValidationError

JSON = dict[str, Any]
"""A JSON Schema, or part of one, as json.load reads it."""

SCHEMA_DIR = FRAMEWORKS
_TYPE_WORDS = {
    "object": N_("a mapping (key: value lines)"),
    "array": N_("a list ('- ' items)"),
    "string": N_("text"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "null": N_("nothing"),
}


@cache
def schema(name: str) -> JSON:
    """The shipped JSON Schema by file name (framework.schema.json, answers.schema.json)."""
    data: JSON = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


@cache
def validator(name: str) -> Draft202012Validator:
    """A Draft 2020-12 validator for the shipped schema, built once."""
    from jsonschema import Draft202012Validator  # deferred: heavy, needed only to explain a refused document

    return Draft202012Validator(schema(name))


def describe(value: object) -> str:
    """How a value looks to a user, for 'expected X, got Y' messages."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("'{value}' (true/false)").format(value=str(value).lower())
    if isinstance(value, (int, Decimal)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return _("the text '{text}'").format(text=short)
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return type(value).__name__


def where(path: Iterable[str | int]) -> str:
    """A path as a user reads it: sections[0].questions[3].type"""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or _("top level")


def _expected(types: str | list[str]) -> str:
    if isinstance(types, str):
        types = [types]
    return _(" or ").join(_(_TYPE_WORDS[t]) if t in _TYPE_WORDS else t for t in types)


@cache
def fast_validator(name: str) -> Callable[[object], object]:
    """A compiled validator (fastjsonschema) that only says valid or not, cached as Python code on disk.

    Valid documents, the common case, are checked by it in a fraction of the time; any document it rejects
    is checked again by jsonschema, which finds and explains every problem. A test checks that it never
    accepts what jsonschema rejects."""
    import fastjsonschema  # deferred: needed only when a document is first checked

    data = dict(schema(name), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    data.pop("$id", None)  # the generated entry point is then plainly 'validate'
    text = json.dumps(data, sort_keys=True)
    digest = hashlib.sha256(f"{text}{fastjsonschema.VERSION}".encode()).hexdigest()[:16]
    # both compiles below pass use_formats=False: formats are not enforced by jsonschema either
    try:
        path = Path(user_cache_dir("assess")) / f"schema_{Path(name).stem.replace('.', '_')}_{digest}.py"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, fastjsonschema.compile_to_code(data, use_formats=False))
        spec = importlib.util.spec_from_file_location(f"_assess_schema_{digest}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        validate: Callable[[object], object] = module.validate
    except (OSError, ImportError, SyntaxError, AttributeError):
        validate = fastjsonschema.compile(data, use_formats=False)  # no writable cache: compile in memory
    return validate


def is_valid(data: object, schema_name: str) -> bool:
    """Quick yes/no against a shipped schema (see fast_validator); False also when it cannot be built."""
    try:
        fast_validator(schema_name)(data)
    except Exception:  # any refusal, or a validator that could not be built, sends the data to jsonschema
        return False
    return True


def check(located: Located, schema_name: str) -> list[Problem]:
    """Validate located data against a shipped schema; one problem per error, with line:col and a fix."""
    if is_valid(located.data, schema_name):
        return []
    problems = []
    seen = set()
    for err in validator(schema_name).iter_errors(located.data):
        for p in _explain(err, located):
            key = (p.line, p.col, p.message)
            if key not in seen:
                seen.add(key)
                problems.append(p)
    problems.sort(key=lambda p: (p.line, p.col))
    return problems


def _explain(err: ValidationError, located: Located) -> list[Problem]:
    path = tuple(err.absolute_path)
    name = located.file
    kind = err.validator
    sch = err.schema if isinstance(err.schema, dict) else {}
    w = where(path)
    inst = err.instance
    if kind in ("oneOf", "anyOf"):
        hint = err.schema.get(f"x-{kind}-hint")
        if hint:
            return [problem(name, located.pos(path), "E109", where=w, detail=hint)]
        # report the alternative that got furthest
        best = max(err.context, key=lambda e: (len(e.absolute_path), -len(list(e.context or ()))), default=None)
        return (
            _explain(best, located)
            if best is not None
            else [problem(name, located.pos(path), "E109", where=w, detail=err.message)]
        )
    if kind == "required":
        missing = [r for r in err.validator_value if isinstance(inst, dict) and r not in inst]
        hint = _(" to {where}").format(where=w) if path else ""
        return [problem(name, located.pos(path), "E101", key=m, hint=hint) for m in missing]
    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = list(sch.get("properties", {}))
        out = []
        for key in inst:
            if key in allowed or not sch.get("properties"):
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = (
                _("; did you mean '{key}'?").format(key=close[0])
                if close
                else _("; allowed here: {keys}").format(keys=", ".join(allowed))
            )
            out.append(problem(name, located.pos(path + (key,), key=True), "E102", key=key, hint=hint))
        return out
    if kind == "type":
        return [
            problem(
                name, located.pos(path), "E103", where=w, expected=_expected(err.validator_value), found=describe(inst)
            )
        ]
    if kind == "enum":
        choices = ", ".join(str(v) for v in err.validator_value)
        if isinstance(inst, bool):
            return [problem(name, located.pos(path), "E104", where=w, value=str(inst).lower(), allowed=choices)]
        return [problem(name, located.pos(path), "E104", where=w, value=inst, allowed=choices)]
    if kind == "const":
        return [problem(name, located.pos(path), "E104", where=w, value=inst, allowed=err.validator_value)]
    if kind in ("minimum", "exclusiveMinimum"):
        return [problem(name, located.pos(path), "E105", where=w, value=inst, limit=err.validator_value)]
    if kind in ("maximum", "exclusiveMaximum"):
        return [problem(name, located.pos(path), "E106", where=w, value=inst, limit=err.validator_value)]
    if kind == "pattern":
        hint = sch.get("x-hint") or _("does not match {pattern}").format(pattern=err.validator_value)
        return [problem(name, located.pos(path), "E107", where=w, value=inst, pattern_hint=hint)]
    if kind == "minItems":
        return [problem(name, located.pos(path), "E108", where=w, limit=err.validator_value)]
    if kind == "maxLength":
        return [problem(name, located.pos(path), "E110", where=w, length=len(inst), limit=err.validator_value)]
    if kind == "minLength":
        return [problem(name, located.pos(path), "E109", where=w, detail=_("must not be empty"))]
    return [problem(name, located.pos(path), "E109", where=w, detail=err.message)]
