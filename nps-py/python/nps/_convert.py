"""Array-likes to the arrays the compiled module reads.

The compiled module calls these functions on every scores and weights argument. They return
1-D, C-contiguous, native-byte-order numpy arrays, and copy only when they must:

- numpy arrays of int8..int64, uint8..uint64, float32 and float64 pass through untouched;
  non-contiguous views (``a[::2]``) and non-native byte order are copied; float16 and
  long double become float64;
- lists and tuples: ``None`` is a missing answer (NaN);
- pandas Series, Index and arrays: numpy-backed columns pass their buffer; nullable
  ``Int64``/``Float64`` columns become float64 with NA as NaN; ``pd.NA`` and ``None`` in object
  columns are missing answers;
- numpy masked arrays: masked entries are missing answers.

Booleans, strings and other objects raise ``TypeError`` naming the argument: they are not
scores, and guessing (``True`` as 1, ``"9"`` as 9) would hide a wrong column.
No loop runs over the data here; numpy and pandas do the conversions.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

__all__ = ["scores_array", "weights_array"]

#: The dtypes the compiled module reads in place (native byte order).
SCORE_DTYPES = tuple(
    np.dtype(t)
    for t in (
        np.uint8,
        np.uint16,
        np.uint32,
        np.uint64,
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.float32,
        np.float64,
    )
)


def scores_array(values: Any, name: str = "scores") -> np.ndarray:
    """Scores as a contiguous array of a dtype in ``SCORE_DTYPES`` (NaN = missing)."""
    array = _numbers(values, name)
    dtype = array.dtype if array.dtype.isnative else array.dtype.newbyteorder("=")
    if dtype not in SCORE_DTYPES:
        dtype = np.dtype(np.float64)  # float16, long double
    return np.ascontiguousarray(array, dtype=dtype)


def weights_array(values: Any, name: str = "weights") -> np.ndarray:
    """Weights as a contiguous float64 array (NA = NaN, which the core rejects by position)."""
    return np.ascontiguousarray(_numbers(values, name), dtype=np.float64)


def _numbers(values: Any, name: str) -> np.ndarray:
    """A 1-D numpy array of an integer or float dtype, or ``TypeError`` naming ``name``."""
    if _is_pandas(values):
        values = _from_pandas(values, name)
    elif isinstance(values, np.ma.MaskedArray):
        if values.dtype.kind not in "iuf":
            raise _not_numbers(name, values.dtype)
        values = np.ma.filled(values.astype(np.float64), np.nan)
    array = np.asarray(values)
    if array.dtype == object and array.ndim == 1:
        array = _from_objects(array)
    if array.ndim != 1:
        raise TypeError(
            f"{name} must be a one-dimensional array-like of numbers, "
            f"got {type(values).__name__} of shape {array.shape}"
        )
    if array.dtype.kind not in "iuf":
        raise _not_numbers(name, array.dtype)
    return array


def _not_numbers(name: str, dtype: Any) -> TypeError:
    return TypeError(
        f"{name} must be integer or float numbers (NaN, None or NA for a missing answer), "
        f"got dtype {dtype}"
    )


def _is_pandas(values: Any) -> bool:
    """A pandas Series, Index or extension array, recognized without importing pandas."""
    return type(values).__module__.startswith("pandas.") and hasattr(values, "to_numpy")


def _from_pandas(values: Any, name: str) -> np.ndarray:
    dtype = values.dtype
    kind = getattr(dtype, "kind", "O")
    if kind == "b":
        raise _not_numbers(name, dtype)
    if isinstance(dtype, np.dtype) and kind in "iuf":
        return np.asarray(values.to_numpy())  # numpy-backed: the column's own buffer
    if kind in "iuf":  # nullable Int64, Float64
        return np.asarray(values.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.asarray(values.to_numpy(dtype=object, na_value=None))  # object, categorical, string


def _from_objects(array: np.ndarray) -> np.ndarray:
    """An object array (a list with None) re-read with None as NaN; strings stay strings."""
    pandas = sys.modules.get("pandas")  # pd.NA can only be there when pandas is loaded
    missing = pandas.isna(array) if pandas is not None else array == None  # noqa: E711
    return np.asarray(np.where(missing, np.nan, array).tolist())
