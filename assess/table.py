"""Provides the result as a plain-text table for a terminal, in the interface's language (assess score)."""

from __future__ import annotations

import re
import textwrap

from .carry import kept_summary
from .i18n import N_, catalogue, domain, language
from .l10n import number
from .model import ADDRESSEE_LABELS, Result, Score
from .numbers import shown
from .scoring.ranges import span

_, ngettext, pgettext = domain("cli")


def ranked_score(r: Result, sid: str, eid: str) -> Score | None:
    """The score a block is ranked by, when it is a section score (its range is there)."""
    sec = r.framework.all_sections[sid]
    by = sec.repeat.rank_by if sec.repeat else None
    return r.entity_scores.get(sid, {}).get(eid, {}).get(by) if by else None


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


FACTS = {
    "mission": N_("Mission"),
    "area": N_("Area"),
    "period": N_("Period"),
    "analyst": N_("Analyst"),
    "marking": N_("Marking"),
}
"""The metadata the table's head shows, with its label."""

PRIORITY_WORDS = {"critical": N_("CRITICAL"), "high": N_("HIGH"), "medium": N_("MEDIUM"), "low": N_("LOW")}
"""A recommended action's priority as the table marks it."""

LEVELS = {"not stated": N_("not stated")}
"""The confidence not stated, as the table shows it (the gaps come worded in the interface's language)."""


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def localized(text: str, lang: str) -> str:
    """Each number assess wrote in text ("6.40", "8.00–16.00") with lang's separators ("6,40"); the rest as it is."""
    return text if lang == "en" else _NUMBER.sub(lambda m: number(m.group(), lang), text)


HEAD = (N_("Status:"), N_("Score"), N_("Value"), N_("Rating"))
"""The words the table starts its status line and its score columns with (outputs.identify knows a table by them)."""


def table_head(lang: str | None = None) -> tuple[str, ...]:
    """HEAD in lang (default: the interface's language)."""
    words = catalogue("cli", lang)
    return tuple(words.gettext(w) for w in HEAD)


def to_table(r: Result, width: int = 80, lang: str | None = None) -> str:
    """A plain-text summary that fits an 80-column terminal, in lang (default: the interface's language): its
    words from the cli catalogue, its numbers with lang's decimal sign (6,40)."""
    fw, m, lang = r.framework, r.answers.metadata, lang or language()
    out = textwrap.wrap(m.get("title") or fw.title, width) + [f"{fw.title} {fw.version}"]
    facts = [_("{label}: {value}").format(label=_(label), value=m[k]) for k, label in FACTS.items() if m.get(k)]
    if facts:
        out += textwrap.wrap("   ".join(facts), width)
    cov = r.coverage
    status = _("complete") if r.complete else _("INCOMPLETE")
    said, score_word, value_word, rating_word = table_head(lang)
    answered = ngettext(  # French agrees with the count answered: 1 question sur 2 renseignée
        "{answered} of {questions} questions answered", "{answered} of {questions} questions answered", cov["answered"]
    ).format(answered=cov["answered"], questions=cov["questions"])
    unknown = ngettext("{unknown} unknown", "{unknown} unknown", cov["unknown"]).format(unknown=cov["unknown"])
    missing = ngettext("{missing} required missing", "{missing} required missing", cov["required_missing"])
    line = _("{status} — {answered}, {na} not applicable, {unknown}, {missing}")
    missing = missing.format(missing=cov["required_missing"])
    line = line.format(status=status, answered=answered, na=cov["not_applicable"], unknown=unknown, missing=missing)
    out += textwrap.wrap(f"{said} {line}", width, subsequent_indent="  ")
    kept = kept_summary(r.answers, fw.id, fw.version)
    if kept:  # not scored, never dropped: said where they are
        line = _("{kept} (not scored): listed under kept_aside in the answers file and in the report's annex.")
        out += textwrap.wrap(line.format(kept=kept), width, subsequent_indent="  ")
    name_w = width - 30
    out += ["", f"{score_word:<{name_w}} {value_word:>7}  {rating_word}"]

    def row(title, s: Score, depth):
        label = _cut("  " * depth + title, name_w)
        shown_value = localized(s.display, lang)
        out.append(f"{label:<{name_w}} {shown_value:>7}  {_cut(s.rating or '', 20):<20}".rstrip())

    def walk(sections, depth):
        for s in sections:
            sc = r.sections.get(s.id)
            if sc is not None and s.role != "key_judgements":  # judgements are stated, not scored
                row(s.title, sc, depth)
            if s.repeat is None:
                walk(s.sections, depth + 1)

    walk(fw.sections, 0)
    for d in r.derived.values():
        row(d.title, d, 0)
    for sid, rows in r.rankings.items():
        sec = fw.all_sections[sid]
        assert sec.repeat is not None and sec.repeat.rank_by is not None  # only repeats with rank_by are ranked
        by = sec.repeat.rank_by
        by_title = fw.all_sections[by].title if by in fw.all_sections else fw.questions[by].text
        out += textwrap.wrap(_("Ranking: {title} (by {by})").format(title=sec.title, by=by_title), width)
        for rank, eid, name, value in rows:
            points = localized(shown(value, fw.precision), lang)
            line = f"  {rank or '-'!s:>3}. {_cut(name, name_w - 7):<{name_w - 7}} {points:>7}"
            ranked = ranked_score(r, sid, eid)
            spans = localized(span(ranked, fw.precision), lang) if ranked else ""
            out.append(f"{line}  ({spans})" if spans and len(line) + len(spans) + 4 <= width else line)
    if r.confidence:
        confidence = ", ".join(f"{_(LEVELS[k]) if k == 'not stated' else k} {v}" for k, v in r.confidence.items())
        out += ["", _("Confidence: {counts}").format(counts=confidence)]
    if r.recommendations:
        out += ["", _("Recommended actions ({count})").format(count=len(r.recommendations))]
        for x in r.recommendations:
            named = x.entity_name and x.entity_name not in x.finding
            priority = _(PRIORITY_WORDS[x.priority]) if x.priority in PRIORITY_WORDS else x.priority.upper()
            head = f"[{priority}] " + (_("{name}: ").format(name=x.entity_name) if named else "")
            out += textwrap.wrap(head + x.finding, width, initial_indent="  ", subsequent_indent="    ")
            label = ADDRESSEE_LABELS.get(x.addressee, x.addressee) if x.addressee else ""  # type: ignore[call-overload]
            who = _("{name}: ").format(name=_(label)) if label else ""
            out += textwrap.wrap(f"→ {who}{x.action}", width, initial_indent="    ", subsequent_indent="      ")
            if x.support:
                single = x.support == "single"
                weak = _("(rests on a single source)") if single else _("(rests on only low-graded sources)")
                out += textwrap.wrap(weak, width, initial_indent="    ")
            out += textwrap.wrap(f"({x.reference})", width, initial_indent="    ", subsequent_indent="     ")
    if r.requirements:
        n = len(r.requirements)
        plan_line = ngettext(
            "Collection plan: {n} intelligence requirement", "Collection plan: {n} intelligence requirements", n
        )
        out += ["", plan_line.format(n=n)]
    if r.gaps:
        out += ["", _("Gaps ({count})").format(count=len(r.gaps))]
        for g in r.gaps:
            out += textwrap.wrap(g.message, width, initial_indent="  - ", subsequent_indent="    ")
    return "\n".join(out) + "\n"
