from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indeks.numbers import format_half_up, round_half_up, to_fraction


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (
            84.375,
            2,
            84.38,
        ),  # Indonesian reports: 84.375 -> 84.38 (banker's rounding gives 84.38 too, but)
        (81.875, 2, 81.88),
        (2.675, 2, 2.68),  # binary 2.67499999... must still round up
        (0.125, 2, 0.13),  # round() gives 0.12
        (0.5, 0, 1.0),
        (2.5, 0, 3.0),  # round() gives 2
        (-0.125, 2, -0.13),
        (74.91071428, 2, 74.91),
        (3.06435, 4, 3.0644),
        (100.0, 2, 100.0),
    ],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_round_half_up_vector_and_nan():
    out = round_half_up(np.array([0.125, np.nan, 1.005]), 2)
    assert out[0] == 0.13 and np.isnan(out[1]) and out[2] == 1.01


def test_format_half_up():
    assert format_half_up(84.375, 2) == "84.38"
    assert format_half_up(4, 2) == "4.00"
    assert format_half_up(85.714285, 2, decimal_comma=True) == "85,71"
    assert format_half_up(float("nan"), 2) == ""


def test_to_fraction():
    assert to_fraction("1/9") == Fraction(1, 9)
    assert to_fraction(0.11) == Fraction(11, 100)
    assert to_fraction("100/16") == Fraction(25, 4)
    assert to_fraction(25) == 25
    with pytest.raises(ValueError):
        to_fraction(True)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=4))
def test_half_up_matches_decimal_on_exact_halves(n, decimals):
    # n / 10**(decimals+1) with last digit 5 is an exact half at `decimals`
    from decimal import ROUND_HALF_UP, Decimal

    d = Decimal(n) / Decimal(10) ** (decimals + 1)
    expected = float(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    assert round_half_up(float(d), decimals) == expected


def test_fraction_value_writes_a_definition_number_back():
    from fractions import Fraction

    from indeks.numbers import fraction_value

    assert fraction_value(Fraction(4)) == 4 and isinstance(fraction_value(Fraction(4)), int)
    assert fraction_value(Fraction(1, 4)) == 0.25
    assert fraction_value(Fraction(-3, 20)) == -0.15
    assert fraction_value(Fraction(1, 9)) == "1/9"
    assert fraction_value(Fraction(25, 6)) == "25/6"
