"""Provides the recommendation-to-rule table: each policy recommendation and the bundled rules that lead to it."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from .loader import load_framework
from .model import Framework
from .paths import FRAMEWORKS
from .yamlsafe import load_file

CATALOGUE = FRAMEWORKS / "catalogue" / "recommendations.yaml"


ENTRY_TEXTS = ("group", "text", "note", "reason")
"""The texts of a recommendation a translation may give (its brief's title, its section and lines stay as published)."""


def catalogue(lang: str | None = None) -> dict:
    """The catalogue: briefs by id, and the list of recommendations with id, brief, group and text; with lang, one of
    its `languages` (the texts' own first), each entry's texts in that language where its `translations` block has
    them (else as written)."""
    data = load_file(CATALOGUE).data
    assert isinstance(data, dict), f"{CATALOGUE} must hold a mapping"
    return translated(data, lang)


def translated(data: dict, lang: str | None) -> dict:
    """Catalogue data with its entries' texts in lang where its translations block has them."""
    block = ((data.get("translations") or {}).get(lang) or {}).get("recommendations") or {} if lang else {}
    if not block:
        return data
    recs = []
    for rec in data.get("recommendations", []):
        own = block.get(rec.get("id")) or {}
        recs.append({**rec, **{k: v for k, v in own.items() if k in ENTRY_TEXTS and isinstance(v, str) and v.strip()}})
    return {**data, "recommendations": recs}


def translation_problems(data: dict) -> list[str]:
    """What is wrong with a catalogue's translations: a language it does not declare (E902's sense), an entry or a
    text it does not have (E901's); and each entry text without a translation in a declared language (W040's)."""
    declared = data.get("languages") or ["en"]
    recs = {r["id"]: r for r in data.get("recommendations", [])}
    out = []
    for lang, tr in (data.get("translations") or {}).items():
        if lang not in declared[1:]:
            out.append(f"translations.{lang}: not one of the other declared languages {declared[1:]}")
        for rid, texts in ((tr or {}).get("recommendations") or {}).items():
            for key in texts if rid in recs else ["(entry)"]:
                if rid not in recs or key not in ENTRY_TEXTS or not recs[rid].get(key):
                    out.append(f"translations.{lang}.recommendations.{rid}.{key}: translates nothing")
    for lang in declared[1:]:
        block = ((data.get("translations") or {}).get(lang) or {}).get("recommendations") or {}
        for rid, rec in recs.items():
            out += [
                f"translations.{lang}.recommendations.{rid}.{key}: missing"
                for key in ENTRY_TEXTS
                if rec.get(key) and not (block.get(rid) or {}).get(key)
            ]
    return out


@dataclass
class Links:
    """The bundled rules that cite one recommendation: (framework id, rule id, priority) each, in order."""

    primary: list[tuple[str, str, str]] = field(default_factory=list)
    """Rules whose finding is evidence for it (their `recommendations:`)."""
    secondary: list[tuple[str, str, str]] = field(default_factory=list)
    """Rules that relate to it only secondarily (their `see_also:`)."""


def bundled() -> list[Framework]:
    """The bundled frameworks, in file-name order."""
    return [load_framework(path)[0] for path in sorted(FRAMEWORKS.glob("*.yaml"))]


def links(frameworks: Iterable[Framework] | None = None) -> dict[str, Links]:
    """For each recommendation id cited by a rule of the frameworks (the bundled ones by default): its primary
    and its secondary rules."""
    out: dict[str, Links] = {}
    for fw in bundled() if frameworks is None else frameworks:
        for rule in fw.rules:
            for rec in rule.recommendations:
                out.setdefault(rec, Links()).primary.append((fw.id, rule.id, rule.priority))
            for rec in rule.see_also:
                out.setdefault(rec, Links()).secondary.append((fw.id, rule.id, rule.priority))
    return out


def rules_by_recommendation() -> dict[str, list[tuple[str, str, str]]]:
    """For each recommendation id a bundled rule cites as primary: (framework id, rule id, priority), in order."""
    return {rec: found.primary for rec, found in links().items() if found.primary}


def _cell(text: str) -> str:
    """Text as it may stand in a Markdown table cell (a '|' would end the cell)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _rules(found: list[tuple[str, str, str]]) -> str:
    """A list of rules for a table cell, one a line."""
    return "<br>".join(f"{f}: `{r}` ({p})" for f, r, p in found)


def render(frameworks: Iterable[Framework] | None = None) -> str:
    """frameworks/RECOMMENDATIONS.md: the catalogue's recommendations, each with its primary and secondary rules
    among the frameworks given (the bundled ones by default)."""
    cat = catalogue()
    found = links(frameworks)
    recs = cat["recommendations"]
    unassessable = [r for r in recs if r.get("assessable") is False]
    covered = [r for r in recs if found.get(r["id"], Links()).primary]
    lines = [
        "# Recommendations and the rules that lead to them",
        "",
        "Generated by `python -m assess.catalogue > frameworks/RECOMMENDATIONS.md` from",
        "`frameworks/catalogue/recommendations.yaml` and the bundled frameworks.",
        "",
        "A rule links to a recommendation in one of two ways. **Primary** (the rule's `recommendations:`): the",
        "rule's finding is evidence that the recommendation is needed where it fired. **See also** (the rule's",
        "`see_also:`): its action lies in the recommendation's area, but its finding is not evidence for it.",
        "A test fails when a recommendation has no primary rule (unless the catalogue marks it not assessable,",
        "with its reason shown in the table), or a rule cites an id that is not in the catalogue.",
        "",
        f"{len(recs)} recommendations: {len(covered)} with at least one primary rule, "
        f"{len(unassessable)} marked not assessable from an assessment.",
        "",
        "Each recommendation is worded as its brief words it (quotation or close paraphrase); the line",
        "numbers are those of the plain-text copy of the brief the catalogue was checked against.",
        "",
    ]
    for brief_id, brief in cat["briefs"].items():
        origin = ", ".join(str(brief[k]) for k in ("series", "publisher", "date") if brief.get(k))
        lines += [
            f"## {_cell(brief['title'])}",
            "",
            f"{_cell(brief['author'])}, {_cell(origin or brief['year'])}.",
            "",
            "| id | recommendation | primary rules (framework: rule, priority) | see also |",
            "|---|---|---|---|",
        ]
        group = None
        for rec in recs:
            if rec["brief"] != brief_id:
                continue
            if rec["group"] != group:
                group = rec["group"]
                lines.append(f"| | **{_cell(group)}** | | |")
            where = _cell(rec.get("section") or "")
            if rec.get("lines"):
                many = any(c in str(rec["lines"]) for c in ",-–")
                where += f" ({'lines' if many else 'line'} {_cell(rec['lines'])})"
            text = _cell(rec["text"])
            if rec.get("note"):
                text += f"<br>Note: {_cell(rec['note'])}"
            if where.strip():
                text += f"<br>*{where.strip()}*"
            here = found.get(rec["id"], Links())
            primary = _rules(here.primary) or "**none**"
            if rec.get("assessable") is False:
                reason = f"*not assessable: {_cell(rec.get('reason', 'no reason given'))}*"
                primary = reason if not here.primary else f"{reason}<br>{primary}"
            lines.append(f"| `{rec['id']}` | {text} | {primary} | {_rules(here.secondary)} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
