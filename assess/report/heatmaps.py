"""Provides the heat-map pictures: cells shaded and named by their rating, the numbers placed in each, a legend."""

from __future__ import annotations

from ..i18n import domain
from ..model import Band, Result
from .charts import FONT, NO_BAND, WIDTH_CM, canvas, number, png, pyplot, wrap
from .colours import text_on

_, ngettext, pgettext = domain("report")

EMPTY_CELL = "#F2F2F2"
"""The fill of a cell no rating colours."""


def heatmap_chart(result: Result, hid: str, x_title: str, y_title: str, numbers: dict[str, int]) -> bytes:
    """A heat map with its rating words and its legend (PNG)."""
    return png(heatmap_figure(result, hid, x_title, y_title, numbers))


def heatmap_bands(result: Result, hid: str) -> dict[tuple[int, int], Band]:
    """(x index, y index) -> the rating band of the product of the cell's two scores, where a rating is set."""
    h = result.heatmaps[hid]
    fw = result.framework
    rating = fw.rating_for(h.heatmap.rating) if h.heatmap.rating else None
    if rating is None:
        return {}
    xs = [score for _, score in fw.axis(h.heatmap.x)]  # a question's scored options, or a rated section's bands
    ys = [score for _, score in fw.axis(h.heatmap.y)]
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
    plt = pyplot()
    nx, ny = len(h.x_labels), len(h.y_labels)
    left, grid_w, legend_left = 3.4, 8.0, 11.9
    cell_w = grid_w / max(nx, 1)
    cell_h = 1.15
    # a column's label is never broken inside a word ('Negligib le'): a word a little wider than its cell reaches
    # into the gap between the labels
    x_lines = max((len(wrap(label, cell_w - 0.1, 3, whole_words=True)) for label in h.x_labels), default=1)
    x_title_lines = wrap(x_title + " →", grid_w, 2)
    top, bottom = 0.3, 0.25 + 0.36 * x_lines + 0.4 * len(x_title_lines) + 0.2
    height = max(top + cell_h * ny + bottom, 6.0)
    fig, ax = canvas(plt, height)
    for i in range(nx):
        for j in range(ny):
            band = bands.get((i, j))
            colour = band.colour if band and band.colour else EMPTY_CELL
            x, y = left + i * cell_w, top + (ny - 1 - j) * cell_h
            ax.add_artist(plt.Rectangle((x, y), cell_w, cell_h, facecolor=colour, edgecolor="white", linewidth=1.5))
            ink = text_on(colour)
            names = h.cells.get((i, j), ())
            placed = " ".join(str(n) for n in sorted(numbers.get(name, 0) for name in names))
            word = "\n".join(wrap(band.label, cell_w - 0.05, 2)) if band else ""
            if placed:
                ax.text(
                    x + cell_w / 2,
                    y + cell_h * (0.36 if word else 0.5),
                    "\n".join(wrap(placed, cell_w - 0.15, 2, 9)),
                    ha="center",
                    va="center",
                    fontsize=9,
                    fontweight="bold",
                    color=ink,
                    linespacing=1.0,
                )
                if word:
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
            "\n".join(wrap(label, cell_w - 0.1, 3, whole_words=True)),
            ha="center",
            va="top",
            fontsize=FONT,
            linespacing=1.05,
        )
    for j, label in enumerate(h.y_labels):
        ax.text(
            left - 0.12,
            top + (ny - 1 - j + 0.5) * cell_h,
            "\n".join(wrap(label, 2.4, 3)),
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
        0.1,  # the rotated title's left edge: a title of two lines stays inside the picture
        top + ny * cell_h / 2,
        "\n".join(wrap(y_title + " →", ny * cell_h, 2)),
        ha="left",
        va="center",
        rotation=90,
        fontsize=FONT,
        fontweight="bold",
        linespacing=1.05,
    )
    # the legend beside the matrix: each band with its range of products
    ly = top + 0.1
    if rating:
        title = wrap(rating.title or _("Rating"), WIDTH_CM - legend_left - 0.1, 3)
        ax.text(legend_left, ly, "\n".join(title), fontsize=FONT, fontweight="bold", va="top", linespacing=1.05)
        ly += 0.36 * len(title) + 0.45
        for band in reversed(rating.bands):
            ax.add_artist(
                plt.Rectangle(
                    (legend_left, ly - 0.18),
                    0.4,
                    0.36,
                    facecolor=band.colour or NO_BAND,
                    edgecolor="#555555",
                    linewidth=0.4,
                )
            )
            ax.text(
                legend_left + 0.55,
                ly,
                "\n".join(wrap(f"{band.label} ({number(band.min)}–{number(band.max)})", 2.4, 2)),
                va="center",
                fontsize=FONT,
                linespacing=1.05,
            )
            ly += 0.75
    ax.text(
        legend_left,
        min(ly + 0.1, height - 1.0),
        "\n".join(wrap(_("Numbers: the items placed in each cell"), WIDTH_CM - legend_left - 0.1, 3)),
        fontsize=FONT,
        color="#444444",
        va="top",
        linespacing=1.05,
    )
    return fig
