"""Exact numbers from definition files and half-up rounding for reports.

Definition files may write a number as an int, a float or a string fraction such as
``"1/9"``.  Such numbers are kept as :class:`fractions.Fraction` for validation (weights
must sum exactly as declared) and turned into floats only for vectorised arithmetic.

Rounding for display and category lookup is *half-up* (half away from zero) at a
declared number of decimals: 84.375 -> 84.38, -0.125 -> -0.13.  Python's ``round`` and
``numpy.round`` round half to even on binary floats and are not used for reports.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

# Values are first rounded to this many significant decimals to remove binary
# representation noise (e.g. 2.675 stored as 2.67499999...).  Scores never carry
# meaningful digits this deep.
_NOISE_DECIMALS = 9


_MAX_NUMBER_TEXT = 100
_MAX_EXPONENT = 400
_EXPONENT = re.compile(r"[eE]([+-]?[\d_]+)$")


def _decimal_fraction(text: str) -> Fraction:
    """``Fraction(text)`` without the hang on a huge exponent (``"1e999999999"``)."""
    m = _EXPONENT.search(text)
    if m and abs(int(m.group(1))) > _MAX_EXPONENT:
        raise ValueError(f"not a usable number: {text!r} (exponent too large)")
    return Fraction(text)


def to_fraction(value: object) -> Fraction:
    """Parse an int, float, decimal string or ``"p/q"`` string into a Fraction.

    Floats are read through their shortest decimal representation, so ``0.11`` is
    11/100 and not the binary approximation.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not np.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if len(text) > _MAX_NUMBER_TEXT:
            raise ValueError(f"not a number: text longer than {_MAX_NUMBER_TEXT} characters")
        if "/" in text:
            num, _, den = text.partition("/")
            return _decimal_fraction(num) / _decimal_fraction(den)
        return _decimal_fraction(text)
    raise ValueError(f"not a number: {value!r}")


def fraction_value(f: Fraction) -> int | float | str:
    """A definition number as it is written back: an int when whole, a float when the
    fraction is a finite decimal (1/4 -> 0.25), else the text ``"n/d"`` (1/9)."""
    if f.denominator == 1:
        return int(f)
    d = f.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    return float(f) if d == 1 else f"{f.numerator}/{f.denominator}"


def round_half_up(values: Any, decimals: int) -> Any:
    """Round half away from zero at ``decimals`` places, vectorised.

    Accepts a scalar or an array-like; NaN stays NaN.  Returns floats.
    """
    arr = np.atleast_1d(np.asarray(values, dtype="float64"))
    scale = 10.0**decimals
    x = arr * scale
    # remove representation noise before deciding the half: numpy.round's own steps
    # (multiply, round half to even, divide), in place
    f = 10.0 ** (_NOISE_DECIMALS - min(decimals, 6))
    x *= f
    np.rint(x, out=x)
    x /= f
    out = np.abs(x)
    out += 0.5
    np.floor(out, out=out)
    np.multiply(np.sign(x, out=x), out, out=out)  # sign(x) * floor(|x| + 0.5)
    out /= scale
    out += 0.0  # turn -0.0 into 0.0
    if np.ndim(values) == 0:
        return float(out[0])
    return out.reshape(np.shape(values))


def format_half_up(value: float | None, decimals: int, decimal_comma: bool = False) -> str:
    """Text of a value rounded half-up, e.g. ``format_half_up(84.375, 2) == "84.38"``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    d = Decimal(repr(float(round_half_up(value, decimals))))
    q = Decimal(1).scaleb(-decimals)
    text = str(d.quantize(q, rounding=ROUND_HALF_UP))
    if decimal_comma:
        text = text.replace(".", ",")
    return text
