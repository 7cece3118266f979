"""Tests the number formatter: the text and JSON numbers a user sees for exact scores and answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assess.numbers import decimal, fraction, half_up, json_exact, json_float, shown, trimmed


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5, 2), 2, "2.50"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(-4, 1000), 2, "0.00"),
        (Fraction(-1, 3), 0, "0"),
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(0), 2, "0.00"),
        (7, 2, "7.00"),
        (-7, 0, "-7"),
        (Fraction(10**30 + 1, 2), 1, "500000000000000000000000000000.5"),
        (Fraction(1, 10**30), 2, "0.00"),
        (Fraction(5, 10**30), 30, "0.000000000000000000000000000005"),
        (Fraction(5, 10**31), 30, "0.000000000000000000000000000001"),
    ],
)
def test_half_up_rounds_exactly_half_away_from_zero(value, places, text):
    assert half_up(value, places) == text


def test_shown_and_json_float_say_when_there_is_no_score():
    assert shown(Fraction(5, 2), 2) == "2.50"
    assert shown(None, 2) == "-"
    assert shown(None, 2, "–") == "–"
    assert shown(None, 2, "") == ""
    assert json_float(Fraction(5, 2), 2) == 2.5
    assert json_float(Fraction(2, 3), 2) == 0.67
    assert json_float(Fraction(-5, 1000), 2) == -0.01
    assert json_float(None, 2) is None


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5, 2), 2, "2.5"),
        (Fraction(3), 2, "3"),
        (Fraction(30), 2, "30"),
        (Fraction(30), 0, "30"),
        (Fraction(1, 3), 6, "0.333333"),
        (Fraction(-1, 10**9), 6, "0"),
        (Fraction(49, 4), 6, "12.25"),
    ],
)
def test_trimmed_drops_trailing_zeros_after_rounding(value, places, text):
    assert trimmed(value, places) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(-49, 4), "-12.25"),
        (Fraction(12), "12"),
        (Fraction(100), "100"),
        (0, "0"),
        (Fraction(10**40 + 1), "10000000000000000000000000000000000000001"),
        (Fraction(1, 3), "0.3333333333333333333333333333"),
        (Fraction(1, 10**20), "0.00000000000000000001"),
    ],
)
def test_decimal_writes_plain_digits(value, text):
    assert decimal(value) == text


def test_fraction_and_json_exact_keep_every_digit():
    assert fraction(Fraction(3)) == "3"
    assert fraction(Fraction(-1, 3)) == "-1/3"
    assert json_exact(Fraction(5, 2)) == 2.5
    assert json_exact(Fraction(3)) == 3.0
    assert json_exact(Fraction(1, 3)) == "1/3"
    assert json_exact(Fraction(1, 10)) == "1/10"
