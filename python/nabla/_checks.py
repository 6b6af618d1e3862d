"""Checks of the numbers handed to the C++ core, with errors that name the
argument: an integer argument takes an int or a NumPy integer (anything with
__index__), never np.float32(2.7), which pybind11 would truncate to 2 through
__int__; a real argument takes any real number (np.float32, Fraction,
Decimal), never a string or a bool.
"""

import decimal
import numbers
import operator

import numpy as np


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


def _scalar(value):
    """A 0-d array as the number it holds."""
    return value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value


def integer(value, who, name, lo=-2**63, hi=2**63 - 1):
    """value as an int, or a TypeError naming who and the argument; a
    ValueError outside [lo, hi], the range of the C++ integer it goes to
    (beyond it pybind11 raised its own "incompatible function arguments")."""
    value = _scalar(value)
    if not _is_bool(value):
        try:
            number = operator.index(value)
        except TypeError:
            pass
        else:
            if not lo <= number <= hi:
                raise ValueError(f"{who}: {name} must be from {lo} to {hi}, got {number}")
            return number
    raise TypeError(f"{who}: {name} must be an integer, not {type(value).__name__} {value!r}")


def as_reals(value):
    """value as a float array when it holds real numbers only, else None:
    NumPy would turn None into nan and "1.0" into 1.0."""
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        raw = np.asarray(value)
    except ValueError:  # ragged
        return None
    if raw.dtype.kind in "biuf" or (raw.dtype.kind == "O" and all(isinstance(v, numbers.Real) for v in raw.flat)):
        return raw.astype(float)
    return None


def reals(value, who, name):
    """value as a float array, or a TypeError naming who and the argument."""
    array = as_reals(value)
    if array is None:
        raise TypeError(f"{who}: {name} must be real numbers, not {type(value).__name__} {value!r}")
    return array


def real(value, who, name):
    """value as a float, or a TypeError naming who and the argument."""
    value = _scalar(value)
    if not _is_bool(value) and isinstance(value, (numbers.Real, decimal.Decimal)):
        return float(value)
    raise TypeError(f"{who}: {name} must be a real number, not {type(value).__name__} {value!r}")
