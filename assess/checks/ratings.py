"""Provides the checks of ratings and ranges: bands in order (E205), a derived range in order (E237), bands
that cover every score they rate (E206), and band colours told apart with colour-blind vision (W010)."""

from __future__ import annotations

from fractions import Fraction

from ..colour import DISTINCT, least_difference, palette
from ..model import Band, Rating
from ..numbers import decimal
from .context import Context, Where


def check_bands(cx: Context, bands: tuple[Band, ...], path: Where) -> None:
    """Each band's max above its min, and each band starting where the one before ends (E205)."""
    for i, b in enumerate(bands):
        bpath = path + ("bands", i)
        if b.max <= b.min and not (i == len(bands) - 1 and b.max == b.min):
            cx.flag(bpath, "E205", detail=f"band '{b.label}' has max {decimal(b.max)} not above min {decimal(b.min)}")
        if i and b.min != bands[i - 1].max:
            prev = bands[i - 1]
            gap = "a gap" if b.min > prev.max else "an overlap"
            cx.flag(
                bpath,
                "E205",
                at=("min",),
                detail=f"{gap} between '{prev.label}' (max {decimal(prev.max)}) and '{b.label}' "
                f"(min {decimal(b.min)}); make each band's min equal the previous band's max",
            )


def check_derived_range(cx: Context, rng: tuple[Fraction, Fraction], path: Where) -> None:
    """A derived score's declared range is [lowest, highest] (E237)."""
    if rng[1] <= rng[0]:
        cx.flag(path + ("range",), "E237")


def check_cover(cx: Context, rating: Rating, rng: tuple[Fraction, Fraction], path: Where) -> None:
    """The bands of a rating cover every value the score it rates can take (E206)."""
    lo, hi = rating.bands[0].min, rating.bands[-1].max
    if lo > rng[0] or hi < rng[1]:
        cx.flag(path, "E206", lo=decimal(lo), hi=decimal(hi), smin=decimal(rng[0]), smax=decimal(rng[1]))


def check_band_colours(cx: Context, bands: tuple[Band, ...], path: Where) -> None:
    """No two band colours of a rating that look alike with normal vision, deuteranopia or protanopia (W010)."""
    coloured = [(i, b) for i, b in enumerate(bands) if b.colour]
    if len(coloured) < 2:
        return
    diff, i, j, vision = least_difference([b.colour for _, b in coloured])
    if diff >= DISTINCT:
        return
    (_, first), (k, second) = coloured[i], coloured[j]
    cx.flag(
        path + ("bands", k),
        "W010",
        at=("colour",),
        first=first.label,
        first_colour=first.colour,
        second=second.label,
        second_colour=second.colour,
        vision=vision,
        difference=f"{diff:.1f}",
        least=f"{DISTINCT:g}",
        palette=", ".join(palette(min(len(bands), 5))),
    )
