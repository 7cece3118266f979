"""Provides the summary's words in its language: the template's own (headings, column headers, the footer: the
`words` variable of templates/summary.docx, from the hq catalogue), numbers, dates and languages' names."""

from __future__ import annotations

import datetime as _dt

from .. import i18n, l10n
from ..i18n import N_, domain

_, _ngettext, pgettext = domain("hq")

WORDS = {
    "draft": N_("DRAFT"),
    "summary": N_("headquarters summary"),
    "page": N_("page"),
    "page_of": N_("of"),
    "glance": N_("At a glance"),
    "mission_period": N_("Mission, period"),
    "framework_headline": N_("Framework: headline"),
    "headline_score": N_("Headline score"),
    "change": N_("Change"),
    "critical": N_("Critical"),
    "high": N_("High"),
    "answered": N_("Answered"),
    "required_open": N_("Required open"),
    "draft_column": N_("Draft"),
    "policy_heading": N_("Policy recommendations across missions"),
    "policy": N_("Policy"),
    "missions": N_("Missions"),
    "asks": N_("What it asks"),
    "about": N_("About this summary"),
    "scores_heading": N_("Scores by mission"),
    "score": N_("Score"),
    "period": N_("Period"),
    "versions_heading": N_("Questions compared across versions"),
    "answers_on": N_("answers on version"),
    "question": N_("Question"),
    "how": N_("How it maps"),
    "trends_heading": N_("Trends across periods"),
    "mission": N_("Mission"),
    "periods_and": N_("Periods and"),
    "actions_heading": N_("Recommended actions, rule by rule"),
    "priority": N_("Priority"),
    "action": N_("Recommended action"),
    "for_whom": N_("For whom"),
    "framework": N_("Framework"),
    "follow_up_heading": N_("Actions of the last period, followed up"),
    "framework_period": N_("Framework, period"),
    "last_actions": N_("Actions of the last period"),
    "done": N_("Done"),
    "in_progress": N_("In progress"),
    "dropped": N_("Dropped"),
    "not_started": N_("Not started"),
    "coverage_heading": N_("Coverage, confidence and intelligence gaps"),
    "unknown": N_("Unknown"),
    "low_confidence": N_("Low conf."),
    "no_sources": N_("No sources"),
    "confidence": N_("Confidence"),
    "gaps_heading": N_("Intelligence gaps (answers 'unknown')"),
    "no_gaps": N_("No assessment answered 'unknown' to any question."),
    "annex_heading": N_("Annex: the assessments compared"),
    "updated": N_("Updated"),
    "revisions": N_("Revisions"),
    "assessment_id": N_("Assessment id"),
    "language": N_("Language"),
}
"""Key -> the template's word in English (the source), translated by words()."""


def words() -> dict[str, str]:
    """The template's words in the interface's language, and its colon (' : ' in French, a no-break space before)."""
    return {key: _(text) for key, text in WORDS.items()} | {"colon": colon()}


def colon() -> str:
    """': ', as the interface's language writes it before a list or an explanation (French: a no-break space before)."""
    return pgettext("typography", ": ")


def semicolon() -> str:
    """'; ' between items, as the interface's language writes it (French: a no-break space before)."""
    return pgettext("typography", "; ")


def number(text: str) -> str:
    """A number as assess formats it ('6.40') written as the interface's language writes it ('6,40' in French)."""
    return l10n.number(text, i18n.language())


def date(value: _dt.date | str) -> str:
    """A date (or an ISO 8601 text) as the interface's language writes it: 1 décembre 2026; in English as summaries
    (and reports) have always shown it, 2026-12-01."""
    if i18n.primary(i18n.language()) == i18n.SOURCE:
        return value.isoformat() if isinstance(value, _dt.date) else value
    return l10n.date(value, i18n.language())


def language_name(code: str) -> str:
    """A language's name in the interface's language ('French' in English, 'français' in French); the code itself
    when Babel does not know it, '—' for none."""
    if not code:
        return "—"
    from babel import Locale, UnknownLocaleError  # deferred: Babel's data, read only for a summary

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(i18n.language().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name or code
