"""Provides the source grading systems (Europol's and NATO's): their grades, what each means, and which grades are
low."""

from __future__ import annotations

GRADES: dict[str, tuple[str, str]] = {
    "4x4": ("ABCX", "1234"),
    "admiralty": ("ABCDEF", "123456"),
}
"""The grades of each grading system: (source reliability, information credibility)."""

LEGACY_4X4 = {"D": "X"}
"""4x4 reliability letters earlier versions of assess wrote, and the letter each is read as (W018)."""

GRADE_MEANINGS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "4x4": (
        {
            "A": "no doubt about the source",
            "B": "mostly reliable",
            "C": "mostly unreliable",
            "X": "cannot be assessed",
        },
        {
            "1": "known to be true without reservation",
            "2": "known personally to the source",
            "3": "not known personally, corroborated",
            "4": "not known personally, not corroborated",
        },
    ),
    "admiralty": (
        {
            "A": "completely reliable",
            "B": "usually reliable",
            "C": "fairly reliable",
            "D": "not usually reliable",
            "E": "unreliable",
            "F": "reliability cannot be judged",
        },
        {
            "1": "confirmed by other sources",
            "2": "probably true",
            "3": "possibly true",
            "4": "doubtful",
            "5": "improbable",
            "6": "truth cannot be judged",
        },
    ),
}
"""What each grade means, in short, per grading system: (source reliability, information credibility)."""

GRADE_OFFICIAL: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "4x4": (
        {
            "A": "No doubt of the authenticity, trustworthiness and competence of the source, or a history of "
            "complete reliability",
            "B": "Source from whom information received has in most instances proved to be reliable",
            "C": "Source from whom information received has in most instances proved to be unreliable",
            "X": "Reliability of the source cannot be assessed",
        },
        {
            "1": "Information whose accuracy is known without reservation",
            "2": "Information known personally to the source but not known personally to the official passing it on",
            "3": "Information not known personally to the source but corroborated by other information already "
            "recorded",
            "4": "Information not known personally to the source and which cannot be corroborated",
        },
    ),
    "admiralty": (
        {
            "A": "Completely reliable",
            "B": "Usually reliable",
            "C": "Fairly reliable",
            "D": "Not usually reliable",
            "E": "Unreliable",
            "F": "Reliability cannot be judged",
        },
        {
            "1": "Confirmed by other sources",
            "2": "Probably true",
            "3": "Possibly true",
            "4": "Doubtful",
            "5": "Improbable",
            "6": "Truth cannot be judged",
        },
    ),
}
"""The official wording of each grade, per grading system, for the report's method note: as Europol (SOCTA
methodology) and NATO (AJP-2.1) publish them."""

LOW_GRADES: dict[str, tuple[str, str]] = {
    "4x4": ("CX", "4"),
    "admiralty": ("DEF", "456"),
}
"""The grades that make a source low-graded, per grading system: (reliability, credibility)."""


def low_grade(grading: str, reliability: str | None, credibility: str | None) -> bool:
    """Whether a source's grades are low (LOW_GRADES, a legacy 4x4 D read as X); a grade not given is not low."""
    letters, digits = LOW_GRADES.get(grading, ("", ""))
    rel = (reliability or "").strip().upper()
    if grading == "4x4":
        rel = LEGACY_4X4.get(rel, rel)
    cred = (credibility or "").strip()
    return (len(rel) == 1 and rel in letters) or (len(cred) == 1 and cred in digits)


def grade_list(grades: str) -> str:
    """The grades of a system as a message names them: 'A-F' when they run on, else 'A, B, C, X'."""
    runs_on = grades == "".join(chr(c) for c in range(ord(grades[0]), ord(grades[-1]) + 1))
    return f"{grades[0]}-{grades[-1]}" if runs_on else ", ".join(grades)
