"""Provides the scores chart (each score on its scale, bands behind) and what every picture shares: size, fonts, PNG."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..i18n import N_, domain
from ..model import Rating, Result
from .localize import number as localized
from .localize import numbers

_, ngettext, pgettext = domain("report")

WIDTH_CM = 15.0
"""The width the report places every picture at: figures are drawn at that size, so a point is a point on paper."""
MAX_BARS = 30
"""The most scores one chart draws (about a page); the score table lists them all."""
DPI = 300
"""Resolution of the pictures."""
FONT = 8.0
"""The smallest text in a picture, in points at the placed size."""

CM = 1 / 2.54
"""Inches in a centimetre: matplotlib sizes figures in inches."""
CHAR_CM = 0.17
"""The width of an average DejaVu Sans character at 8 pt, a little generous: how text is wrapped to fit."""
_DIRECTIONS = {"threat": N_("Threat: higher is worse"), "resilience": N_("Resilience: higher is better")}
NO_BAND = "#E6E6E6"
"""The fill of a stretch of scale no rating band covers."""


@dataclass(frozen=True)
class Bar:
    """One score as the scores chart draws it: on its own scale, with its rating bands."""

    id: str
    """Section or derived score id."""
    title: str
    """Its title."""
    depth: int
    """Depth in the report's score table (0 for a top section or a derived score)."""
    value: Fraction
    """The score."""
    low: Fraction
    """The lowest possible score."""
    high: Fraction
    """The highest possible score."""
    display: str
    """The score as the report prints it."""
    rating: str
    """Its rating label, or ''."""
    direction: str
    """'threat' (higher is worse) or 'resilience' (higher is better)."""
    bands: Rating | None
    """Its rating scheme, if it has one."""


def score_bars(result: Result, limit: int | None = MAX_BARS) -> list[Bar]:
    """The scores the chart draws, in the order of the report's score table: sections depth first, then derived;
    beyond `limit`, the deepest sections are left to the table (then any beyond it)."""
    fw = result.framework
    order: list[tuple[str, int]] = []

    def walk(sections, depth: int) -> None:
        for s in sections:
            if s.id in result.sections and result.sections[s.id].inputs:
                order.append((s.id, depth))
            if s.repeat is None:
                walk(s.sections, depth + 1)

    walk(fw.sections, 0)
    order += [(d, 0) for d in result.derived]
    schemes = {s.id: s.rating for s in fw.all_sections.values()} | {d.id: d.rating for d in fw.derived}
    bars = []
    for sid, depth in order:
        s = result.sections.get(sid) or result.derived[sid]
        rng = fw.ranges.get(sid)
        if s.value is None or not rng or rng[1] == rng[0]:
            continue
        bars.append(
            Bar(
                sid,
                s.title,
                depth,
                s.value,
                rng[0],
                rng[1],
                s.display,
                s.rating or "",
                s.direction,
                fw.rating_for(schemes.get(sid)),
            )
        )
    if limit is None or len(bars) <= limit:
        return bars
    depth = max(b.depth for b in bars)
    while depth > 0 and sum(b.depth <= depth for b in bars) > limit:
        depth -= 1
    return [b for b in bars if b.depth <= depth][:limit]


def groups(bars: list[Bar]) -> list[tuple[str, list[Bar]]]:
    """The bars by direction, threat and resilience apart, in the order their first bar comes in the table."""
    out: dict[str, list[Bar]] = {}
    for b in bars:
        out.setdefault(b.direction, []).append(b)
    return list(out.items())


def direction_words(direction: str) -> str:
    """What a higher score means, as the charts' panel headings say it."""
    return _(_DIRECTIONS[direction]) if direction in _DIRECTIONS else direction


def pyplot():
    """matplotlib's pyplot, imported on first use, drawing off screen in the pictures' font."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # framework text is data: a '$' in a title is a dollar sign, never the start of mathematics
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": FONT, "text.parse_math": False})
    return plt


def png(fig) -> bytes:
    """The figure drawn at DPI as an RGB PNG that records its resolution; zlib's fastest level, as the picture is
    mostly flat colour (it saves a third of the encoding time for a few per cent more bytes)."""
    from PIL import Image

    fig.set_dpi(DPI)
    fig.canvas.draw()
    picture = Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba())
    pyplot().close(fig)
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, format="PNG", dpi=(DPI, DPI), compress_level=1)
    return buf.getvalue()


def canvas(plt, height_cm: float):
    """A figure of the placed width with one axes spanning it, in centimetres from the top left."""
    fig = plt.figure(figsize=(WIDTH_CM * CM, height_cm * CM))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_CM)
    ax.set_ylim(height_cm, 0)
    ax.axis("off")
    return fig, ax


def wrap(text: str, width_cm: float, lines: int = 3, size: float = FONT, whole_words: bool = False) -> list[str]:
    """Text wrapped to fit a width in centimetres at a font size, in at most `lines` lines (the last shortened);
    with whole_words, a word longer than the width is kept whole rather than broken."""
    chars = max(6, int(width_cm / (CHAR_CM * size / FONT)))
    wrapped = textwrap.wrap(" ".join(text.split()), chars, break_long_words=not whole_words) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [textwrap.shorten(" ".join(wrapped[lines - 1 :]), chars, placeholder="…")]
    return wrapped


def _legend_rows(schemes: list[Rating], left: float, right: float) -> list[list[tuple[float, str, str]]]:
    """Legend items laid out in lines: (x, colour or '', text); a scheme's title starts each of its lines."""
    rows: list[list[tuple[float, str, str]]] = []
    for scheme in schemes:
        line: list[tuple[float, str, str]] = []
        title = _("{title}:").format(title=scheme.title or scheme.id)
        x = left + len(title) * CHAR_CM + 0.2
        line.append((left, "", title))
        for band in scheme.bands:
            w = 0.45 + len(band.label) * CHAR_CM + 0.3
            if x + w > right and len(line) > 1:
                rows.append(line)
                line, x = [], left + 0.4
            line.append((x, band.colour or NO_BAND, band.label))
            x += w
        rows.append(line)
    return rows


def _draw_legend(ax, plt, rows, top: float, line_cm: float = 0.5) -> None:
    for k, line in enumerate(rows):
        y = top + k * line_cm + line_cm / 2
        for x, colour, text in line:
            if colour:
                ax.add_artist(
                    plt.Rectangle((x, y - 0.16), 0.35, 0.32, facecolor=colour, edgecolor="#555555", linewidth=0.4)
                )
                ax.text(x + 0.45, y, text, va="center", ha="left", fontsize=FONT)
            else:
                ax.text(x, y, text, va="center", ha="left", fontsize=FONT, fontweight="bold")


def scores_chart(result: Result) -> bytes | None:
    """Each score on its own scale with its rating bands shaded behind it, threat and resilience apart (PNG)."""
    fig = scores_figure(result)
    return None if fig is None else png(fig)


def scores_figure(result: Result):
    """The scores chart as a matplotlib figure of the placed size, or None when no score has a scale."""
    bars = score_bars(result)
    if not bars:
        return None
    left_out = len(score_bars(result, None)) - len(bars)
    label_right, track = 5.2, (5.75, 10.85)
    value_left = 11.6
    layout: list[tuple[str, Any, float]] = []  # (kind, item, height)
    for direction, items in groups(bars):
        scales = {(b.low, b.high) for b in items}
        shared = next(iter(scales)) if len(scales) == 1 else None
        # a heading or a scale note longer than its room (in French, say) takes a second line, never overlapping
        head = wrap(direction_words(direction), label_right + 0.3, 2, 9)
        scale = wrap(_("scale: lowest to highest possible") if shared else _("each on its own scale"), 5.9, 2)
        extra = 0.36 * (max(len(head), len(scale)) - 1)
        layout.append(("head", (direction, shared, head, scale), 0.75 + extra))
        for b in items:
            lines = wrap(b.title, label_right - 0.15)
            words = wrap(f"{numbers(b.display)} {b.rating}".strip(), WIDTH_CM - value_left - 0.1, 2)
            layout.append(
                ("bar", (b, lines, words, shared is None), max(0.7, 0.36 * max(len(lines), len(words)) + 0.22))
            )
    schemes: list[Rating] = []
    for b in bars:
        if b.bands and b.bands not in schemes:
            schemes.append(b.bands)
    legend = _legend_rows(schemes, 0.15, WIDTH_CM - 0.15)
    height = sum(h for _, _, h in layout) + 0.35 + 0.5 * len(legend) + 0.2
    plt = pyplot()
    fig, ax = canvas(plt, height)
    y = 0.1
    for kind, item, h in layout:
        if kind == "head":
            direction, shared, head, scale = item
            at = y + h / 2 + 0.05
            ax.text(0.15, at, "\n".join(head), fontsize=9, fontweight="bold", va="center")
            if shared:  # one scale for the whole panel: its ends once, above the bars
                ax.text(track[0], at, number(shared[0]), fontsize=FONT, color="#444444", va="center", ha="center")
                ax.text(track[1], at, number(shared[1]), fontsize=FONT, color="#444444", va="center", ha="center")
            ax.text(sum(track) / 2, at, "\n".join(scale), fontsize=FONT, color="#444444", va="center", ha="center")
            ax.text(value_left, at, _("Score, rating"), fontsize=FONT, color="#444444", va="center")
            ax.plot([0.15, WIDTH_CM - 0.15], [y + h - 0.05] * 2, color="#888888", linewidth=0.5)
        else:
            b, lines, words, ends = item
            mid = y + h / 2
            ax.text(
                label_right,
                mid,
                "\n".join(lines),
                ha="right",
                va="center",
                fontsize=FONT,
                linespacing=1.1,
                fontweight="bold" if b.depth == 0 else "normal",
            )
            _track(ax, plt, b, track, mid)
            if ends:
                ax.text(track[0] - 0.1, mid, number(b.low), ha="right", va="center", fontsize=FONT, color="#444444")
                ax.text(track[1] + 0.1, mid, number(b.high), ha="left", va="center", fontsize=FONT, color="#444444")
            ax.text(
                value_left,
                mid,
                "\n".join(words),
                ha="left",
                va="center",
                fontsize=FONT,
                fontweight="bold",
                linespacing=1.1,
            )
        y += h
    notes = [_("Rating bands shaded behind each bar")] if legend else []
    if left_out:
        notes.append(_("{n} more scores, of subsections, are in the score table").format(n=left_out))
    if notes:
        ax.text(0.15, y + 0.2, "; ".join(notes), fontsize=FONT, color="#444444", va="center")
    if legend:
        _draw_legend(ax, plt, legend, y + 0.4)
    return fig


def number(x: Fraction) -> str:
    """A scale's end or a band's bound as a reader writes it: 3, 0.5, -9 (0,5 in French)."""
    return localized(str(int(x)) if x.denominator == 1 else f"{float(x):g}")


def _track(ax, plt, b: Bar, track: tuple[float, float], mid: float) -> None:
    """One score's scale: its bands as shaded stretches, the score as a dark bar from the lowest end."""
    left, right = track
    span = float(b.high - b.low)

    def at(v: Fraction) -> float:
        return left + (right - left) * float(v - b.low) / span

    stretches: list[tuple[Fraction, Fraction, str]] = []
    if b.bands:
        for band in b.bands.bands:
            lo, hi = max(band.min, b.low), min(band.max, b.high)
            if hi > lo:
                stretches.append((lo, hi, band.colour or NO_BAND))
    if not stretches:
        stretches = [(b.low, b.high, NO_BAND)]
    for lo, hi, colour in stretches:
        ax.add_artist(plt.Rectangle((at(lo), mid - 0.17), at(hi) - at(lo), 0.34, facecolor=colour, linewidth=0))
    ax.add_artist(plt.Rectangle((left, mid - 0.17), right - left, 0.34, fill=False, edgecolor="#666666", linewidth=0.4))
    x = at(min(max(b.value, b.low), b.high))
    ax.add_artist(plt.Rectangle((left, mid - 0.05), x - left, 0.1, facecolor="#1A1A1A", linewidth=0))
    ax.plot([x, x], [mid - 0.26, mid + 0.26], color="#1A1A1A", linewidth=1.6, solid_capstyle="butt")
