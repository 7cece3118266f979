"""Provides the colours the report draws with: assess.colour's palette and contrast, and tints of a colour."""

from __future__ import annotations

from ..colour import (
    AA,
    BLACK,
    DEFICIENCIES,
    DISTINCT,
    PALETTE,
    WHITE,
    contrast,
    delta_e,
    difference,
    hex_colour,
    lab,
    least_difference,
    luminance,
    palette,
    rgb,
    simulate,
    text_on,
)

__all__ = [
    "AA",
    "BLACK",
    "DEFICIENCIES",
    "DISTINCT",
    "PALETTE",
    "WHITE",
    "contrast",
    "delta_e",
    "difference",
    "hex_colour",
    "lab",
    "least_difference",
    "luminance",
    "palette",
    "rgb",
    "simulate",
    "text_on",
    "tint",
]


def tint(colour: str, share: float) -> str:
    """The colour mixed with white: share 0 is the colour, 1 is white."""
    return hex_colour(tuple(c + (1 - c) * share for c in rgb(colour)))  # type: ignore[arg-type]
