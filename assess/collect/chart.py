"""Provides the summary's trend chart: each headline score across periods on its whole scale, its rating bands
behind, in colours told apart with colour vision deficiencies; and the fills the summary's shaded cells take."""

from __future__ import annotations

import io
import re
import textwrap

from ..i18n import domain
from ..report.colours import AA, BLACK, contrast, tint
from .compare import Comparison, shorten
from .comparison import FrameworkView, comparable_run
from .words import colon, number

_, ngettext, _pgettext = domain("hq")

LINES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
"""Trend lines: the Okabe & Ito (2008) colours, told apart with every common colour vision deficiency; each
line also has its own marker."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""Trend line markers, so lines differ in shape as well as colour."""
DPI = 300
"""Resolution of the trend chart."""


def readable(colour: str | None) -> str:
    """A fill (RRGGBB, no '#') on which black text reaches WCAG AA (4.5:1): the colour itself, else lightened
    towards white just enough; white when there is none."""
    if not colour or not re.fullmatch(r"#?[0-9A-Fa-f]{6}", colour):
        return "FFFFFF"
    colour = "#" + colour.lstrip("#")
    share = 0.0
    fill = colour
    while contrast(fill, BLACK) < AA and share < 1:
        share = min(1.0, share + 0.05)
        fill = tint(colour, share)
    return fill.lstrip("#").upper()


def axes(v: FrameworkView) -> list[tuple[str, str]]:
    """The headline scores followed across periods: both axes of a declared two-axis headline, else the first."""
    return v.headline[:2] if v.declared else v.headline[:1]


def trend_axis(v: FrameworkView, sid: str, values: list[float]) -> tuple[float, float]:
    """The y-axis of a trend panel: the score's whole scale where the framework file gives it (so a change looks
    as large as it is on the scale), else the values' own span with a margin."""
    if sid in v.scales:
        return v.scales[sid]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.1 or 0.5
    return lo - pad, hi + pad


def panels(c: Comparison) -> list[tuple]:
    """(view, score id, title, lines shown, lines in all) of each panel: a headline score followed by two or more
    periods in some mission."""
    out = []
    for v in c.frameworks:
        for sid, title in axes(v):
            lines = []
            for t in v.trends:
                pts = [
                    (a.period or "—", a.order, cells[sid].value)
                    for a, cells in comparable_run(t.points, t.breaks.get(sid, set()))
                    if sid in cells and cells[sid].value is not None
                ]
                if len(pts) >= 2:
                    lines.append((t.label, pts))
            if lines:
                lines.sort(key=lambda x: (-len(x[1]), x[0]))
                out.append((v, sid, title, lines[: len(LINES)], len(lines)))
    return out


def trend_chart(c: Comparison) -> bytes | None:
    """One panel per headline score: each mission's score across periods (missions with two or more), on the
    score's whole scale with its rating bands behind, in a colour-blind-safe palette, 300 dpi. Drawn once, on a
    fixed layout (a 'tight' layout or bounding box would draw it twice more), without pyplot."""
    drawn = panels(c)
    if not drawn:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    many = max(len({p for _, pts in lines for p, _, _ in pts}) for _, _, _, lines, _ in drawn) > 8
    below = 0.75 if many else 0.45  # inches under each panel for its period labels (slanted when many)
    height = len(drawn) * (1.9 + below + 0.3) + 0.1
    fig = Figure(figsize=(6.5, height))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(
        left=0.09, right=0.66, top=1 - 0.35 / height, bottom=below / height, hspace=(below + 0.35) / 1.9
    )
    for n_panel, (v, sid, title, lines, total) in enumerate(drawn):
        ax = fig.add_subplot(len(drawn), 1, n_panel + 1)
        periods = sorted({(o, p) for _, pts in lines for p, o, _ in pts})
        names: list[str] = []
        for _order, p in periods:
            if p not in names:
                names.append(p)
        lo, hi = trend_axis(v, sid, [val for _, pts in lines for _, _, val in pts])
        for b_lo, b_hi, label, colour in v.bands.get(sid, ()):
            top, bottom = min(b_hi, hi), max(b_lo, lo)
            if top > bottom:
                ax.axhspan(bottom, top, color=tint("#" + readable(colour), 0.55), linewidth=0, zorder=0)
                ax.text(1.01, (bottom + top) / 2, shorten(label, 18), transform=ax.get_yaxis_transform(),
                        fontsize=8, va="center", ha="left", color="#333333")  # fmt: skip
        for n, (label, pts) in enumerate(lines):
            ax.plot(
                [names.index(p) for p, _, _ in pts],
                [val for _, _, val in pts],
                marker=MARKERS[n % len(MARKERS)],
                color=LINES[n % len(LINES)],
                linewidth=1.6,
                label=shorten(label, 24),
                zorder=3,
            )
        ax.set_ylim(lo, hi)
        ax.set_xlim(-0.3, len(names) - 0.7)
        ax.set_xticks(
            range(len(names)), names, fontsize=8, rotation=45 if many else 0, ha="right" if many else "center"
        )
        ax.tick_params(axis="y", labelsize=8)
        ax.yaxis.set_major_formatter(lambda y, _pos: number(f"{y:g}"))  # 2,5 in French
        heading = (
            textwrap.shorten(v.title, 60, placeholder="…") + colon() + textwrap.shorten(title, 40, placeholder="…")
        )
        if total > len(lines):
            heading += " " + ngettext(
                "({count} of {total} missions)", "({count} of {total} missions)", len(lines)
            ).format(count=len(lines), total=total)
        ax.set_title(heading, fontsize=8, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.2, 1.0), frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buf.getvalue()
