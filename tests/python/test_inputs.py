"""Every kind of input gives the same answer; contiguous arrays are read in place; the GIL is
released while the core computes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from typing import Any

import numpy as np
import pytest

import nps
from nps import _convert

SCORES = [10, 9, 9, 8, 7, 6, 10, 3, 9, 10, 0, 5, 7, 8, 9, 4]
EXPECTED = nps.score(SCORES)
COUNTS = nps.Tally(SCORES).counts
WEIGHTS = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.25, 1.0, 2.0, 1.0, 1.0, 0.75, 1.0, 2.5, 1.0, 1.0]

DTYPES = [
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
]


def same_answer(values: Any, n_missing: int = 0, **kwargs: Any) -> None:
    """`values` give EXPECTED (with `n_missing` missing answers), through score and Tally."""
    e = nps.score(values, **kwargs)
    want = EXPECTED.to_dict() | {"n_missing": n_missing}
    assert e.to_dict() == want
    t = nps.Tally(values)
    assert (t.counts, t.n_missing) == (COUNTS, n_missing)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_numpy_dtype(dtype: Any) -> None:
    same_answer(np.array(SCORES, dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_supported_arrays_are_passed_without_a_copy(dtype: Any) -> None:
    a = np.array(SCORES, dtype=dtype)
    assert _convert.scores_array(a) is a


@pytest.mark.parametrize(
    "dtype", [">i4", ">u2", ">f8", "<f2", np.longdouble, np.intc, np.longlong, np.uintp]
)
def test_other_dtypes_and_byte_orders(dtype: Any) -> None:
    same_answer(np.array(SCORES, dtype=dtype))


def test_lists_tuples_and_missing_answers() -> None:
    same_answer(SCORES)
    same_answer(tuple(SCORES))
    same_answer([None, *SCORES, None], n_missing=2)
    same_answer([float(s) for s in SCORES] + [float("nan")], n_missing=1)
    same_answer(np.array([np.nan, *SCORES], dtype=np.float32), n_missing=1)
    masked = np.ma.masked_array([*SCORES, 11, 3], mask=[False] * len(SCORES) + [True, True])
    same_answer(masked, n_missing=2)


def test_views_that_are_not_contiguous() -> None:
    doubled = np.repeat(np.array(SCORES, dtype=np.int16), 2)
    assert not doubled[::2].flags.c_contiguous
    same_answer(doubled[::2])
    same_answer(np.array(SCORES[::-1], dtype=np.uint8)[::-1])
    column = np.array([SCORES, SCORES], dtype=np.float64).T[:, 0]
    same_answer(column)
    assert nps.score(doubled[::2]) == nps.score(np.ascontiguousarray(doubled[::2]))


def test_pandas_columns() -> None:
    pd = pytest.importorskip("pandas")
    same_answer(pd.Series(SCORES))
    same_answer(pd.Series(SCORES, dtype="uint8"))
    same_answer(pd.Series([*SCORES, None], dtype="Int64"), n_missing=1)
    same_answer(pd.Series([pd.NA, *SCORES], dtype="Float64"), n_missing=1)
    same_answer(pd.Series([*SCORES, np.nan]), n_missing=1)
    same_answer(pd.Series([*SCORES, None], dtype=object), n_missing=1)
    same_answer(pd.Series([*SCORES, pd.NA], dtype=object), n_missing=1)
    same_answer(pd.Series(pd.Categorical(SCORES)))
    same_answer(pd.Index(SCORES))
    same_answer(pd.DataFrame({"nps": SCORES})["nps"])
    same_answer(pd.array([*SCORES, None], dtype="Int8"), n_missing=1)
    same_answer([pd.NA, *SCORES, None], n_missing=2)


def test_numpy_backed_pandas_columns_are_read_in_place() -> None:
    pd = pytest.importorskip("pandas")
    s = pd.Series(np.array(SCORES, dtype=np.uint8))
    assert np.shares_memory(_convert.scores_array(s), s.to_numpy())


@pytest.mark.parametrize(
    "weights",
    [
        WEIGHTS,
        np.array(WEIGHTS),
        np.array(WEIGHTS, dtype=np.float32),
        np.repeat(np.array(WEIGHTS), 2)[::2],
        np.array(WEIGHTS, dtype=">f8"),
    ],
    ids=["list", "float64", "float32", "strided", "big-endian"],
)
def test_weights_of_every_kind(weights: Any) -> None:
    want = nps.score(SCORES, np.array(WEIGHTS))
    assert want.weighted
    assert nps.score(SCORES, weights) == want
    assert nps.Tally(np.array(SCORES, dtype=np.int8), weights) == nps.Tally(SCORES, WEIGHTS)


def test_integer_and_pandas_weights() -> None:
    pd = pytest.importorskip("pandas")
    ints = [1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1, 4, 1, 1, 1]
    want = nps.score(SCORES, [float(w) for w in ints])
    assert nps.score(SCORES, np.array(ints, dtype=np.int32)) == want
    assert nps.score(pd.Series(SCORES), pd.Series(ints, dtype="Int64")) == want


def test_weights_are_converted_to_float64_without_a_copy_when_they_are() -> None:
    w = np.array(WEIGHTS)
    assert _convert.weights_array(w) is w


def test_large_arrays_are_read_in_place() -> None:
    """The peak memory of a process tallying 100 MB of uint8 scores grows by far less than 100 MB."""
    script = textwrap.dedent(
        """
        import resource
        import numpy as np
        import nps
        scores = np.full(100_000_000, 9, dtype=np.uint8)
        scores[::7] = 0
        nps.score(scores[:10])  # load everything lazily imported
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        e = nps.score(scores)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(e.n, after - before)
        """
    )
    resource = pytest.importorskip("resource")
    del resource
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    n, grown_kib = int(out[0]), int(out[1])
    assert n == 100_000_000
    assert grown_kib < 10_000, f"peak memory grew by {grown_kib} KiB: the scores were copied"


def test_the_gil_is_released_while_the_core_computes() -> None:
    """A Python loop keeps running while another thread waits on a long bootstrap."""
    tally = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    done = threading.Event()
    took: list[float] = []

    def work() -> None:
        start = time.perf_counter()
        tally.estimate("bootstrap", replicates=1_000_000)
        took.append(time.perf_counter() - start)
        done.set()

    worker = threading.Thread(target=work)
    longest_pause, last = 0.0, time.perf_counter()
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        longest_pause, last = max(longest_pause, now - last), now
    worker.join()
    if took[0] < 0.05:
        pytest.skip(f"the bootstrap took only {took[0]:.3f} s here; too short to tell")
    assert longest_pause < took[0] / 2, (longest_pause, took[0])
