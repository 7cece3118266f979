"""Provides the quadrant picture: a threat score against a resilience score, each axis its full scale, named."""

from __future__ import annotations

from fractions import Fraction

from ..i18n import domain
from ..model import Result
from .charts import CM, FONT, NO_BAND, WIDTH_CM, Bar, number, png, pyplot, score_bars, wrap
from .colours import PALETTE, tint
from .localize import numbers

_, ngettext, pgettext = domain("report")


def quadrant_chart(result: Result) -> bytes | None:
    """The quadrant of the threat and the resilience score (PNG), where the framework has both."""
    fig = quadrant_figure(result)
    return None if fig is None else png(fig)


def quadrant_axes(result: Result) -> tuple[Bar, Bar] | None:
    """The threat and the resilience score a quadrant plots: the framework's headline scores when they are one of
    each direction, else the first top-level score of each direction."""
    bars = score_bars(result)
    named = {b.id: b for b in bars}
    heads = [named[h] for h in getattr(result.framework, "headline", ()) if h in named]
    top = [b for b in heads if len(heads) == 2] + [b for b in bars if b.depth == 0]
    threat = next((b for b in top if b.direction == "threat"), None)
    resilience = next((b for b in top if b.direction == "resilience"), None)
    return (threat, resilience) if threat and resilience else None


def quadrant_words(threat: Bar, resilience: Bar) -> dict[tuple[bool, bool], str]:
    """The words of each quadrant, by (threat above its mid-scale, resilience above its mid-scale)."""
    t, r = threat.title.lower(), resilience.title.lower()
    said = {
        (True, True): _("High {threat}, high {resilience}"),
        (True, False): _("High {threat}, low {resilience}"),
        (False, True): _("Low {threat}, high {resilience}"),
        (False, False): _("Low {threat}, low {resilience}"),
    }
    filled = {key: text.format(threat=t, resilience=r) for key, text in said.items()}
    return {key: text[:1].upper() + text[1:] for key, text in filled.items()}  # a French one starts with the title


def mid_scale(b: Bar) -> Fraction:
    """The middle of a score's possible range, where the quadrant splits."""
    return (b.low + b.high) / 2


def told(b: Bar) -> str:
    """A score as the quadrant's notes give it: '6.40 (High)'."""
    return numbers(b.display) + (f" ({b.rating})" if b.rating else "")


def quadrant_figure(result: Result):
    """Where the assessment stands on a threat and a resilience score, each axis its full scale, quadrants named."""
    axes = quadrant_axes(result)
    if axes is None:
        return None
    threat, resilience = axes
    words = quadrant_words(threat, resilience)
    plt = pyplot()
    height = 11.5
    fig = plt.figure(figsize=(WIDTH_CM * CM, height * CM))
    # the plot on the left, its legend beside it on the right (rectangles in figure fractions, from centimetres)
    ax = fig.add_axes((2.0 / WIDTH_CM, 2.0 / height, 8.2 / WIDTH_CM, 8.9 / height))
    x0, x1, y0, y1 = (float(v) for v in (threat.low, threat.high, resilience.low, resilience.high))
    mx, my = float(mid_scale(threat)), float(mid_scale(resilience))
    shades = {
        (True, False): PALETTE[-1],
        (False, True): PALETTE[0],
        (True, True): PALETTE[2],
        (False, False): PALETTE[2],
    }
    for (hx, hy), colour in shades.items():
        ax.add_artist(
            plt.Rectangle(
                (mx if hx else x0, my if hy else y0),
                (x1 - mx) if hx else (mx - x0),
                (y1 - my) if hy else (my - y0),
                facecolor=tint(colour, 0.55),
                linewidth=0,
            )
        )
        ax.text(
            (mx + x1) / 2 if hx else (x0 + mx) / 2,
            y1 - (y1 - y0) * 0.04 if hy else y0 + (y1 - y0) * 0.04,
            "\n".join(wrap(words[(hx, hy)], 3.6, 3)),
            ha="center",
            va="top" if hy else "bottom",
            fontsize=FONT,
            color="#222222",
            linespacing=1.1,
        )
    # each score's rating bands as a strip along its axis, as the scores chart shades them behind each bar
    for b, along_x in ((threat, True), (resilience, False)):
        for band in b.bands.bands if b.bands else ():
            lo, hi = float(max(band.min, b.low)), float(min(band.max, b.high))
            if hi <= lo:
                continue
            strip = (x1 - x0) * 0.025 if not along_x else (y1 - y0) * 0.025
            corner, size = ((lo, y0), (hi - lo, strip)) if along_x else ((x0, lo), (strip, hi - lo))
            ax.add_artist(plt.Rectangle(corner, *size, facecolor=band.colour or NO_BAND, linewidth=0))
    ax.axvline(mx, color="#555555", linewidth=0.6)
    ax.axhline(my, color="#555555", linewidth=0.6)
    ax.plot(
        [float(threat.value)],
        [float(resilience.value)],
        marker="o",
        markersize=9,
        color="#1A1A1A",
        markeredgecolor="white",
        markeredgewidth=1.2,
        linestyle="none",
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks(_ticks(threat))
    ax.set_yticks(_ticks(resilience))
    ax.set_xticklabels([number(Fraction(t).limit_denominator(100)) for t in _ticks(threat)], fontsize=FONT)
    ax.set_yticklabels([number(Fraction(t).limit_denominator(100)) for t in _ticks(resilience)], fontsize=FONT)
    ax.set_xlabel("\n".join(wrap(_("{title}: higher is worse").format(title=threat.title), 8.0, 2)), fontsize=FONT)
    ax.set_ylabel("\n".join(wrap(_("{title}: higher is better").format(title=resilience.title), 8.5, 2)), fontsize=FONT)
    ax.tick_params(length=2, width=0.5)
    for side in ax.spines.values():
        side.set_linewidth(0.5)
    # beside the plot: the point, the split, the two scores with their ratings
    lx = 10.9 / WIDTH_CM
    notes = [
        ("●", _("This assessment")),
        ("", _("{title}: {text}").format(title=threat.title, text=told(threat))),
        ("", _("{title}: {text}").format(title=resilience.title, text=told(resilience))),
        (
            "",
            _("Quadrants split at the middle of each scale ({threat} and {resilience}).").format(
                threat=number(mid_scale(threat)), resilience=number(mid_scale(resilience))
            ),
        ),
    ]
    y = 1 - 0.9 / height
    for mark, text in notes:
        lines = wrap(text, 3.6, 4)
        fig.text(
            lx,
            y,
            ((mark + " ") if mark else "") + "\n".join(lines),
            fontsize=FONT,
            va="top",
            ha="left",
            linespacing=1.15,
            fontweight="bold" if mark else "normal",
        )
        y -= (0.42 * len(lines) + 0.3) / height
    # the rating bands of each axis, as the strips along the axes show them
    y_cm = (1 - y) * height
    for b in (threat, resilience):
        if not b.bands:
            continue
        title = wrap(_("{title} (strip along the axis)").format(title=b.bands.title or b.title), 3.9, 2)
        fig.text(lx, 1 - y_cm / height, "\n".join(title), fontsize=FONT, va="top", fontweight="bold", linespacing=1.1)
        y_cm += 0.4 * len(title) + 0.15
        for band in b.bands.bands:
            fig.add_artist(
                plt.Rectangle(
                    (lx, 1 - (y_cm + 0.3) / height),
                    0.35 / WIDTH_CM,
                    0.3 / height,
                    facecolor=band.colour or NO_BAND,
                    edgecolor="#555555",
                    linewidth=0.4,
                    transform=fig.transFigure,
                )
            )
            fig.text(lx + 0.5 / WIDTH_CM, 1 - (y_cm + 0.15) / height, band.label, fontsize=FONT, va="center")
            y_cm += 0.42
        y_cm += 0.3
    return fig


def _ticks(b: Bar) -> list[float]:
    """The ends of a score's scale and its band boundaries within it."""
    points = {b.low, b.high}
    if b.bands:
        points |= {x for band in b.bands.bands for x in (band.min, band.max) if b.low <= x <= b.high}
    return sorted(float(p) for p in points)
