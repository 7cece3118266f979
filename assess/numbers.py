"""Provides the one way exact numbers become text and JSON: half-up rounding, compact decimals, exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Exact = Fraction | int
"""An exact number: scores and answers are Fractions, counts and some expression results ints."""


def half_up(value: Exact, places: int) -> str:
    """The value rounded exactly, half away from zero, to `places` decimals, as text: 2.5 at 2 is '2.50'."""
    scale = 10**places
    n = abs(value) * scale
    q, r = divmod(n.numerator, n.denominator)
    if 2 * r >= n.denominator:
        q += 1
    sign = "-" if value < 0 and q else ""
    if places == 0:
        return f"{sign}{q}"
    return f"{sign}{q // scale}.{q % scale:0{places}d}"


def shown(value: Exact | None, places: int, none: str = "-") -> str:
    """A score as the user reads it: half_up to `places` decimals, or `none` when there is no score."""
    return none if value is None else half_up(value, places)


def json_float(value: Exact | None, places: int) -> float | None:
    """A score as a JSON number: the float of its half_up text, or None (null) when there is no score."""
    return None if value is None else float(half_up(value, places))


def trimmed(value: Exact, places: int) -> str:
    """half_up to `places` decimals without trailing zeros or a bare point: 2.50 is '2.5', 3.00 is '3'."""
    text = half_up(value, places)
    return text.rstrip("0").rstrip(".") if places else text


def decimal(value: Exact) -> str:
    """The number in plain decimal digits, no exponent, no trailing zeros: '12', '0.25'; 28 significant digits
    when the decimal does not end (1/3)."""
    if value.denominator == 1:
        return str(value.numerator)
    return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")


def fraction(value: Exact) -> str:
    """The exact value as a whole number or a fraction in lowest terms: '3', '-1/3'."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def json_exact(value: Exact) -> float | str:
    """A number for JSON without loss: a float when one holds it exactly, else its exact fraction text '1/3'."""
    as_float = float(value)
    return as_float if Fraction(as_float) == value else fraction(value)
