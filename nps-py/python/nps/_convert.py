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
- numpy masked arrays: masked entries are missing answers;
- polars Series (polars is imported only when it is given one): numeric columns through
  ``to_numpy`` (null = NaN = missing), an all-null column as all missing.

``frame_columns`` and ``table_columns`` convert the columns of an ``nps.Table`` the same way,
from a pandas or a polars DataFrame: the score and weight columns as above; each dimension into
its categories (as text) and codes — pandas columns through ``pandas.Categorical``, its signed
codes as they are (missing = -1; the core converts them in one pass), a polars Enum through its
physical codes and categories (``uint32``, missing = ``u32::MAX``, the core's ``NA``), a polars
Categorical or String column through an Enum of its distinct values in lexical order, polars
booleans and numbers as pandas reads them; dates into ``int32`` days since 1970-01-01
(datetime64 of any unit, time-zone-aware columns in UTC; polars Date and Datetime the same way)
or, for text columns, a list of str the core parses; driver ratings into float64 (NaN = not
rated).

Booleans, strings and other objects raise ``TypeError`` naming the argument: they are not
scores, and guessing (``True`` as 1, ``"9"`` as 9) would hide a wrong column.
No loop runs over the data here; numpy, pandas and polars do the conversions (no pyarrow).
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any, Optional

import numpy as np

__all__ = [
    "column_kinds",
    "comments_list",
    "factor_codes",
    "flags_array",
    "float_columns",
    "frame_columns",
    "scores_array",
    "seconds_array",
    "table_columns",
    "table_state_columns",
    "time_seconds",
    "weights_array",
]

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
    elif _is_polars(values):
        values = _from_polars(values, name)
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


def _is_polars(values: Any) -> bool:
    """A polars object (DataFrame, Series…), recognized without importing polars."""
    return type(values).__module__.startswith("polars")


def _from_polars(values: Any, name: str) -> Any:
    """A polars Series of numbers as a numpy array (null = NaN); ``TypeError`` naming ``name``
    for booleans, strings, categoricals and dates."""
    import polars as pl  # already loaded: ``values`` is a polars object

    if not isinstance(values, pl.Series):
        return values  # a DataFrame: np.asarray gives 2-D, which _numbers rejects
    dtype = values.dtype
    if dtype == pl.Decimal:
        values = values.cast(pl.Float64)
    elif dtype != pl.Null and not dtype.is_numeric():
        raise _not_numbers(name, dtype)
    return values.to_numpy()  # numeric: the column's buffer when it has no nulls; Null: NaN


def _from_objects(array: np.ndarray) -> np.ndarray:
    """An object array (a list with None) re-read with None as NaN; strings stay strings."""
    pandas = sys.modules.get("pandas")  # pd.NA can only be there when pandas is loaded
    missing = pandas.isna(array) if pandas is not None else array == None  # noqa: E711
    return np.asarray(np.where(missing, np.nan, array).tolist())


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

#: The core's code of a missing dimension value (``nps_core::NA`` = ``u32::MAX``).
NA_CODE = np.iinfo(np.uint32).max
_INT32 = np.iinfo(np.int32)


def _quoted(name: Any) -> str:
    """A name quoted as the core quotes it (Rust's ``{:?}``): ``"region"``."""
    return json.dumps(str(name), ensure_ascii=False)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - pandas is an optional dependency
        raise ImportError("tables need pandas: pip install 'nps[pandas]'") from e
    return pandas


def frame_columns(
    df: Any,
    score: str,
    weight: str | None,
    dimensions: Any,
    date: str | None,
    drivers: Any,
) -> dict[str, Any]:
    """The columns of ``df`` (a pandas or polars DataFrame) named by the arguments, converted
    as ``table_columns`` does, with ``names``: the score, weight and date columns' names, for
    the messages of errors in them.

    ``dimensions=None`` takes every categorical, object, string and boolean column (polars:
    Categorical, Enum, String, Boolean, Object) other than the score, weight, date and driver
    columns. A name that is not a column of ``df`` raises ``nps.UnknownNameError`` listing the
    columns; a frame without rows raises ``nps.EmptyError``.
    """
    _check_frame(df)
    drivers = _names(drivers, "drivers")
    if dimensions is None:
        taken = {score, weight, date, *drivers}
        dimensions = [
            c for c, kind in column_kinds(df) if kind == "dimension" and c not in taken
        ]
    else:
        dimensions = _names(dimensions, "dimensions")
    for kind, names in [
        ("score column", [score]),
        ("weight column", [weight] if weight is not None else []),
        ("dimension", dimensions),
        ("date column", [date] if date is not None else []),
        ("driver", drivers),
    ]:
        for name in names:
            _check_column(df, kind, name)
    if len(df) == 0:
        from ._nps import EmptyError

        raise EmptyError(
            f"the data frame has no rows (columns {_listed(df.columns)}); "
            "an analysis needs at least one response"
        )
    names = {"score": score, "weight": weight, "date": date}
    parts = table_columns(
        df[score],
        None if weight is None else df[weight],
        {str(name): df[name] for name in dimensions},
        None if date is None else df[date],
        {str(name): df[name] for name in drivers},
        labels={k: f"{k} column {_quoted(v)}" for k, v in names.items() if v is not None},
    )
    parts["names"] = {k: str(v) for k, v in names.items() if v is not None}
    return parts


def _check_frame(df: Any) -> None:
    """``TypeError`` unless ``df`` is a pandas or a polars DataFrame (polars is never imported
    for a frame that is not one)."""
    if _is_polars(df):
        import polars as pl

        if isinstance(df, pl.DataFrame):
            return
        hint = " (call .collect() first)" if isinstance(df, pl.LazyFrame) else ""
    else:
        if isinstance(df, _pandas().DataFrame):
            return
        hint = ""
    raise TypeError(
        f"expected a pandas DataFrame or a polars DataFrame, got {type(df).__name__}{hint}"
    )


def checked_columns(
    df: Any, columns: dict[str, tuple[str, Any]], optional: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """Checks that ``df`` is a DataFrame with the named columns (``columns``: argument →
    (kind, column name); with ``optional``, a None name is an argument not given, skipped).
    Returns the column names by argument (the ``names`` the compiled module names columns by
    in its errors) and each argument's label for messages (``time column "at"``)."""
    _check_frame(df)
    given = {
        key: (kind, name)
        for key, (kind, name) in columns.items()
        if not (optional and name is None)
    }
    for kind, name in given.values():
        _check_column(df, kind, name)
    names = {key: str(name) for key, (_, name) in given.items()}
    label = {key: f"{kind} {_quoted(name)}" for key, (kind, name) in columns.items()}
    return names, label


def column_kinds(df: Any) -> list[tuple[Any, str]]:
    """Each column of a pandas or polars DataFrame with its kind: "float" (float columns, the
    default driver ratings), "dimension" (categorical, text and boolean columns, the default
    dimensions) or "other"."""
    if _is_polars(df):
        import polars as pl

        text = (pl.Categorical, pl.Enum, pl.String, pl.Boolean, pl.Object)
        return [
            (c, "float" if t.is_float() else "dimension" if t.base_type() in text else "other")
            for c, t in df.schema.items()
        ]
    pd = _pandas()
    return [
        (c, "float" if t.kind == "f" else "dimension" if _is_categorical(pd, t) else "other")
        for c, t in df.dtypes.items()
    ]


def float_columns(df: Any, taken: Any) -> list[Any]:
    """The float columns of a pandas or polars DataFrame that are not in ``taken``: the default
    driver ratings."""
    return [c for c, kind in column_kinds(df) if kind == "float" and c not in taken]


def _is_categorical(pd: Any, dtype: Any) -> bool:
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or dtype == object
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def _names(names: Any, argument: str) -> list[Any]:
    """A list of column names from None, one name, or a sequence of names."""
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    try:
        return list(names)
    except TypeError:
        raise TypeError(
            f"{argument} must be a column name or a list of column names, "
            f"got {type(names).__name__}"
        ) from None


def _check_column(df: Any, kind: str, name: Any) -> None:
    """``nps.UnknownNameError`` in the core's words when ``df`` has no column ``name``."""
    try:
        found = name in df.columns
    except TypeError:  # an unhashable name
        found = False
    if not found:
        from ._nps import UnknownNameError

        raise UnknownNameError(
            f"unknown {kind} {_quoted(name)}; the data frame has {_listed(df.columns)}"
        )


def _listed(columns: Any) -> str:
    """Column names as the core lists them: ``"ltr", "brand"`` ("none" for none)."""
    return ", ".join(_quoted(c) for c in columns) or "none"


def table_columns(
    score: Any,
    weight: Any,
    dimensions: Any,
    date: Any,
    drivers: Any,
    labels: Any = None,
) -> dict[str, Any]:
    """Arrays for ``nps.Table``: ``score``, ``weight``, ``dimensions`` (a list of (name,
    categories, codes)), ``date`` (``{"days": int32 array, "nat": first NaT position or None}``
    or ``{"text": list of str}``) and ``drivers`` (a list of (name, float64 array)).

    ``labels`` names the score and weight arguments in ``TypeError`` messages (``"score"`` and
    ``"weight"`` by default; ``frame_columns`` gives ``'score column "ltr"'``)."""
    labels = labels or {}
    return {
        "score": scores_array(score, labels.get("score", "score")),
        "weight": None
        if weight is None
        else weights_array(weight, labels.get("weight", "weight")),
        "dimensions": [
            (str(name), *category_codes(values))
            for name, values in _items(dimensions, "dimensions")
        ],
        "date": None if date is None else dates(date),
        "drivers": [
            (str(name), weights_array(values, f"driver {_quoted(name)}"))
            for name, values in _items(drivers, "drivers")
        ],
    }


def _items(columns: Any, argument: str) -> list[tuple[Any, Any]]:
    if columns is None:
        return []
    if not hasattr(columns, "items"):
        raise TypeError(
            f"{argument} must be a dict of column name to values, got {type(columns).__name__}"
        )
    return list(columns.items())


def dimension_codes(values: Any) -> tuple[list[str], np.ndarray]:
    """The categories of a column (as text) and each row's ``uint32`` code (``NA_CODE`` when
    missing): ``category_codes`` with the codes widened."""
    levels, codes = category_codes(values)
    # pandas' -1 for a missing value wraps to u32::MAX, the core's NA.
    return levels, codes.astype(np.uint32, copy=False)


def category_codes(values: Any) -> tuple[list[str], np.ndarray]:
    """The categories of a column (as text) and each row's code, as the column stores them:
    pandas' signed codes (``int8`` up to 127 categories, wider beyond; -1 when missing), which
    the core reads as they are, in one pass (no widening copy here); ``uint32`` codes
    (``NA_CODE`` when missing) for polars.

    A pandas Categorical keeps its categories, in order, unused ones included; other pandas
    columns and arrays have their distinct values (sorted). A polars Enum keeps its categories
    the same way; a polars Categorical or String column has its distinct values in lexical
    order; other polars columns are read as pandas reads their numpy values."""
    if _is_polars(values):
        return _polars_codes(values)
    pd = _pandas()
    if isinstance(values, pd.Series):
        values = values.array
    categorical = values if isinstance(values, pd.Categorical) else pd.Categorical(values)
    levels = categorical.categories.astype(str).tolist()
    return levels, np.ascontiguousarray(categorical.codes)


def _polars_codes(values: Any) -> tuple[list[str], np.ndarray]:
    """``category_codes`` of a polars Series: an Enum's categories and physical codes; a
    Categorical or String column through an Enum of its distinct values (lexical order, the
    order polars sorts Categoricals in), without the global string cache."""
    import polars as pl  # already loaded: ``values`` is a polars object

    if not isinstance(values, pl.Series):
        return category_codes(np.asarray(values))
    if values.dtype == pl.Categorical or values.dtype == pl.String:
        levels = values.drop_nulls().unique().cast(pl.String).sort()
        values = values.cast(pl.Enum(levels))
    if isinstance(values.dtype, pl.Enum):
        codes = values.to_physical().cast(pl.UInt32).fill_null(NA_CODE).to_numpy()
        return values.dtype.categories.to_list(), np.ascontiguousarray(codes)
    return category_codes(values.to_numpy())  # booleans (null = None), numbers (null = NaN)


#: Length of a day in each linear datetime64 unit.
_TICKS_PER_DAY = {
    "D": 1,
    "h": 24,
    "m": 24 * 60,
    "s": 86_400,
    "ms": 86_400 * 10**3,
    "us": 86_400 * 10**6,
    "ns": 86_400 * 10**9,
}


def dates(values: Any) -> dict[str, Any]:
    """A date column for the core: datetime64 values (any unit; time-zone-aware in UTC) as
    ``int32`` days since 1970-01-01 with the position of the first ``NaT`` (polars Date and
    Datetime columns the same way, null = ``NaT``), anything else as a list of texts for the
    core to parse (missing values become "None", "nan" or "<NA>", which it rejects by
    position)."""
    if _is_polars(values) and hasattr(values, "dtype"):
        import polars as pl

        if values.dtype == pl.Date or values.dtype == pl.Datetime:
            return _days(values.to_numpy())  # datetime64 (time-zone-aware: UTC), null = NaT
        return {"text": values.to_numpy().astype(str).tolist()}  # null = "None", rejected
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(values, (pd.Series, pd.Index)):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            index = pd.DatetimeIndex(values)  # the UTC instants, then their UTC dates
            values = pd.Series(index.tz_convert("UTC").tz_localize(None))
        if values.dtype.kind == "M":
            return _days(values.to_numpy())
        return {"text": values.astype(str).tolist()}
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return _days(array)
    if array.ndim != 1:
        raise TypeError(f"date must be one-dimensional, got shape {array.shape}")
    return {"text": array.astype(str).tolist()}


def _days(array: np.ndarray) -> dict[str, Any]:
    """Days since 1970-01-01 (floor) of a datetime64 array, with the first NaT's position."""
    array = np.ravel(array)
    unit, count = np.datetime_data(array.dtype)
    ticks = _TICKS_PER_DAY.get(unit)
    if ticks is None or ticks % count:  # weeks, months, years, or sub-nanosecond units
        array = array.astype("datetime64[D]")
        ticks, count = 1, 1
    raw = array.view(np.int64)
    if not raw.size:
        return {"days": np.zeros(0, dtype=np.int32), "nat": None}
    # NaT is the smallest int64, so one pass finds both NaT and the range.
    low, high = int(raw.min()), int(raw.max())
    if low == np.iinfo(np.int64).min:
        return {"days": np.zeros(0, dtype=np.int32), "nat": int(np.argmax(np.isnat(array)))}
    per_day = ticks // count
    if low // per_day < _INT32.min or high // per_day > _INT32.max:
        raw = np.clip(raw, _INT32.min * per_day, _INT32.max * per_day)  # rejected by the core
    days = np.empty(raw.shape, dtype=np.int32)
    np.floor_divide(raw, per_day, out=days, casting="unsafe")
    return {"days": days, "nat": None}


#: The core's code of a missing answer in a table's score column.
_MISSING_SCORE = 11


def table_state_columns(state: dict[str, Any]) -> dict[str, Any]:
    """The columns of a pickled ``nps.Table`` (``Table.__reduce__``) as ``table_columns`` gives
    them: score codes back to scores (the missing-answer code to NaN), the day dimension back to
    days."""
    codes = np.asarray(state["score"])
    date = state.get("date")
    if date is not None:
        first, offsets = date
        days = (np.asarray(offsets, dtype=np.int64) + first).astype(np.int32)
        date = {"days": days, "nat": None}
    return {
        "score": np.where(codes == _MISSING_SCORE, np.nan, codes.astype(np.float64)),
        "weight": state.get("weight"),
        "dimensions": list(state.get("dimensions", [])),
        "date": date,
        "drivers": list(state.get("drivers", [])),
    }


# ---------------------------------------------------------------------------------------------
# Alerts (nps.alerts, nps.Alerter, nps.callback_outcomes)
# ---------------------------------------------------------------------------------------------

#: numpy's NaT as int64, which is also the core's ``NOT_CONTACTED``.
NAT_SECONDS = np.iinfo(np.int64).min


def seconds_array(values: Any, name: str = "at") -> tuple[np.ndarray, Optional[int]]:
    """Times as ``int64`` whole seconds since 1970-01-01 UTC (floored), with the position of the
    first missing time (``NaT``, kept as numpy's NaT value, the smallest int64) or None.

    datetime64 of any unit (pandas time-zone-aware columns in UTC); polars Datetime (time-zone
    aware: UTC) and Date; integer columns as seconds already (nullable ``Int64`` NA and polars
    null as NaT); a float or object column with no rows or only missing values as all NaT. Anything
    else raises ``TypeError`` naming ``name``."""
    if _is_polars(values) and hasattr(values, "dtype"):
        return _polars_seconds(values, name)
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(values, (pd.Series, pd.Index)):
        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        elif getattr(dtype, "kind", "O") in "iu" and not isinstance(dtype, np.dtype):
            missing = np.asarray(values.isna())  # nullable Int64: NA is a missing time
            raw = np.asarray(values.to_numpy(dtype=np.int64, na_value=0))
            return _with_nat(_int_seconds(raw, name), missing)
        values = values.to_numpy()
    array = np.asarray(values)
    if array.ndim != 1:
        raise TypeError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind == "M":
        seconds = np.ascontiguousarray(array.astype("datetime64[s]").view(np.int64))
        nat = np.isnat(array)
        return seconds, (int(np.argmax(nat)) if nat.any() else None)
    if array.dtype.kind in "iu":
        return _int_seconds(array, name), None
    if array.dtype.kind in "fO":  # no rows, or only missing values (None, NaN, NA, NaT)
        missing = np.asarray(_pandas().isna(array), dtype=bool)
        if missing.all():
            return np.full(array.shape, NAT_SECONDS, dtype=np.int64), (0 if array.size else None)
    raise _not_times(name, array.dtype)


def response_times(df: Any, at: Any, label: str) -> np.ndarray:
    """The time column ``at`` of ``df`` as ``seconds_array`` gives it (``label`` names it in
    errors); ``nps.InvalidDateError`` naming the row for a missing time."""
    seconds, nat = seconds_array(df[at], label)
    if nat is not None:
        from ._nps import InvalidDateError

        raise InvalidDateError(
            f"in column {_quoted(at)}: time at index {nat} is NaT; every response needs its time"
        )
    return seconds


def _not_times(name: str, dtype: Any) -> TypeError:
    return TypeError(
        f"{name} must be datetime64 (any unit; time-zone-aware in UTC) or integer seconds since "
        f"1970-01-01 UTC, got dtype {dtype}"
    )


def _int_seconds(array: np.ndarray, name: str) -> np.ndarray:
    """Integer seconds as int64 (``InvalidArgumentError`` beyond int64)."""
    if array.dtype == np.uint64 and array.size and int(array.max()) > np.iinfo(np.int64).max:
        from ._nps import InvalidArgumentError

        i = int(np.argmax(array > np.iinfo(np.int64).max))
        raise InvalidArgumentError(
            f"{name} is {array[i]} at index {i}; seconds since 1970-01-01 must fit in int64"
        )
    return np.ascontiguousarray(array, dtype=np.int64)


def _with_nat(seconds: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, Optional[int]]:
    if not missing.any():
        return seconds, None
    seconds = np.where(missing, NAT_SECONDS, seconds)
    return seconds, int(np.argmax(missing))


def _polars_seconds(values: Any, name: str) -> tuple[np.ndarray, Optional[int]]:
    import polars as pl  # already loaded: ``values`` is a polars object

    dtype = values.dtype
    if dtype == pl.Date or dtype == pl.Datetime:
        return seconds_array(values.to_numpy(), name)  # datetime64 (aware: UTC), null = NaT
    if dtype == pl.Null:
        n = len(values)
        return np.full(n, NAT_SECONDS, dtype=np.int64), (0 if n else None)
    if dtype.is_integer():
        missing = values.is_null().to_numpy()
        raw = values.fill_null(0).to_numpy()
        return _with_nat(_int_seconds(np.asarray(raw), name), missing)
    raise _not_times(name, dtype)


def factor_codes(values: Any) -> tuple[list[str], np.ndarray]:
    """``dimension_codes`` by hashing instead of sorting, for columns with many distinct values
    (customer ids): levels (as text) in order of first appearance, ``uint32`` codes
    (``NA_CODE`` when missing). Categorical and polars columns go through ``dimension_codes``.
    Values that differ but read the same as text (``1`` and ``"1"``) are one level."""
    pd = _pandas()
    if _is_polars(values) or isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        return dimension_codes(values)
    if not isinstance(values, (pd.Series, pd.Index)):
        values = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(values)  # missing values: -1
    levels = pd.Index(uniques).astype(str)
    if not levels.is_unique:
        merged, levels = pd.factorize(levels)
        codes = np.where(codes < 0, -1, merged[codes])
    # -1 as uint32 wraps to u32::MAX, the core's NA.
    return pd.Index(levels).tolist(), np.ascontiguousarray(codes).astype(np.uint32)


def time_seconds(value: Any, index: int = 0, name: str = "at") -> int:
    """One time as whole seconds since 1970-01-01 UTC (floored): an int as is; a
    ``datetime.datetime`` or pandas Timestamp (naive: UTC; aware: converted), a
    ``datetime.date``, a ``numpy.datetime64``, or an ISO 8601 text ("2025-01-01T08:00:00Z").
    A missing time (None, NaT) or a text that is not a time raises ``nps.InvalidDateError``
    naming ``index``; other types ``TypeError``."""
    from ._nps import InvalidDateError

    if isinstance(value, (bool, np.bool_)):
        raise _not_a_time(name, value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidDateError(
                f"{name} at index {index} is {_quoted(value)}; expected an ISO 8601 time "
                '("2025-01-01T08:00:00", naive = UTC, or with an offset: "…Z", "…+08:00")'
            ) from None
    if hasattr(value, "to_datetime64"):  # pandas Timestamp and NaT
        if getattr(value, "tzinfo", None) is not None:
            value = value.tz_convert("UTC").tz_localize(None)
        value = value.to_datetime64()
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        value = np.datetime64(value)
    elif isinstance(value, datetime.date):
        value = np.datetime64(value)
    if value is None or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise InvalidDateError(f"{name} at index {index} is NaT; every response needs its time")
    if not isinstance(value, np.datetime64):
        raise _not_a_time(name, value)
    return int(value.astype("datetime64[s]").astype(np.int64))


def _not_a_time(name: str, value: Any) -> TypeError:
    return TypeError(
        f"{name} must be integer seconds since 1970-01-01 UTC or a time (datetime, "
        f"numpy.datetime64, pandas Timestamp, ISO 8601 text), got {type(value).__name__}"
    )


def comments_list(values: Any, name: str = "comment") -> list[Optional[str]]:
    """Comments as a list of str, None where there is no comment: missing values (None, NaN,
    NA, null) and empty or blank texts (only whitespace) alike. Text columns only (object
    columns of str, pandas string and categorical columns, polars String, Categorical and
    Enum); an all-missing column of any dtype is all None; anything else raises
    ``TypeError`` naming ``name``."""
    if _is_polars(values) and hasattr(values, "dtype"):
        import polars as pl

        dtype = values.dtype
        if dtype == pl.Null or (dtype.is_numeric() and values.null_count() == len(values)):
            return [None] * len(values)
        if not (dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, pl.Enum)):
            raise _not_texts(name, dtype)
        text = values.cast(pl.String)
        keep = text.str.strip_chars().str.len_chars() > 0  # null stays null: no comment
        kept: list[Optional[str]] = (
            pl.select(pl.when(keep).then(text).otherwise(None)).to_series().to_list()
        )
        return kept
    pd = _pandas()
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if series.isna().all():
        return [None] * len(series)
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind != "string":
        raise _not_texts(name, f"{series.dtype} ({kind} values)")
    keep = (series.str.strip().str.len() > 0).fillna(False).astype(bool)
    comments: list[Optional[str]] = series.astype(object).where(keep, None).tolist()
    return comments


def _not_texts(name: str, dtype: Any) -> TypeError:
    return TypeError(f"{name} must be texts (str; None or NaN for no comment), got dtype {dtype}")


def flags_array(values: Any, name: str = "resolved") -> np.ndarray:
    """Yes/no values as a contiguous bool array: booleans (missing = False: not resolved) or
    the integers 0 and 1; anything else raises ``TypeError`` (or ``nps.InvalidArgumentError``
    for another integer, naming the position)."""
    if _is_polars(values) and hasattr(values, "dtype"):
        import polars as pl

        if values.dtype == pl.Boolean or values.dtype == pl.Null:
            values = values.cast(pl.Boolean).fill_null(False)
        elif values.dtype.is_integer() and values.null_count() == 0:
            pass
        else:
            raise _not_flags(name, values.dtype)
        return _flags(np.asarray(values.to_numpy()), name)
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(values, (pd.Series, pd.Index)):
        dtype = values.dtype
        if not isinstance(dtype, np.dtype) and getattr(dtype, "kind", "O") in "biu":
            values = values.to_numpy(dtype=object, na_value=None)  # nullable: NA = not resolved
        else:
            values = values.to_numpy()
    array = np.asarray(values)
    if array.dtype == object:  # True, False and None (a list, an object column)
        pandas = _pandas()
        missing = np.asarray(pandas.isna(array), dtype=bool)
        if not missing.all() and pandas.api.types.infer_dtype(array, skipna=True) != "boolean":
            raise _not_flags(name, "object")
        array = np.where(missing, False, array).astype(bool)
    return _flags(array, name)


def _flags(array: np.ndarray, name: str) -> np.ndarray:
    if array.ndim != 1:
        raise TypeError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind in "iu":
        bad = (array != 0) & (array != 1)
        if bad.any():
            from ._nps import InvalidArgumentError

            i = int(np.argmax(bad))
            raise InvalidArgumentError(
                f"{name} is {array[i]} at index {i}; give True/False (or 1/0)"
            )
        return np.ascontiguousarray(array, dtype=bool)
    if array.dtype.kind != "b":
        raise _not_flags(name, array.dtype)
    return np.ascontiguousarray(array, dtype=bool)


def _not_flags(name: str, dtype: Any) -> TypeError:
    return TypeError(f"{name} must be booleans (or 1/0; missing = False), got dtype {dtype}")
