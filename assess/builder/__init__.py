"""Provides the building of a Framework from data that passed the schema, checking its cross-references on the
way (assess/checks): scales and ratings (scales.py), sections and questions (sections.py), derived scores, rules,
heat maps and score ranges (scores.py)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from ..checks import names, orders, rules
from ..checks import translations as translation_checks
from ..checks.context import Context, F
from ..errors import problem
from ..model import Framework, Policy
from ..translations import block, language_name, languages, lookup, merge, pick, texts, translated
from ..yamlsafe import Located
from .blocks import expand
from .french import builtin
from .migrations import build_migrations
from .scales import BUILTIN_SCALES, build_ratings, build_scales
from .scores import build_derived, build_heatmap, build_rule, score_ranges
from .sections import build_section


def content_hash(data: object) -> str:
    """'sha256:' and the hash of the canonical JSON form of loaded data."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canon)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(v: object) -> str:
    if isinstance(v, (Decimal, Fraction)):
        return str(v)
    raise TypeError(type(v).__name__)


def _coverage(data: dict[str, object], lang: str) -> tuple[int, int, str]:
    """How many texts a language's block translates, of how many, and the block's hash."""
    tr = block(data, lang)
    keys = {t.key for t in texts(data)}
    return sum(1 for k in keys if lookup(tr, k) is not None), len(keys), content_hash(tr)


def build_model(located: Located, lang: str | None = None) -> tuple[Framework, Context]:
    """The Framework of located data that passed the schema, and the Context with every problem found; with lang,
    one of the framework's languages, its texts are in that language (a text without a translation in its default
    one: W041 counts them); a language it lacks is its default one (W042)."""
    source = located.data
    assert isinstance(source, dict)
    declared = languages(source)
    language = pick(lang, declared) or declared[0]
    texts = builtin(language)
    early = translation_checks.check(located, BUILTIN_SCALES)
    if language != declared[0]:
        own = block(source, language)
        data, left = translated(source, own)
        located = Located(data, located.file, located.values, located.keys)
        texts = merge(
            texts, {"scales": {k: v for k, v in own.get("scales", {}).items() if k not in data.get("scales", {})}}
        )
        if left:
            early.append(
                problem(
                    located.file,
                    None,
                    "W041",
                    count=len(left),
                    language=language_name(language),
                    default=language_name(declared[0]),
                )
            )
    if lang and pick(lang, declared) is None:
        early.append(
            problem(
                located.file,
                None,
                "W042",
                fid=source.get("id", "?"),
                language=language_name(lang),
                languages=", ".join(declared),
                default=language_name(declared[0]),
            )
        )
    cx = Context(located)
    cx.problems.extend(early)
    d = cx.data
    cx.scales = build_scales(cx, texts)
    cx.ratings = build_ratings(cx)
    sections = tuple(
        build_section(cx, s, ("sections", i), None, cx.direction, None, role, texts)
        for i, s, role in expand(cx, d["sections"], ("sections",), texts)
    )
    derived = tuple(build_derived(cx, x, ("derived", i)) for i, x in enumerate(d.get("derived", [])))
    cx.derived = {x.id: x for x in derived}
    conf = d.get("confidence", {"scale": "confidence"})
    cscale = cx.scales.get(conf["scale"])
    if cscale is None:
        names.unknown_scale(cx, conf["scale"], ("confidence", "scale"))
    clow = None
    if cscale is not None and cscale.scores:
        clow = F(conf["low"]) if "low" in conf else min(cscale.scores)
    pol = d.get("policy", {})
    policy = Policy(**{k: pol[k] for k in ("unanswered", "not_applicable", "unknown") if k in pol})
    names.check_rating(cx, d, ())
    refs = tuple(d.get("references", ()))
    cx.ref_ids = {r["id"] for r in refs}
    built_rules = tuple(build_rule(cx, r, ("rules", i)) for i, r in enumerate(d.get("rules", [])))
    heatmaps = tuple(build_heatmap(cx, h, ("heatmaps", i)) for i, h in enumerate(d.get("heatmaps", [])))
    migrations = build_migrations(cx, d["version"])
    vis_order = orders.visibility_order(cx)
    derived_order = orders.derived_order(cx)
    fw = Framework(
        id=d["id"],
        version=d["version"],
        title=d["title"],
        sections=sections,
        hash=content_hash(source),
        description=d.get("description", ""),
        precision=d.get("precision", 2),
        grading=d.get("grading", "4x4"),
        confidence_scale=cscale,
        confidence_low=clow,
        policy=policy,
        direction=cx.direction,
        rating=d.get("rating"),
        headline=tuple(d.get("headline", ())),
        cutoff=d.get("cutoff"),
        scales=cx.scales,
        derived=derived,
        ratings=cx.ratings,
        rules=built_rules,
        authors=tuple(d.get("authors", ())),
        changelog=tuple(d.get("changelog", ())),
        references=refs,
        path=cx.loc.file,
        questions=cx.questions,
        all_sections=cx.sections,
        visibility_order=vis_order,
        derived_order=derived_order,
        heatmaps=heatmaps,
        judgements=cx.judgements,
        collection_min_weight=F(d.get("collection", {}).get("min_weight", 1)),
        migrations=migrations,
        language=language,
        languages=declared,
        translated={lang: _coverage(source, lang) for lang in declared[1:]},
    )
    rules.check_conditions(cx, built_rules)
    rules.check_conflicts(cx, built_rules)
    names.check_headline(cx, fw.headline)
    names.check_cutoff(cx, fw.cutoff)
    return replace(fw, ranges=score_ranges(cx, fw)), cx
