"""Provides the plan of action: a result's recommended actions, one item per rule, the blocks it concerns listed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import domain
from .model import PRIORITIES, Framework, Result, Rule
from .model.framework import ADDRESSEE_LABELS
from .prose import isolated, unwrap

_, ngettext, pgettext = domain("cli")

PRIORITY_RANK: dict[str, int] = {p: i for i, p in enumerate(PRIORITIES, 1)}
"""Sorting key a spreadsheet can use: 1 critical, 2 high, 3 medium, 4 low."""

BRIEFS = {"unu": "UNU-CPR", "nupi": "NUPI"}
"""How a recommendation id's prefix reads: unu_3c is UNU-CPR 3c, nupi_1 is NUPI 1."""


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One action of the plan: a rule that fired, once, for every block it fired for."""

    number: int
    """Its number in the plan, 1 first, in order of priority then of the framework's rules."""
    priority: str
    """critical, high, medium or low."""
    rank: int
    """PRIORITY_RANK of the priority."""
    finding: str
    """What was found, text as written; with several blocks, they are named in for_whom instead."""
    action: str
    """What to do, text as written."""
    reference: str
    """Where the action comes from (quoted), text as written."""
    recommendations: tuple[str, ...]
    """Policy recommendations it leads to, as readers write them (UNU-CPR 3c, NUPI 1)."""
    rule: str
    """The rule's id, for tracing."""
    section: str
    """Title of the section the rule belongs to, or ''."""
    blocks: tuple[str, ...]
    """Names of the blocks (groups, risks...) it fired for, in the order they fired; () for an unscoped rule."""
    for_whom: str
    """What the action concerns, for a reader: the blocks' names, else the section's title."""
    addressee: str = ""
    """Who must act, as readers write it (ADDRESSEE_LABELS), or '' when the rule names no one."""
    conflicts: tuple[int, ...] = ()
    """Numbers of other items whose action pulls the other way (conflicts_with, either side) for a same block."""
    see_also: tuple[str, ...] = ()
    """Policy recommendations it relates to secondarily, written as recommendations is."""


def recommendation_label(rec_id: str) -> str:
    """A policy recommendation id as readers write it: unu_3c -> UNU-CPR 3c, nupi_1 -> NUPI 1."""
    prefix, _, rest = rec_id.partition("_")
    return f"{BRIEFS.get(prefix, prefix.upper())} {rest}" if rest else rec_id


def _sentence(text: str) -> str:
    """Capitalise the first letter a substituted phrase may have left lower-case at a sentence start."""
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


FRENCH_ARTICLE = r"(?:\b(?P<art>(?:du|des|aux|au|de\s+la|à\s+la|de|les|le|la)\s+|(?:de\s+l|à\s+l|d|l)['’]))?"
"""The article or preposition with article French writes before a block's name: 'du risque', 'à l'acteur', 'd'X'."""

FRENCH_KEPT = {"du": "de ", "des": "de ", "de": "de ", "d": "de ", "au": "à ", "aux": "à ", "à": "à "}
"""What stays of a French article or preposition before 'chaque …': the preposition (du → de, au → à), no article."""


def _french_kept(article: str | None) -> str:
    """The preposition of a French article ('du ' → 'de ', 'à l'' → 'à ', 'le ' → ''), kept before 'chaque'."""
    if not article:
        return ""
    first = re.split(r"[\s'’]", article.strip(), maxsplit=1)[0].lower()
    return FRENCH_KEPT.get(first, "")


def _each(text: str, label: str, lang: str = "en") -> str:
    """A rule's text for several blocks: "Risk '{entity}'", "the risk '{entity}'", "{entity}" -> "each risk listed";
    in French the whole noun phrase, its article or preposition too ("du risque « {entity} »" -> "de chaque risque
    de la liste", "l'acteur {entity}" -> "chaque acteur de la liste")."""
    word = re.escape(label.split()[-1])
    quoted = r"(?:['‘“]|«\s?)?\{entity\}(?:['’”]|\s?»)?"
    each = _("each {label} listed").format(label=label)
    if lang.split("-")[0] == "fr":
        named = re.compile(rf"{FRENCH_ARTICLE}(?:{word}\s+)?{quoted}", re.IGNORECASE)
        said = named.sub(lambda m: _french_kept(m["art"]) + each, text)
        return _sentence(said)
    article = r"(?:(?:the|le|la|les)\s+|l['’])?"  # "the risk 'X'" (and a French article, as before)
    named = re.compile(rf"(?:\b{article}{word}\s+)?{quoted}", re.IGNORECASE)
    return _sentence(named.sub(lambda _m: each, text))


def merged(framework: Framework, rule_id: str) -> tuple[str, str] | None:
    """A rule's finding and action as the plan words them when it fired for several blocks ("each group or
    network listed"), text as written; None when the rule is not the framework's or names no block."""
    rule = next((r for r in framework.rules if r.id == rule_id), None)
    if rule is None or "{entity}" not in rule.finding + rule.action:
        return None
    scope = framework.all_sections.get(rule.scope or "")
    label = scope.repeat.label if scope is not None and scope.repeat is not None else "block"
    lang = framework.language
    return _each(unwrap(rule.finding), label, lang), _each(unwrap(rule.action), label, lang)


def _conflicts(rules: dict[str, Rule], fired: dict[str, list], ranked: list[str]) -> dict[str, tuple[int, ...]]:
    """For each fired rule, the numbers of the other fired rules it conflicts with (either side names the
    other in conflicts_with) for at least one same block, or with both unscoped."""
    where = {rid: {(rules[rid].scope, x.entity) for x in fired[rid]} for rid in ranked}  # blocks of one section
    number = {rid: i for i, rid in enumerate(ranked, 1)}
    out: dict[str, tuple[int, ...]] = {}
    for rid in ranked:
        mine = set(rules[rid].conflicts_with)
        out[rid] = tuple(
            number[other]
            for other in ranked
            if other != rid and (other in mine or rid in rules[other].conflicts_with) and where[rid] & where[other]
        )
    return out


def addressee_label(addressee: str | None) -> str:
    """An addressee id as readers write it (ADDRESSEE_LABELS), '' for none, the id itself if unknown."""
    if not addressee:
        return ""
    return next((label for key, label in ADDRESSEE_LABELS.items() if key == addressee), addressee)


def plan(result: Result) -> list[PlanItem]:
    """The plan of action of a scored assessment: one item per rule that fired, gravest first, numbered."""
    fw = result.framework
    rules = {r.id: r for r in fw.rules}
    order = {r.id: i for i, r in enumerate(fw.rules)}
    fired: dict[str, list] = {}
    for x in result.recommendations:
        fired.setdefault(x.rule, []).append(x)
    ranked = sorted(fired, key=lambda rid: (PRIORITY_RANK[fired[rid][0].priority], order.get(rid, len(order))))
    conflicts = _conflicts(rules, fired, ranked)
    items = []
    for number, rid in enumerate(ranked, 1):
        xs, rule = fired[rid], rules[rid]
        first = xs[0]
        names = tuple(dict.fromkeys(x.entity_name for x in xs if x.entity_name))
        section = fw.all_sections[first.section].title if first.section in fw.all_sections else ""
        if len(xs) > 1 and "{entity}" in rule.finding + rule.action:
            scope = fw.all_sections.get(rule.scope or "")
            label = scope.repeat.label if scope is not None and scope.repeat is not None else "block"
            lang = fw.language
            finding, action = _each(unwrap(rule.finding), label, lang), _each(unwrap(rule.action), label, lang)
        elif first.entity_name:  # the block's name isolated where it has direction controls (prose.isolated)
            named = isolated(first.entity_name)
            finding = unwrap(rule.finding).replace("{entity}", named)
            action = unwrap(rule.action).replace("{entity}", named)
        else:
            finding, action = unwrap(first.finding), unwrap(first.action)
        items.append(
            PlanItem(
                number=number,
                priority=first.priority,
                rank=PRIORITY_RANK[first.priority],
                finding=finding,
                action=action,
                reference=unwrap(first.reference),
                recommendations=tuple(recommendation_label(r) for r in rule.recommendations),
                rule=rid,
                section=section,
                blocks=names,
                for_whom="; ".join(isolated(n) for n in names) if names else section,
                addressee=addressee_label(rule.addressee),
                conflicts=conflicts[rid],
                see_also=tuple(recommendation_label(r) for r in rule.see_also),
            )
        )
    return items
