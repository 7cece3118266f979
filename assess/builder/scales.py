"""Provides the building of scales (built-in, declared and inline options) and rating schemes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..checks.context import Context, F, Spec, Where
from ..checks.ratings import check_band_colours, check_bands
from ..checks.scales import check_option_value, range_is_usable, range_labels
from ..model import Band, Option, Rating, Scale
from ..numbers import decimal
from ..translations import translated


def _likelihood(value: str, label: str, score: int, term: str, band: str) -> Spec:
    """One term of ICD 203's likelihood scale, its alternative term and its band in the description."""
    return {"value": value, "label": label, "score": score, "description": f"Also written '{term}': {band}."}


BUILTIN_SCALES = {
    "yesno": {
        "title": "Yes / no",
        "options": [{"value": "no", "label": "No", "score": 0}, {"value": "yes", "label": "Yes", "score": 1}],
    },
    "yesno_unknown": {
        "title": "Yes / no / unknown",
        "options": [
            {"value": "no", "label": "No", "score": 0},
            {"value": "yes", "label": "Yes", "score": 1},
            {"value": "unknown", "label": "Unknown", "unknown": True},
        ],
    },
    "confidence": {
        "title": "Confidence",
        "options": [
            {"value": "low", "label": "Low", "score": 1},
            {"value": "medium", "label": "Medium", "score": 2},
            {"value": "high", "label": "High", "score": 3},
        ],
    },
    "icd203": {
        "title": "Likelihood (ICD 203)",
        "description": "The seven terms of US Intelligence Community Directive 203 (Analytic Standards), each with its "
        "probability band; state the analytic confidence apart, never in the same sentence.",
        "options": [
            _likelihood("almost_no_chance", "Almost no chance (01–05%)", 1, "remote", "01–05%"),
            _likelihood("very_unlikely", "Very unlikely (05–20%)", 2, "highly improbable", "05–20%"),
            _likelihood("unlikely", "Unlikely (20–45%)", 3, "improbable", "20–45%"),
            _likelihood("even_chance", "Roughly even chance (45–55%)", 4, "roughly even odds", "45–55%"),
            _likelihood("likely", "Likely (55–80%)", 5, "probable", "55–80%"),
            _likelihood("very_likely", "Very likely (80–95%)", 6, "highly probable", "80–95%"),
            _likelihood("almost_certain", "Almost certain (95–99%)", 7, "nearly certain", "95–99%"),
        ],
    },
    "phia": {
        "title": "Likelihood (UK PHIA probability yardstick)",
        "description": "The UK Professional Head of Intelligence Assessment's probability yardstick: seven terms, "
        "each with its band (the gaps between bands are deliberate); state the analytic confidence apart.",
        "options": [
            {"value": "remote", "label": "Remote (0–5%)", "score": 1},
            {"value": "highly_unlikely", "label": "Highly unlikely (10–20%)", "score": 2},
            {"value": "unlikely", "label": "Unlikely (25–35%)", "score": 3},
            {"value": "realistic_possibility", "label": "Realistic possibility (40–50%)", "score": 4},
            {"value": "likely", "label": "Likely or probable (55–75%)", "score": 5},
            {"value": "highly_likely", "label": "Highly likely (80–90%)", "score": 6},
            {"value": "almost_certain", "label": "Almost certain (95–100%)", "score": 7},
        ],
    },
    "analytic_confidence": {
        "title": "Analytic confidence",
        "description": "How far the analysis behind a judgement can be relied on (after ICD 203 and common practice): "
        "the quality and corroboration of the information, and the assumptions it needs. Stated apart from "
        "the likelihood.",
        "options": [
            {
                "value": "low",
                "label": "Low",
                "score": 1,
                "description": "The information is fragmentary or poorly corroborated, or the judgement rests on "
                "many assumptions.",
            },
            {
                "value": "moderate",
                "label": "Moderate",
                "score": 2,
                "description": "The information is credibly sourced and plausible, but not corroborated enough "
                "for high confidence.",
            },
            {
                "value": "high",
                "label": "High",
                "score": 3,
                "description": "The judgement rests on high-quality information from several sources, with few "
                "assumptions.",
            },
        ],
    },
    "trajectory": {
        "title": "Trajectory",
        "description": "Where it is heading over the coming period; a higher score reads worse in a threat framework.",
        "options": [
            {"value": "falling", "label": "Falling", "score": 1},
            {"value": "stable", "label": "Stable", "score": 2},
            {"value": "rising", "label": "Rising", "score": 3},
            {"value": "unknown", "label": "Unknown", "unknown": True},
        ],
    },
}
"""Scales every framework has, unless it declares one of the same id."""


def build_scales(cx: Context, texts: Spec | None = None) -> dict[str, Scale]:
    """The built-in scales and those the framework declares, by id; texts: the language's translation block
    (built-in and the framework's own) that the built-in scales' texts are taken from."""
    out = {}
    declared = cx.data.get("scales", {})
    for sid, spec in {**BUILTIN_SCALES, **declared}.items():
        path = ("scales", sid) if sid in declared else None
        if path is None and texts:
            spec = translated({"scales": {sid: spec}}, texts)[0]["scales"][sid]
        out[sid] = build_scale(cx, sid, spec, path, (texts or {}).get("unknown"))
    return out


def build_scale(cx: Context, sid: str, spec: Spec, path: Where | None, unknown: Spec | None = None) -> Scale:
    """A scale from its options or its range; path is None for a built-in scale (its problems are not the user's);
    unknown: the label and description of the 'unknown' option a range scale adds, in the framework's language."""
    opts: list[Option] = []
    if "range" in spec:
        assert path is not None  # no built-in scale is a range
        if range_is_usable(cx, spec, path):
            opts = _range_options(spec, range_labels(cx, spec, path), unknown or {})
    else:
        seen: set[object] = set()
        for i, o in enumerate(spec["options"]):
            value = o["value"]
            if isinstance(value, (int, Decimal)):
                value = F(value)
                value = int(value) if value.denominator == 1 else value
            check_option_value(cx, value, seen, o, path, i)
            score = o.get("score")
            if score is None and isinstance(value, (int, Fraction)) and not o.get("unknown"):
                score = value
            opts.append(
                Option(
                    value,
                    o.get("label", str(o["value"])),
                    F(score) if score is not None and not o.get("unknown") else None,
                    o.get("description", ""),
                    bool(o.get("unknown")),
                    o.get("short", ""),
                )
            )
    return Scale(sid, spec.get("title", sid), tuple(opts), spec.get("description", ""))


def _range_options(spec: Spec, labels: dict[Fraction, str], unknown: Spec) -> list[Option]:
    """One option per step of a range scale, labelled where a label is given; and 'unknown' when asked for."""
    r = spec["range"]
    lo, hi, step = F(r["min"]), F(r["max"]), F(r["step"])
    opts = []
    v = lo
    while v <= hi:
        value = int(v) if v.denominator == 1 else v
        label = labels.get(v)
        opts.append(Option(value, f"{decimal(v)} – {label}" if label else decimal(v), v))
        v += step
    if spec.get("unknown"):
        label = unknown.get("label", "Unknown")
        opts.append(Option("unknown", label, None, unknown.get("description", "Not known: an intelligence gap."), True))
    return opts


def build_ratings(cx: Context) -> dict[str, Rating]:
    """The rating schemes the framework declares, by id, their bands checked."""
    out = {}
    for rid, spec in cx.data.get("ratings", {}).items():
        path = ("ratings", rid)
        bands = tuple(
            Band(F(b["min"]), F(b["max"]), b["label"], b.get("colour", ""), b.get("description", ""))
            for b in spec["bands"]
        )
        check_bands(cx, bands, path)
        check_band_colours(cx, bands, path)
        out[rid] = Rating(rid, bands, spec.get("title", rid))
    return out
