"""Provides the verification of a report's payload at headquarters, beyond its SHA-256 (which anyone can
recompute after editing the payload): its shape checked against frameworks/payload.schema.json, every field's
type and size bounded; its result recomputed from its answers with the framework; and the rows the store would
keep from the report's own result compared with those its answers give."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from functools import cache

from .. import schema
from ..answers import check, from_located
from ..errors import AssessError
from ..i18n import N_, domain
from ..model import Answer, Answers, Framework
from ..report.payload import describe, make_payload
from ..scoring import score
from ..yamlsafe import Located
from .refusals import and_more
from .rows import Revision

_, ngettext, _pgettext = domain("hq")

SCHEMA = "payload.schema.json"
_FRACTION = re.compile(r"^-?[0-9]{1,1000}/[0-9]{1,1000}$")
_TYPES = {
    "object": N_("a JSON object"),
    "array": N_("a list"),
    "string": N_("text"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "null": "null",
}


class Refusal(Exception):
    """Why a payload is refused: a code of assess.errors (E516, E519) and its detail."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def shape(payload) -> str | None:
    """What is wrong with a payload's shape, in words (where, then what), or None when it is the documented one."""
    from fastjsonschema import JsonSchemaValueException  # deferred: a heavy library, needed only for reports

    try:
        _fast()(payload)
        return None
    except JsonSchemaValueException as exc:
        # a size limit is said at once: jsonschema would first check every one of (say) 300,000 keys for a
        # minute before naming the limit they break
        if exc.rule in ("maxItems", "maxProperties", "maxLength") and isinstance(exc.value, list | dict | str):
            where = schema.where(tuple(p for p in exc.path[1:] if isinstance(p, str | int)))
            return f"{where}: {_over(exc.rule, len(exc.value), exc.rule_definition)}"
    except Exception:  # any other refusal is explained by jsonschema, which finds the most telling error
        pass
    from jsonschema.exceptions import best_match  # deferred: heavier still, needed only for a wrong shape

    err = best_match(schema.validator(SCHEMA).iter_errors(payload))
    return None if err is None else f"{schema.where(tuple(err.absolute_path))}: {_explain(err)}"


@cache
def _fast():
    """The schema compiled by fastjsonschema with its $refs written out: a call through a $ref costs
    that validator a locals() per item, ten times the time of the check itself."""
    import fastjsonschema  # deferred: a heavy library, needed only for reports

    data = schema.schema(SCHEMA)
    defs = data["$defs"]

    def inline(x):
        if isinstance(x, dict):
            if "$ref" in x:
                return inline(defs[x["$ref"].rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in x.items() if k not in ("$defs", "$id")}
        return [inline(v) for v in x] if isinstance(x, list) else x

    flat = dict(inline(data), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    return fastjsonschema.compile(flat, use_formats=False)


def _over(rule: str, n: int, limit: object) -> str:
    """A size over its limit, in words: 'text of 5000 characters, over the limit of 4096'."""
    text = {
        "maxLength": _("text of {count} characters, over the limit of {limit}"),
        "maxItems": _("{count} items, over the limit of {limit}"),
        "maxProperties": _("{count} keys, over the limit of {limit}"),
    }[rule]
    return text.format(count=n, limit=limit)


def _explain(err) -> str:
    kind, limit, value = err.validator, err.validator_value, err.instance
    if kind == "type":
        types = [limit] if isinstance(limit, str) else limit
        expected = _(" or ").join(_(_TYPES[t]) if t in _TYPES else t for t in types)
        return _("expected {expected}, got {value}").format(expected=expected, value=describe(value))
    if kind == "required":
        missing = [k for k in limit if isinstance(value, dict) and k not in value]
        return _("'{key}' is missing").format(key=missing[0] if missing else limit[0])
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(err.schema.get("properties", {})))
        return _("unknown key '{key}'").format(key=_short(extra[0] if extra else "?"))
    if kind in ("maximum", "minimum"):
        bound = str(int(limit)) if float(limit).is_integer() and abs(limit) < 1e16 else f"{limit:g}"
        said = (
            _("{value} is above the maximum {bound}")
            if kind == "maximum"
            else _("{value} is below the minimum {bound}")
        )
        return said.format(value=describe(value), bound=bound)
    if kind in ("maxLength", "maxItems", "maxProperties"):
        return _over(kind, len(value), limit)
    if kind in ("enum", "const"):
        allowed = ", ".join(str(v) for v in (limit if kind == "enum" else [limit]))
        return _("{value} is not one of: {allowed}").format(value=describe(value), allowed=allowed)
    if kind == "pattern":
        return _("{value} is not of the documented form").format(value=describe(value))
    if kind == "propertyNames":
        return _("a key is too long")
    return _short(err.message)


def answers_of(payload: dict, fw: Framework, name: str) -> Answers:
    """The answers a payload carries, as an answers file holds them (raises Refusal E516 on a wrong shape)."""
    data = _exact(payload["answers"])
    if data.get("id") == "":  # an answers file without an id writes it empty
        del data["id"]
    try:
        answers, _located = from_located(Located(data, name))
    except AssessError as exc:
        raise Refusal("E516", f"answers: {_first(exc)}") from None
    scored = fw.confidence_scale is not None and any(not isinstance(o.value, str) for o in fw.confidence_scale.options)
    blocks = [answers.answers, *(e.answers for es in answers.entities.values() for e in es)]
    for block in blocks:
        for qid, a in block.items():
            _fractions(a, fw.questions[qid].type if qid in fw.questions else "text", scored)
    return answers


def _exact(data):
    """JSON data with its floats as exact decimals, as the answers file held them (a payload writes a float
    only when it is the exact value; other fractions as text, see _fractions)."""
    if isinstance(data, float):
        return Decimal(data)
    if isinstance(data, list):
        return [_exact(x) for x in data]
    if isinstance(data, dict):
        return {k: _exact(v) for k, v in data.items()}
    return data


def _fractions(a: Answer, qtype: str, scored_confidence: bool) -> None:
    """A payload writes a fraction that no float holds exactly as text ('1/3'): read it back as the number."""

    def number(v):
        if isinstance(v, list):
            return [number(x) for x in v]
        if isinstance(v, str) and _FRACTION.match(v) and not v.endswith("/0"):
            f = Fraction(v)
            return f.numerator if f.denominator == 1 else f
        return v

    if qtype not in ("text", "date"):
        a.value = number(a.value)
    if scored_confidence:
        a.confidence = number(a.confidence)


def recompute(payload: dict, fw: Framework, name: str) -> dict:
    """The payload its answers give with fw: scored as 'assess report' scores them (raises Refusal E516 or E519)."""
    answers = answers_of(payload, fw, name)
    errors = [p for p in check(fw, answers) if not p.is_warning]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise Refusal("E519", f"{errors[0].message} [{errors[0].code}]{more}")
    try:
        return make_payload(score(fw, answers))
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise Refusal("E519", f"they cannot be scored ({type(exc).__name__}: {_short(str(exc))})") from None


_ROWS = {
    "answers": (N_("answers"), N_("question"), "question_id"),
    "scores": (N_("scores"), N_("score"), "score_id"),
    "recommendations": (N_("recommended actions"), N_("recommended action"), "rule"),
    "gaps": (N_("gaps"), N_("gap"), "question_id"),
}
"""Each list of rows: its rows in words (plural, singular), and the field that names a row."""
_FIELD_WORDS = {
    "answers": {
        "question_id": N_("question"),
        "entity_id": N_("entity"),
        "status": N_("status"),
        "value": N_("value"),
        "label": N_("label"),
        "score": N_("score"),
        "confidence": N_("confidence"),
        "sources": N_("sources"),
    },
    "scores": {
        "kind": N_("kind"),
        "score_id": N_("id"),
        "entity_id": N_("entity"),
        "entity_name": N_("entity name"),
        "title": N_("title"),
        "depth": N_("depth"),
        "exact": N_("exact score"),
        "value": N_("score"),
        "display": N_("shown score"),
        "rating": N_("rating"),
        "colour": N_("colour"),
        "direction": N_("direction"),
    },
    "recommendations": {
        "rule": N_("rule"),
        "priority": N_("priority"),
        "finding": N_("finding"),
        "action": N_("action"),
        "section_id": N_("section"),
        "entity_id": N_("entity"),
        "entity_name": N_("entity name"),
    },
    "gaps": {"kind": N_("kind"), "question_id": N_("id"), "entity_id": N_("entity"), "message": N_("message")},
}
"""Each field of each kind of row, in words."""
_FIELDS = (
    "assessment_id",
    "framework_id",
    "framework_version",
    "framework_hash",
    "framework_title",
    "metadata",
    "period_range",
    "updated",
    "complete",
    "coverage",
    "confidence",
    "answers",
    "scores",
    "recommendations",
    "gaps",
    "rules",
)


def difference(own: Revision, recomputed: Revision) -> tuple[str | None, str | None]:
    """How a report's own rows differ from its answers' rows: (what matters, or None; gap wording only, or None)."""
    for name in _FIELDS:
        a, b = getattr(own, name), getattr(recomputed, name)
        if name == "gaps":  # a gap's message is wording: said only once all else is the same
            a, b = [g._replace(message="") for g in a], [g._replace(message="") for g in b]
        if a == b:
            continue
        if name in _ROWS:
            return _rows(name, a, b), None
        if isinstance(a, dict) and isinstance(b, dict):
            key = next(k for k in sorted(set(a) | set(b), key=str) if a.get(k) != b.get(k))
            said, given = _show(a.get(key)), _show(b.get(key))
            field = f"{name.replace('_', ' ')} '{key}'"
            return _("{field}: the report says {said}, its answers give {given}").format(
                field=field, said=said, given=given
            ), None
        said, given = _show(a), _show(b)
        return _("{field}: the report says {said}, its answers give {given}").format(
            field=name.replace("_", " "), said=said, given=given
        ), None
    if own.gaps != recomputed.gaps:
        i = next(i for i, (x, y) in enumerate(zip(own.gaps, recomputed.gaps, strict=True)) if x != y)
        return None, _("the message of gap '{id}'").format(id=own.gaps[i].question_id)
    return None, None


def _rows(name: str, a: list, b: list) -> str:
    """The first difference between two lists of rows of one kind, in words."""
    plural, singular, naming = _ROWS[name]
    if len(a) != len(b):
        return _("the report lists {count} {rows}, its answers give {given}").format(
            count=len(a), rows=_(plural), given=len(b)
        )
    x, y = next((x, y) for x, y in zip(a, b, strict=True) if x != y)
    where = f"{_(singular)} '{getattr(x, naming)}'"
    if x.entity_id:
        where = _("{row} of block '{block}'").format(row=where, block=x.entity_id)
    if name == "scores" and (x.display, x.rating) != (y.display, y.rating):
        return _("{row}: the report says {said}, its answers give {given}").format(
            row=where, said=f"{x.display} ({x.rating})", given=f"{y.display} ({y.rating})"
        )
    f = next(f for f in x._fields if getattr(x, f) != getattr(y, f))
    said, given = _show(getattr(x, f)), _show(getattr(y, f))
    return _("{row}: its {field} is {said} in the report, {given} from its answers").format(
        row=where, field=_(_FIELD_WORDS[name][f]), said=said, given=given
    )


def _show(v) -> str:
    return _short(repr(tuple(v) if isinstance(v, tuple) else v))  # a record as the tuple of its values


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _first(exc: AssessError) -> str:
    p = exc.problems[0]
    return f"{p.message} [{p.code}]{and_more(exc)}"
