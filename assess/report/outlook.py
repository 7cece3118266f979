"""Provides the report's forward look: the key judgements (each with its likelihood and, apart, the analytic
confidence, as ICD 203 asks) and the outlook table of trajectories, as plain data for the template."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import prose
from ..errors import Problem, problem
from ..i18n import N_, domain
from ..model import QuestionResult, Result
from .localize import english

_, ngettext, pgettext = domain("report")

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""

JUDGEMENT, LIKELIHOOD, CONFIDENCE, BASIS, INDICATORS, HORIZON = (
    "kj_judgement",
    "kj_likelihood",
    "kj_confidence",
    "kj_basis",
    "kj_indicators",
    "kj_horizon",
)
"""The questions of a key judgements block, as the builder names them."""
TRAJECTORY = "trajectory"
"""The built-in scale whose answers the outlook table lists."""
NOT_STATED = N_("not stated")
"""What a likelihood or a confidence that was not answered reads."""
JUDGEMENTS_NOTE = N_(
    "Likelihood is the probability of the judgement, in the estimative terms of ICD 203 (or the UK PHIA "
    "yardstick) with their bands; analytic confidence is how sound the information and reasoning behind it are. "
    "The two are stated apart and never combined in one sentence."
)
"""What the bottom line says under the key judgements."""
OUTLOOK_NOTE = N_(
    "Where each actor or market is heading, as the analyst judges it: rising, stable, falling or unknown, with "
    "the reasons and the indicators to watch (the answer's note)."
)
"""What the outlook table's caption says."""

# the words of a likelihood or a confidence, which ICD 203 keeps out of the judgement's own sentence
_ESTIMATIVE = re.compile(
    r"\b(almost no chance|(?:very |highly )?(?:un)?likely|(?:highly )?(?:im)?probabl[ey]|almost certain(?:ly)?|"
    r"nearly certain|roughly even (?:chance|odds)|even chance|realistic possibility|"
    r"(?:low|moderate|medium|high) confidence)\b",
    re.IGNORECASE,
)


def _by_block(result: Result, section: str) -> dict[str, dict[str, QuestionResult]]:
    """The question results of a repeatable section's blocks: entity id -> question id -> result."""
    out: dict[str, dict[str, QuestionResult]] = {}
    for q in result.questions:
        if q.entity is not None and q.section == section:
            out.setdefault(q.entity, {})[q.id] = q
    return out


def _text(q: QuestionResult | None) -> str:
    """A written answer as typed, '' when there is none (hidden, not applicable, unanswered)."""
    if q is None or q.status != "answered" or q.value is None:
        return ""
    return str(q.value).strip()


def _label(q: QuestionResult | None) -> str:
    """A choice answer's label ('Likely (55–80%)'), or 'not stated'."""
    if q is None or q.status not in ("answered", "unknown") or not q.label:
        return _(NOT_STATED)
    return q.label


_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)\b"
"""A month's name, in English, as a horizon may start with one."""


def with_horizon(judgement: str, horizon: str) -> str:
    """A judgement with its horizon in brackets before its full stop: '... the port (by end of 2027).', whether or
    not the analyst wrote 'by'; the judgement as it is without one."""
    horizon = re.sub(r"^by\s+", "", horizon.strip(), flags=re.IGNORECASE).rstrip(".")
    if not horizon:
        return judgement
    if horizon.casefold() in judgement.casefold():  # the judgement already says by when
        return judgement
    # a horizon that says its own relation ('before the elections', 'within six months') keeps its word, lower-cased;
    # a date or a time ('March 2027', 'mid-2027', 'end of 2026') takes 'by'; anything else is named a horizon
    own = re.match(r"(before|until|till|within|in|during|through|throughout|after|over|from|ahead of)\b", horizon, re.I)
    dated = re.match(rf"(\d|(mid|end|early|late|the end|the start)\b|{_MONTHS})", horizon, re.I)
    said = (
        horizon[0].lower() + horizon[1:]
        if own
        else _("by {horizon}").format(horizon=horizon)
        if dated
        else _("horizon: {horizon}").format(horizon=horizon)
    )
    if not english():  # brackets within brackets, as French (and English) typography writes them (English as before)
        said = said.replace("(", "[").replace(")", "]")
    stop = judgement[-1] if judgement.endswith((".", "!", "?")) else ""
    return f"{judgement[: len(judgement) - len(stop)]} ({said}){stop or '.'}"


def judgements(result: Result, clean: Clean, file: str = "<answers>") -> tuple[list[dict], list[Problem]]:
    """The key judgements as written, in block order, with their likelihood and confidence apart; and W022 for a
    judgement whose own words say a likelihood or a confidence. [] when the framework has none or none is
    written."""
    fw = result.framework
    sid = fw.judgements
    if not sid or sid not in fw.all_sections:
        return [], []
    found = _by_block(result, sid)
    rows: list[dict] = []
    warnings: list[Problem] = []
    for entity in result.answers.entities.get(sid, []):
        qs = found.get(entity.id, {})
        written = _text(qs.get(JUDGEMENT))
        if not written:
            continue
        where = f"key judgement '{entity.name}'"
        judgement = clean(prose.unwrap(written), where)
        said = _ESTIMATIVE.search(judgement)
        if said:
            warnings.append(problem(file, None, "W022", where=where, word=said.group(0)))
        horizon = clean(_text(qs.get(HORIZON)), where)
        rows.append(
            {
                "number": len(rows) + 1,
                "name": clean(entity.name, where),
                "judgement": judgement,
                "horizon": horizon,
                "text": with_horizon(judgement, horizon),
                "likelihood": clean(_label(qs.get(LIKELIHOOD)), where),
                "confidence": clean(_label(qs.get(CONFIDENCE)), where),
                "basis": clean(prose.unwrap(_text(qs.get(BASIS))), where),
                "indicators": clean(prose.unwrap(_text(qs.get(INDICATORS))), where),
            }
        )
    return rows, warnings


def question_header(text: str) -> str:
    """What a table calls a question: its text up to its first ':' or '?'."""
    short = prose.unwrap(text).replace("\n\n", " ")
    for stop in (":", "?"):
        short = short.split(stop, 1)[0]
    return short.strip()


def outlook(result: Result, clean: Clean) -> list[dict]:
    """Every answered (or unknown) question on the trajectory scale, one table per question in framework order
    (its section's title, its header and its text once), a row per block in the order the blocks are listed:
    block, trajectory, and the answer's note (why; indicators to watch)."""
    fw, ans = result.framework, result.answers
    blocks = {e.id: e for group in ans.entities.values() for e in group}
    order = {eid: i for i, eid in enumerate(blocks)}
    tables: dict[str, dict] = {}
    for q in result.questions:
        fq = fw.questions.get(q.id)
        if fq is None or fq.scale != TRAJECTORY or q.status not in ("answered", "unknown"):
            continue
        entity = blocks.get(q.entity or "")
        answer = (entity.answers if entity is not None else ans.answers).get(q.id)
        where = q.id + (f" ({entity.name})" if entity is not None else "")
        top = fw.all_sections[q.section] if q.section in fw.all_sections else None
        while top is not None and top.parent:
            top = fw.all_sections.get(top.parent)
        table = tables.setdefault(
            q.id,
            {
                "section": top.title if top is not None else "",
                "what": question_header(fq.text),
                "text": prose.unwrap(fq.text),
                "rows": [],
            },
        )
        table["rows"].append(
            {
                "block": clean(prose.isolated(entity.name) if entity is not None else table["section"], where),
                "trajectory": clean(q.label or (_("Unknown") if q.status == "unknown" else ""), where),
                "status": q.status,
                "note": clean(prose.unwrap(answer.note) if answer is not None else "", where),
                "order": order.get(q.entity or "", len(order)),
            }
        )
    for table in tables.values():
        table["rows"].sort(key=lambda row: row.pop("order"))  # stable: blocks in their order, each once
    return list(tables.values())
