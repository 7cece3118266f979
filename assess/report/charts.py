"""Provides the report's pictures as PNG bytes: scores on their scales, quadrant, heat maps (matplotlib only here)."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model import Band, Rating, Result
from .colours import PALETTE, text_on, tint

WIDTH_CM = 15.0
"""The width the report places every picture at: figures are drawn at that size, so a point is a point on paper."""
DPI = 300
"""Resolution of the pictures."""
FONT = 8.0
"""The smallest text in a picture, in points at the placed size."""

_CM = 1 / 2.54
_CHAR_CM = 0.17  # the width of an average DejaVu Sans character at 8 pt, a little generous
_DIRECTIONS = {"threat": "Threat: higher is worse", "resilience": "Resilience: higher is better"}
_NO_BAND = "#E6E6E6"
_EMPTY_CELL = "#F2F2F2"


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


def score_bars(result: Result) -> list[Bar]:
    """The scores the chart draws, in the order of the report's score table: sections depth first, then derived."""
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
    return bars


def groups(bars: list[Bar]) -> list[tuple[str, list[Bar]]]:
    """The bars by direction, threat and resilience apart, in the order their first bar comes in the table."""
    out: dict[str, list[Bar]] = {}
    for b in bars:
        out.setdefault(b.direction, []).append(b)
    return list(out.items())


def direction_words(direction: str) -> str:
    """What a higher score means, as the charts' panel headings say it."""
    return _DIRECTIONS.get(direction, direction)


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # framework text is data: a '$' in a title is a dollar sign, never the start of mathematics
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": FONT, "text.parse_math": False})
    return plt


def _png(fig) -> bytes:
    """The figure drawn at DPI as an RGB PNG that records its resolution; zlib's fastest level, as the picture is
    mostly flat colour (it saves a third of the encoding time for a few per cent more bytes)."""
    from PIL import Image

    fig.set_dpi(DPI)
    fig.canvas.draw()
    picture = Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba())
    _plt().close(fig)
    buf = io.BytesIO()
    picture.convert("RGB").save(buf, format="PNG", dpi=(DPI, DPI), compress_level=1)
    return buf.getvalue()


def _canvas(plt, height_cm: float):
    """A figure of the placed width with one axes spanning it, in centimetres from the top left."""
    fig = plt.figure(figsize=(WIDTH_CM * _CM, height_cm * _CM))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_CM)
    ax.set_ylim(height_cm, 0)
    ax.axis("off")
    return fig, ax


def _wrap(text: str, width_cm: float, lines: int = 3, size: float = FONT) -> list[str]:
    chars = max(6, int(width_cm / (_CHAR_CM * size / FONT)))
    wrapped = textwrap.wrap(" ".join(text.split()), chars) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [textwrap.shorten(" ".join(wrapped[lines - 1 :]), chars, placeholder="…")]
    return wrapped


def _legend_rows(schemes: list[Rating], left: float, right: float) -> list[list[tuple[float, str, str]]]:
    """Legend items laid out in lines: (x, colour or '', text); a scheme's title starts each of its lines."""
    rows: list[list[tuple[float, str, str]]] = []
    for scheme in schemes:
        line: list[tuple[float, str, str]] = []
        title = (scheme.title or scheme.id) + ":"
        x = left + len(title) * _CHAR_CM + 0.2
        line.append((left, "", title))
        for band in scheme.bands:
            w = 0.45 + len(band.label) * _CHAR_CM + 0.3
            if x + w > right and len(line) > 1:
                rows.append(line)
                line, x = [], left + 0.4
            line.append((x, band.colour or _NO_BAND, band.label))
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
    return None if fig is None else _png(fig)


def quadrant_chart(result: Result) -> bytes | None:
    """The quadrant of the threat and the resilience score (PNG), where the framework has both."""
    fig = quadrant_figure(result)
    return None if fig is None else _png(fig)


def heatmap_chart(result: Result, hid: str, x_title: str, y_title: str, numbers: dict[str, int]) -> bytes:
    """A heat map with its rating words and its legend (PNG)."""
    return _png(heatmap_figure(result, hid, x_title, y_title, numbers))


def scores_figure(result: Result):
    """The scores chart as a matplotlib figure of the placed size, or None when no score has a scale."""
    bars = score_bars(result)
    if not bars:
        return None
    label_right, track = 5.2, (5.75, 10.85)
    value_left = 11.6
    layout: list[tuple[str, Any, float]] = []  # (kind, item, height)
    for direction, items in groups(bars):
        scales = {(b.low, b.high) for b in items}
        shared = next(iter(scales)) if len(scales) == 1 else None
        layout.append(("head", (direction, shared), 0.75))
        for b in items:
            lines = _wrap(b.title, label_right - 0.15)
            words = _wrap(f"{b.display} {b.rating}".strip(), WIDTH_CM - value_left - 0.1, 2)
            layout.append(
                ("bar", (b, lines, words, shared is None), max(0.7, 0.36 * max(len(lines), len(words)) + 0.22))
            )
    schemes: list[Rating] = []
    for b in bars:
        if b.bands and b.bands not in schemes:
            schemes.append(b.bands)
    legend = _legend_rows(schemes, 0.15, WIDTH_CM - 0.15)
    height = sum(h for _, _, h in layout) + 0.35 + 0.5 * len(legend) + 0.2
    plt = _plt()
    fig, ax = _canvas(plt, height)
    y = 0.1
    for kind, item, h in layout:
        if kind == "head":
            direction, shared = item
            at = y + h / 2 + 0.05
            ax.text(0.15, at, direction_words(direction), fontsize=9, fontweight="bold", va="center")
            if shared:  # one scale for the whole panel: its ends once, above the bars
                ax.text(track[0], at, _number(shared[0]), fontsize=FONT, color="#444444", va="center", ha="center")
                ax.text(track[1], at, _number(shared[1]), fontsize=FONT, color="#444444", va="center", ha="center")
            scale = "scale: lowest to highest possible" if shared else "each on its own scale"
            ax.text(sum(track) / 2, at, scale, fontsize=FONT, color="#444444", va="center", ha="center")
            ax.text(value_left, at, "Score, rating", fontsize=FONT, color="#444444", va="center")
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
                ax.text(track[0] - 0.1, mid, _number(b.low), ha="right", va="center", fontsize=FONT, color="#444444")
                ax.text(track[1] + 0.1, mid, _number(b.high), ha="left", va="center", fontsize=FONT, color="#444444")
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
    if legend:
        ax.text(0.15, y + 0.2, "Rating bands shaded behind each bar", fontsize=FONT, color="#444444", va="center")
        _draw_legend(ax, plt, legend, y + 0.4)
    return fig


def _number(x: Fraction) -> str:
    return str(int(x)) if x.denominator == 1 else f"{float(x):g}"


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
                stretches.append((lo, hi, band.colour or _NO_BAND))
    if not stretches:
        stretches = [(b.low, b.high, _NO_BAND)]
    for lo, hi, colour in stretches:
        ax.add_artist(plt.Rectangle((at(lo), mid - 0.17), at(hi) - at(lo), 0.34, facecolor=colour, linewidth=0))
    ax.add_artist(plt.Rectangle((left, mid - 0.17), right - left, 0.34, fill=False, edgecolor="#666666", linewidth=0.4))
    x = at(min(max(b.value, b.low), b.high))
    ax.add_artist(plt.Rectangle((left, mid - 0.05), x - left, 0.1, facecolor="#1A1A1A", linewidth=0))
    ax.plot([x, x], [mid - 0.26, mid + 0.26], color="#1A1A1A", linewidth=1.6, solid_capstyle="butt")


def quadrant_axes(result: Result) -> tuple[Bar, Bar] | None:
    """The threat and the resilience score a quadrant plots: the first top-level score of each direction."""
    top = [b for b in score_bars(result) if b.depth == 0]
    threat = next((b for b in top if b.direction == "threat"), None)
    resilience = next((b for b in top if b.direction == "resilience"), None)
    return (threat, resilience) if threat and resilience else None


def quadrant_words(threat: Bar, resilience: Bar) -> dict[tuple[bool, bool], str]:
    """The words of each quadrant, by (threat above its mid-scale, resilience above its mid-scale)."""
    t, r = threat.title.lower(), resilience.title.lower()
    return {
        (hx, hy): f"{'High' if hx else 'Low'} {t}, {'high' if hy else 'low'} {r}"
        for hx in (False, True)
        for hy in (False, True)
    }


def mid_scale(b: Bar) -> Fraction:
    """The middle of a score's possible range, where the quadrant splits."""
    return (b.low + b.high) / 2


def quadrant_figure(result: Result):
    """Where the assessment stands on a threat and a resilience score, each axis its full scale, quadrants named."""
    axes = quadrant_axes(result)
    if axes is None:
        return None
    threat, resilience = axes
    words = quadrant_words(threat, resilience)
    plt = _plt()
    height = 11.5
    fig = plt.figure(figsize=(WIDTH_CM * _CM, height * _CM))
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
            "\n".join(_wrap(words[(hx, hy)], 3.6, 3)),
            ha="center",
            va="top" if hy else "bottom",
            fontsize=FONT,
            color="#222222",
            linespacing=1.1,
        )
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
    ax.set_xticklabels([_number(Fraction(t).limit_denominator(100)) for t in _ticks(threat)], fontsize=FONT)
    ax.set_yticklabels([_number(Fraction(t).limit_denominator(100)) for t in _ticks(resilience)], fontsize=FONT)
    ax.set_xlabel("\n".join(_wrap(f"{threat.title}: higher is worse", 8.0, 2)), fontsize=FONT)
    ax.set_ylabel("\n".join(_wrap(f"{resilience.title}: higher is better", 8.5, 2)), fontsize=FONT)
    ax.tick_params(length=2, width=0.5)
    for side in ax.spines.values():
        side.set_linewidth(0.5)
    # beside the plot: the point, the split, the two scores with their ratings
    lx = 10.9 / WIDTH_CM
    notes = [
        ("●", "This assessment"),
        ("", f"{threat.title}: {threat.display}" + (f" ({threat.rating})" if threat.rating else "")),
        ("", f"{resilience.title}: {resilience.display}" + (f" ({resilience.rating})" if resilience.rating else "")),
        (
            "",
            f"Quadrants split at the middle of each scale ({_number(mid_scale(threat))} and "
            f"{_number(mid_scale(resilience))}).",
        ),
    ]
    y = 1 - 0.9 / height
    for mark, text in notes:
        lines = _wrap(text, 3.6, 4)
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
    return fig


def _ticks(b: Bar) -> list[float]:
    """The ends of a score's scale and its band boundaries within it."""
    points = {b.low, b.high}
    if b.bands:
        points |= {x for band in b.bands.bands for x in (band.min, band.max) if b.low <= x <= b.high}
    return sorted(float(p) for p in points)


def heatmap_bands(result: Result, hid: str) -> dict[tuple[int, int], Band]:
    """(x index, y index) -> the rating band of the product of the cell's two scores, where a rating is set."""
    h = result.heatmaps[hid]
    fw = result.framework
    rating = fw.rating_for(h.heatmap.rating) if h.heatmap.rating else None
    if rating is None:
        return {}
    xs = [o.score for o in fw.questions[h.heatmap.x].options if o.score is not None]
    ys = [o.score for o in fw.questions[h.heatmap.y].options if o.score is not None]
    out = {}
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            band = rating.band(x * y)
            if band is not None:
                out[(i, j)] = band
    return out


def heatmap_figure(result: Result, hid: str, x_title: str, y_title: str, numbers: dict[str, int]):
    """The matrix, highest row at the top, each cell shaded by its rating, with the rating's word and the numbers
    of what falls in it; the rating bands as a legend beside it."""
    h = result.heatmaps[hid]
    bands = heatmap_bands(result, hid)
    rating = result.framework.rating_for(h.heatmap.rating) if h.heatmap.rating else None
    plt = _plt()
    nx, ny = len(h.x_labels), len(h.y_labels)
    left, grid_w, legend_left = 3.4, 8.0, 11.9
    cell_w = grid_w / max(nx, 1)
    cell_h = 1.15
    x_lines = max((len(_wrap(label, cell_w - 0.1, 3)) for label in h.x_labels), default=1)
    x_title_lines = _wrap(x_title + " →", grid_w, 2)
    top, bottom = 0.3, 0.25 + 0.36 * x_lines + 0.4 * len(x_title_lines) + 0.2
    height = max(top + cell_h * ny + bottom, 6.0)
    fig, ax = _canvas(plt, height)
    for i in range(nx):
        for j in range(ny):
            band = bands.get((i, j))
            colour = band.colour if band and band.colour else _EMPTY_CELL
            x, y = left + i * cell_w, top + (ny - 1 - j) * cell_h
            ax.add_artist(plt.Rectangle((x, y), cell_w, cell_h, facecolor=colour, edgecolor="white", linewidth=1.5))
            ink = text_on(colour)
            names = h.cells.get((i, j), ())
            placed = " ".join(str(n) for n in sorted(numbers.get(name, 0) for name in names))
            word = "\n".join(_wrap(band.label, cell_w - 0.05, 2)) if band else ""
            if placed:
                ax.text(
                    x + cell_w / 2,
                    y + cell_h * 0.36,
                    "\n".join(_wrap(placed, cell_w - 0.15, 2, 9)),
                    ha="center",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                    color=ink,
                    linespacing=1.0,
                )
                ax.text(
                    x + cell_w / 2,
                    y + cell_h * 0.78,
                    word,
                    ha="center",
                    va="center",
                    fontsize=FONT,
                    color=ink,
                    linespacing=1.0,
                )
            elif word:
                ax.text(
                    x + cell_w / 2,
                    y + cell_h / 2,
                    word,
                    ha="center",
                    va="center",
                    fontsize=FONT,
                    color=ink,
                    linespacing=1.0,
                )
    for i, label in enumerate(h.x_labels):
        ax.text(
            left + (i + 0.5) * cell_w,
            top + ny * cell_h + 0.12,
            "\n".join(_wrap(label, cell_w - 0.1, 3)),
            ha="center",
            va="top",
            fontsize=FONT,
            linespacing=1.05,
        )
    for j, label in enumerate(h.y_labels):
        ax.text(
            left - 0.12,
            top + (ny - 1 - j + 0.5) * cell_h,
            "\n".join(_wrap(label, 2.4, 3)),
            ha="right",
            va="center",
            fontsize=FONT,
            linespacing=1.05,
        )
    ax.text(
        left + grid_w / 2,
        top + ny * cell_h + 0.3 + 0.36 * x_lines,
        "\n".join(x_title_lines),
        ha="center",
        va="top",
        fontsize=FONT,
        fontweight="bold",
        linespacing=1.05,
    )
    ax.text(
        0.25,
        top + ny * cell_h / 2,
        "\n".join(_wrap(y_title + " →", ny * cell_h, 2)),
        ha="center",
        va="center",
        rotation=90,
        fontsize=FONT,
        fontweight="bold",
        linespacing=1.05,
    )
    # the legend beside the matrix: each band with its range of products
    ly = top + 0.1
    if rating:
        title = _wrap(rating.title or "Rating", WIDTH_CM - legend_left - 0.1, 3)
        ax.text(legend_left, ly, "\n".join(title), fontsize=FONT, fontweight="bold", va="top", linespacing=1.05)
        ly += 0.36 * len(title) + 0.45
        for band in reversed(rating.bands):
            ax.add_artist(
                plt.Rectangle(
                    (legend_left, ly - 0.18),
                    0.4,
                    0.36,
                    facecolor=band.colour or _NO_BAND,
                    edgecolor="#555555",
                    linewidth=0.4,
                )
            )
            ax.text(
                legend_left + 0.55,
                ly,
                "\n".join(_wrap(f"{band.label} ({_number(band.min)}–{_number(band.max)})", 2.4, 2)),
                va="center",
                fontsize=FONT,
                linespacing=1.05,
            )
            ly += 0.75
    ax.text(
        legend_left,
        min(ly + 0.1, height - 1.0),
        "\n".join(_wrap("Numbers: the items placed in each cell", WIDTH_CM - legend_left - 0.1, 3)),
        fontsize=FONT,
        color="#444444",
        va="top",
        linespacing=1.05,
    )
    return fig
