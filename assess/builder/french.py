"""Provides the French of what assess writes into every framework: the built-in scales and the key judgements block,
in the shape of a framework's translation block (UN French usage; ICD 203's terms as UN French renders them)."""

from __future__ import annotations

from typing import Any


def _term(label: str, term: str, band: str) -> dict[str, str]:
    """One likelihood term: its label and, in the description, its alternative term and band."""
    return {"label": label, "description": f"Aussi écrit « {term} » : {band}."}


SCALES: dict[str, Any] = {
    "yesno": {"title": "Oui / non", "options": {"no": {"label": "Non"}, "yes": {"label": "Oui"}}},
    "yesno_unknown": {
        "title": "Oui / non / inconnu",
        "options": {"no": {"label": "Non"}, "yes": {"label": "Oui"}, "unknown": {"label": "Inconnu"}},
    },
    "confidence": {
        "title": "Degré de confiance",
        "options": {"low": {"label": "Faible"}, "medium": {"label": "Moyen"}, "high": {"label": "Élevé"}},
    },
    "icd203": {
        "title": "Probabilité (ICD 203)",
        "description": "Les sept termes de la directive 203 de la communauté du renseignement des États-Unis (normes "
        "analytiques), chacun avec sa fourchette de probabilité ; le degré de confiance analytique s'énonce à part, "
        "jamais dans la même phrase.",
        "options": {
            "almost_no_chance": _term("Quasiment aucune chance (01–05 %)", "lointain", "01–05 %"),
            "very_unlikely": _term("Très improbable (05–20 %)", "hautement improbable", "05–20 %"),
            "unlikely": _term("Improbable (20–45 %)", "peu probable", "20–45 %"),
            "even_chance": _term(
                "À peu près autant de chances que non (45–55 %)", "chances à peu près égales", "45–55 %"
            ),
            "likely": _term("Probable (55–80 %)", "vraisemblable", "55–80 %"),
            "very_likely": _term("Très probable (80–95 %)", "hautement probable", "80–95 %"),
            "almost_certain": _term("Presque certain (95–99 %)", "quasi certain", "95–99 %"),
        },
    },
    "phia": {
        "title": "Probabilité (échelle de probabilité du PHIA britannique)",
        "description": "L'échelle de probabilité du chef de l'évaluation du renseignement du Royaume-Uni (PHIA) : "
        "sept termes, chacun avec sa fourchette (les écarts entre fourchettes sont voulus) ; le degré de confiance "
        "analytique s'énonce à part.",
        "options": {
            "remote": {"label": "Infime (0–5 %)"},
            "highly_unlikely": {"label": "Très improbable (10–20 %)"},
            "unlikely": {"label": "Improbable (25–35 %)"},
            "realistic_possibility": {"label": "Possibilité réaliste (40–50 %)"},
            "likely": {"label": "Probable (55–75 %)"},
            "highly_likely": {"label": "Très probable (80–90 %)"},
            "almost_certain": {"label": "Presque certain (95–100 %)"},
        },
    },
    "analytic_confidence": {
        "title": "Degré de confiance analytique",
        "description": "La mesure dans laquelle on peut se fier à l'analyse qui fonde un jugement (d'après l'ICD 203 "
        "et la pratique courante) : la qualité et la corroboration des informations, et les hypothèses qu'elle "
        "exige. S'énonce à part de la probabilité.",
        "options": {
            "low": {
                "label": "Faible",
                "description": "Les informations sont fragmentaires ou peu corroborées, ou le jugement repose sur "
                "de nombreuses hypothèses.",
            },
            "moderate": {
                "label": "Modéré",
                "description": "Les informations proviennent de sources crédibles et sont plausibles, mais pas "
                "assez corroborées pour un degré de confiance élevé.",
            },
            "high": {
                "label": "Élevé",
                "description": "Le jugement repose sur des informations de grande qualité issues de plusieurs "
                "sources, avec peu d'hypothèses.",
            },
        },
    },
    "trajectory": {
        "title": "Tendance",
        "description": "L'évolution attendue au cours de la période à venir ; un score plus élevé est plus "
        "défavorable dans un cadre d'évaluation de la menace.",
        "options": {
            "falling": {"label": "En baisse"},
            "stable": {"label": "Stable"},
            "rising": {"label": "En hausse"},
            "unknown": {"label": "Inconnu"},
        },
    },
}
"""The built-in scales' French, by scale id."""

KEY_JUDGEMENTS: dict[str, Any] = {
    "section": {
        "title": "Jugements clés et perspectives",
        "description": "Les jugements clés de l'analyse, chacun avec sa probabilité et, à part, le degré de confiance "
        "analytique.",
        "guidance": "Formulez chaque jugement clé en une phrase : ce qui, selon vous, se produira ou est avéré. "
        "Indiquez ensuite, à part, sa probabilité, dans les termes de l'échelle de probabilité, et votre degré de "
        "confiance dans l'analyse qui le fonde. L'ICD 203 (normes analytiques) les énonce séparément, jamais dans "
        "la même phrase : la probabilité dit à quel point l'événement est probable ; le degré de confiance dit "
        "dans quelle mesure les éléments de preuve et les hypothèses étayent le jugement.",
        "repeat_label": "jugement clé",
    },
    "questions": {
        "kj_judgement": {
            "text": "Que jugez-vous qu'il se produira, ou qu'il en est ? Une phrase, sans terme de probabilité.",
            "guidance": "Laissez « probable », « probablement » et les termes semblables hors de la phrase : la "
            "question suivante énonce la probabilité.",
        },
        "kj_likelihood": {
            "text": "Quelle en est la probabilité ?",
            "guidance": "Le terme d'estimation et sa fourchette. Dites à quel point c'est probable, non à quel point "
            "vous êtes sûr de l'analyse : c'est l'objet de la question suivante.",
        },
        "kj_confidence": {
            "text": "Quel est votre degré de confiance dans l'analyse qui le fonde ?",
            "guidance": "La qualité et la corroboration des informations, et le nombre d'hypothèses que le jugement "
            "exige.",
        },
        "kj_basis": {
            "text": "Sur quoi repose-t-il : les principaux éléments de preuve et hypothèses ?",
            "guidance": "Nommez les informations sur lesquelles repose le jugement et les hypothèses qu'il exige, "
            "afin qu'un lecteur voie ce qui le changerait ; citez les sources ci-dessous.",
        },
        "kj_indicators": {
            "text": "Quels indicateurs montreraient qu'il se réalise, ou non ?",
            "guidance": "Des signes observables à suivre au cours de la période à venir, pour et contre : ce que la "
            "prochaine évaluation devra vérifier.",
        },
        "kj_horizon": {
            "text": "À quelle échéance ?",
            "guidance": "La période que couvre le jugement, par exemple « avant les élections » ou « d'ici à la "
            "mi-2027 ».",
        },
    },
}
"""The key judgements block's French: its section's texts, and its questions' by id."""

UNKNOWN: dict[str, str] = {"label": "Inconnu", "description": "Inconnu : une lacune en matière de renseignement."}
"""The 'unknown' option a range scale adds, in French."""


def _typeset(value: Any) -> Any:
    """French typography: a non-breaking space inside « » and before : and %, a narrow one before ; ? and !."""
    if isinstance(value, dict):
        return {k: _typeset(v) for k, v in value.items()}
    if isinstance(value, str):
        for plain, fixed in (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" %", "\u00a0%")):
            value = value.replace(plain, fixed)
        for mark in ";?!":
            value = value.replace(" " + mark, "\u202f" + mark)
    return value


BUILTIN: dict[str, dict[str, Any]] = {
    "fr": _typeset({"scales": SCALES, "key_judgements": KEY_JUDGEMENTS, "unknown": UNKNOWN}),
}
"""What assess writes into frameworks, by language (the source, English, is in the code that writes it)."""


def builtin(lang: str) -> dict[str, Any]:
    """The built-in texts in a language (or the one without its region); {} for English and languages without."""
    return BUILTIN.get(lang) or BUILTIN.get(lang.split("-")[0], {})
