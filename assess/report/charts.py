"""Provides the report's pictures as PNG bytes: section scores and heat maps (matplotlib, imported here only)."""

from __future__ import annotations

import io
import textwrap

from ..model import HeatmapResult, Result


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9})
    return plt


def _png(fig, plt) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def scores_chart(result: Result) -> bytes | None:
    """Each scored section and derived score as a bar showing where it lies in its possible range."""
    fw = result.framework
    rows = []
    for sid, s in list(result.sections.items()) + list(result.derived.items()):
        rng = fw.ranges.get(sid)
        if s.value is None or not rng or rng[1] == rng[0]:
            continue
        share = float((s.value - rng[0]) / (rng[1] - rng[0]))
        rows.append((textwrap.shorten(s.title, 48, placeholder="…"), share, s.display, s.colour or "#5B7DB1"))
    if not rows:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.3, 0.38 * len(rows) + 0.8))
    labels = [r[0] for r in rows][::-1]
    ax.barh(
        labels, [r[1] * 100 for r in rows][::-1], color=[r[3] for r in rows][::-1], edgecolor="#333333", linewidth=0.4
    )
    for i, r in enumerate(rows[::-1]):
        ax.text(min(r[1] * 100 + 1.5, 92), i, r[2], va="center", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("position of the score within its possible range (%)")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig, plt)


def heatmap_chart(h: HeatmapResult, x_title: str, y_title: str, numbers: dict[str, int]) -> bytes:
    """The matrix, highest row at the top, each cell coloured and listing what falls in it."""
    plt = _plt()
    nx, ny = len(h.x_labels), len(h.y_labels)
    fig, ax = plt.subplots(figsize=(6.3, 0.75 * ny + 1.2))
    for i in range(nx):
        for j in range(ny):
            colour = h.colours.get((i, j), "#F2F2F2")
            ax.add_patch(plt.Rectangle((i, j), 1, 1, facecolor=colour, edgecolor="white", linewidth=2, alpha=0.85))
            names = h.cells.get((i, j), ())
            if names:
                labels = sorted(numbers.get(n, 0) for n in names)
                text = textwrap.fill("  ".join(str(n) for n in labels), 12)
                ax.text(i + 0.5, j + 0.5, text, ha="center", va="center", fontsize=9, fontweight="bold")
    ax.set_xlim(0, nx)
    ax.set_ylim(0, ny)
    ax.set_xticks([i + 0.5 for i in range(nx)], [textwrap.fill(x, 14) for x in h.x_labels], fontsize=7)
    ax.set_yticks([j + 0.5 for j in range(ny)], [textwrap.fill(y, 16) for y in h.y_labels], fontsize=7)
    ax.set_xlabel(textwrap.shorten(x_title, 80, placeholder="…"))
    ax.set_ylabel(textwrap.shorten(y_title, 50, placeholder="…"))
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    return _png(fig, plt)
