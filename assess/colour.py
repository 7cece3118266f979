"""Provides colour as readers see it: WCAG contrast, text on a fill, colour-blind simulation, CIEDE2000, a palette."""

from __future__ import annotations

import math

BLACK = "#000000"
WHITE = "#FFFFFF"

AA = 4.5
"""WCAG 2.x level AA: the least contrast ratio for body text."""

DISTINCT = 10.0
"""The least CIEDE2000 difference at which two fills read as different at a glance (1 is a just-noticeable
difference side by side; fills compared across a page, a table or a legend need about ten times that)."""

PALETTE = ("#4A90C8", "#ABD9E9", "#FFFFBF", "#FDAE61", "#E8605A")
"""Band fills, best first: blue, light blue, pale yellow, orange, red. ColorBrewer's colour-blind-safe diverging
RdYlBu (Brewer 2003) with its dark ends lightened so black text reaches 6:1 on every fill; its closest pair, under
deuteranopia, stays 14 CIEDE2000 apart (the old greens and reds: 6.8)."""


def palette(n: int) -> tuple[str, ...]:
    """n band fills from best to worst (n from 1 to 5), taken from PALETTE so its ends are always used."""
    if n <= 1:
        return PALETTE[-1:] * n
    picks = {2: (0, 4), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}.get(n)
    if picks is None:
        return tuple(PALETTE[round(i * (len(PALETTE) - 1) / (n - 1))] for i in range(n))
    return tuple(PALETTE[i] for i in picks)


# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision deficiency",
# IEEE TVCG 15(6): the matrices at severity 1.0, applied to linear RGB.
_MACHADO = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
}

DEFICIENCIES = tuple(_MACHADO)
"""The colour vision deficiencies simulated: the red-green ones, about 1 man in 12 of European descent."""


def rgb(colour: str) -> tuple[float, float, float]:
    """'#RRGGBB' (or 'RRGGBB') as sRGB components from 0 to 1."""
    h = colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def hex_colour(components: tuple[float, float, float]) -> str:
    """sRGB components from 0 to 1 (clipped) as '#RRGGBB'."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in components)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encoded(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a colour, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on the fill (one of them always reaches 4.58:1)."""
    return BLACK if contrast(fill, BLACK) >= contrast(fill, WHITE) else WHITE


def simulate(colour: str, deficiency: str = "deuteranopia") -> str:
    """How a colour looks to someone with the deficiency (Machado et al. 2009, full severity)."""
    lin = [_linear(c) for c in rgb(colour)]
    m = _MACHADO[deficiency]
    out = [sum(m[i][k] * lin[k] for k in range(3)) for i in range(3)]
    return hex_colour((_encoded(out[0]), _encoded(out[1]), _encoded(out[2])))


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu & Dalal 2005)."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = L2 - L1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    h_bar = h1p + h2p
    if c1p * c2p:
        h_bar = (h_bar + 360) / 2 if abs(h1p - h2p) > 180 and h_bar < 360 else h_bar / 2
        h_bar = h_bar - 180 if abs(h1p - h2p) > 180 and h_bar >= 360 else h_bar
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = (
        -2
        * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h))


def difference(a: str, b: str, deficiency: str | None = None) -> float:
    """CIEDE2000 difference of two colours, as seen with normal vision or the deficiency named."""
    if deficiency:
        a, b = simulate(a, deficiency), simulate(b, deficiency)
    return delta_e(lab(a), lab(b))


def least_difference(colours: list[str]) -> tuple[float, int, int, str]:
    """The closest pair of colours under normal vision and each simulated deficiency: (difference, i, j, vision)."""
    best = (math.inf, -1, -1, "")
    for vision in (None, *DEFICIENCIES):
        for i in range(len(colours)):
            for j in range(i + 1, len(colours)):
                d = difference(colours[i], colours[j], vision)
                if d < best[0]:
                    best = (d, i, j, vision or "normal vision")
    return best
