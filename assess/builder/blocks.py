"""Provides the ready-made blocks a framework includes in its list of sections: the key judgements section."""

from __future__ import annotations

from ..checks.context import Context, Spec, Where
from ..translations import BLOCK_TITLES, translated

KEY_JUDGEMENTS = "key_judgements"
"""The role of the key judgements section, and its default id."""

GUIDANCE = (
    "Write each key judgement in one sentence: what you judge will happen, or is the case. Then state, apart, "
    "how likely it is, in the likelihood scale's terms, and how confident you are in the analysis behind it. "
    "ICD 203 (Analytic Standards) has the two stated separately, never in one sentence: the likelihood says how "
    "probable the event is; the confidence says how well the evidence and the assumptions carry the judgement."
)
"""What the key judgements section asks of the analyst."""


def _question(qid: str, text: str, qtype: str, required: bool, **more: object) -> Spec:
    """A question of the key judgements section: no answer-level confidence; sources on what it rests on only."""
    return {
        "id": qid,
        "text": text,
        "type": qtype,
        "required": required,
        "confidence": False,
        "evidence": "recommended" if qid == "kj_basis" else "none",
        "justification": "none",
        "allow_na": False,
        **more,
    }


def key_judgements(spec: Spec, texts: Spec | None = None) -> Spec:
    """The section {include: key_judgements} stands for: a repeatable, unscored section, one block per judgement;
    texts: its texts in the framework's language (those of french.KEY_JUDGEMENTS), else English."""
    section = _key_judgements(spec)
    if not texts:
        return section
    own = {"sections": {section["id"]: texts.get("section", {})}, "questions": texts.get("questions", {})}
    if spec.get("title", BLOCK_TITLES[KEY_JUDGEMENTS]) != BLOCK_TITLES[KEY_JUDGEMENTS]:  # its own, translated
        own["sections"][section["id"]] = {k: v for k, v in own["sections"][section["id"]].items() if k != "title"}
    out: Spec = translated({"sections": [section]}, own)[0]["sections"][0]
    return out


def _key_judgements(spec: Spec) -> Spec:
    """key_judgements() in English."""
    return {
        "id": spec.get("id", KEY_JUDGEMENTS),
        "title": spec.get("title", BLOCK_TITLES[KEY_JUDGEMENTS]),
        "description": "The analysis's key judgements, each with its likelihood and, apart, the analytic confidence.",
        "guidance": GUIDANCE,
        "scored": False,
        "repeat": {"label": "key judgement", "min": spec.get("min", 0), "max": spec.get("max", 12)},
        "questions": [
            _question(
                "kj_judgement",
                "What do you judge will happen, or is the case? One sentence, without a likelihood word.",
                "text",
                True,
                guidance="Leave 'likely', 'probably' and the like out of the sentence: the next question states "
                "the likelihood.",
            ),
            _question(
                "kj_likelihood",
                "How likely is it?",
                "scale",
                True,
                scale=spec.get("likelihood", "icd203"),
                scored=False,
                guidance="The estimative term and its band. Say how probable it is, not how sure you are of the "
                "analysis: that is the next question.",
            ),
            _question(
                "kj_confidence",
                "How confident are you in the analysis behind it?",
                "scale",
                True,
                scale="analytic_confidence",
                scored=False,
                guidance="The quality and corroboration of the information, and how many assumptions the "
                "judgement needs.",
            ),
            _question(
                "kj_basis",
                "What does it rest on: the key evidence and assumptions?",
                "text",
                True,
                guidance="Name the reporting the judgement rests on and the assumptions it needs, so a reader can "
                "see what would change it; cite the sources below.",
            ),
            _question(
                "kj_indicators",
                "Which indicators would show it is coming true, or not?",
                "text",
                True,
                guidance="Observable signs to watch over the coming period, for and against: what the next "
                "assessment should check.",
            ),
            _question(
                "kj_horizon",
                "By when?",
                "text",
                False,
                guidance="The period the judgement covers, e.g. 'before the elections' or 'by mid-2027'.",
            ),
        ],
    }


def expand(
    cx: Context, entries: list[Spec], path: Where, texts: Spec | None = None
) -> list[tuple[int, Spec, str | None]]:
    """A list of sections as the sections it stands for: each entry's index, its section, and the role of a block
    included (else None). A second key judgements block is reported (E245) and left out. texts: the built-in
    texts of the framework's language (french.BUILTIN's shape)."""
    out: list[tuple[int, Spec, str | None]] = []
    for i, entry in enumerate(entries):
        if "include" not in entry:
            out.append((i, entry, None))
            continue
        block = entry["include"]
        if block in cx.includes:
            first = cx.loc.pos(cx.includes[block] + ("include",))[0]
            cx.flag(path + (i,), "E245", at=("include",), first=first)
            continue
        cx.includes[block] = path + (i,)
        out.append((i, key_judgements(entry, (texts or {}).get(KEY_JUDGEMENTS)), block))
    return out
