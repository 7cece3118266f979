"""Provides the report's words for the core's fixed wordings: addressees, collectors, the grading systems' meanings."""

from __future__ import annotations

from ..i18n import N_, domain

_, ngettext, pgettext = domain("report")

ADDRESSEES = (
    N_("Mission leadership (SRSG / Head of Mission)"),
    N_("JMAC"),
    N_("UN Police (SOC unit, crime analysis)"),
    N_("Political affairs"),
    N_("Mediation and good offices team"),
    N_("Civil affairs"),
    N_("Justice and corrections"),
    N_("DDR and community violence reduction"),
    N_("Human rights"),
    N_("Mission support (procurement, contracts, logistics)"),
    N_("Mission security and UNDSS"),
    N_("Strategic communications"),
    N_("UN Headquarters (DPPA / DPO)"),
    N_("Sanctions committee, through the Panel of Experts"),
    N_("UN country team and UNODC"),
    N_("Member States (through UN Headquarters)"),
)
"""The plan of action's addressees as assess.model.ADDRESSEE_LABELS words them (tests keep the two in step)."""

COLLECTORS = (
    N_("UNPOL crime analysis"),
    N_("Military information / fusion cell"),
    N_("Panel of Experts"),
    N_("Civil society and open sources"),
    N_("Human rights component"),
    N_("Mission support (procurement, finance)"),
)
"""The collection plan's collectors as assess.model.COLLECTOR_LABELS words them, beyond the addressees' words."""

GRADE_MEANINGS = (
    N_(
        "No doubt of the authenticity, trustworthiness and competence of the source, or a history of complete "
        "reliability"
    ),
    N_("Source from whom information received has in most instances proved to be reliable"),
    N_("Source from whom information received has in most instances proved to be unreliable"),
    N_("Reliability of the source cannot be assessed"),
    N_("Information whose accuracy is known without reservation"),
    N_("Information known personally to the source but not known personally to the official passing it on"),
    N_("Information not known personally to the source but corroborated by other information already recorded"),
    N_("Information not known personally to the source and which cannot be corroborated"),
    N_("Completely reliable"),
    N_("Usually reliable"),
    N_("Fairly reliable"),
    N_("Not usually reliable"),
    N_("Unreliable"),
    N_("Reliability cannot be judged"),
    N_("Confirmed by other sources"),
    N_("Probably true"),
    N_("Possibly true"),
    N_("Doubtful"),
    N_("Improbable"),
    N_("Truth cannot be judged"),
)
"""The official meanings of the grades (assess.model.GRADE_OFFICIAL), as Europol and NATO publish them in English;
their French is the French editions' wording."""

_KNOWN = frozenset(ADDRESSEES + COLLECTORS + GRADE_MEANINGS)


def word(text: str) -> str:
    """One of these fixed wordings in the report's language; any other text (a framework's own) as it is."""
    return _(text) if text in _KNOWN else text


def words(texts) -> list[str]:
    """Each of texts through word()."""
    return [word(t) for t in texts]
