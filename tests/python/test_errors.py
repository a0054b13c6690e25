"""Bad input: each case raises the right class, and the message names the field and position."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import nps

GOOD = [9] * 20


def with_value_at(index: int, value: Any, base: list[Any] = GOOD) -> list[Any]:
    scores = list(base)
    scores[index] = value
    return scores


def test_the_exception_hierarchy() -> None:
    assert issubclass(nps.NpsError, ValueError)
    for cls in [
        nps.InvalidScoreError,
        nps.InvalidWeightError,
        nps.LengthMismatchError,
        nps.EmptyError,
        nps.InvalidLevelError,
        nps.UnknownMethodError,
        nps.InvalidArgumentError,
        nps.ScaleError,
    ]:
        assert issubclass(cls, nps.NpsError)
        assert cls.__module__ == "nps"
        assert cls.__doc__


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (with_value_at(17, 11), "score at index 17 is 11; scores are whole numbers in 0..=10"),
        (with_value_at(3, -1), "score at index 3 is -1;"),
        (with_value_at(5, 7.5), "score at index 5 is 7.5;"),
        (with_value_at(0, float("inf")), "score at index 0 is inf;"),
        (np.array(with_value_at(17, 11), dtype=np.uint8), "score at index 17 is 11;"),
        (np.array(with_value_at(2, -1), dtype=np.int8), "score at index 2 is -1;"),
        (np.array(with_value_at(9, 7.5), dtype=np.float32), "score at index 9 is 7.5;"),
        (np.array(with_value_at(19, 300), dtype=np.uint16), "score at index 19 is 300;"),
        (with_value_at(6, 12, [None, *GOOD]), "score at index 6 is 12;"),
    ],
)
def test_invalid_scores(scores: Any, message: str) -> None:
    with pytest.raises(nps.InvalidScoreError, match=re.escape(message)):
        nps.score(scores)
    with pytest.raises(nps.InvalidScoreError, match=re.escape(message)):
        nps.Tally(scores)


@pytest.mark.parametrize(
    ("bad", "shown"), [(float("nan"), "NaN"), (-1.0, "-1"), (float("inf"), "inf")]
)
def test_invalid_weights(bad: float, shown: str) -> None:
    weights = [1.0] * 20
    weights[12] = bad
    message = f"weight at index 12 is {shown}; weights must be finite and non-negative"
    with pytest.raises(nps.InvalidWeightError, match=re.escape(message)):
        nps.score(GOOD, weights)


def test_weights_that_sum_to_zero() -> None:
    with pytest.raises(nps.InvalidWeightError, match="weights of the 20 answered responses sum to zero"):
        nps.score(GOOD, np.zeros(20))


def test_nullable_weights_with_na() -> None:
    pd = pytest.importorskip("pandas")
    weights = pd.Series([1.0, None, 1.0], dtype="Float64")
    with pytest.raises(nps.InvalidWeightError, match="weight at index 1 is NaN"):
        nps.score([10, 9, 0], weights)


def test_unequal_lengths() -> None:
    message = "weights has 3 elements but scores has 4; they must have the same length"
    with pytest.raises(nps.LengthMismatchError, match=message):
        nps.score([10, 9, 0, 7], [1.0, 1.0, 1.0])
    with pytest.raises(nps.LengthMismatchError, match="weights has 2 elements but scores has 0"):
        nps.Tally(weights=[1.0, 2.0])


@pytest.mark.parametrize("scores", [[], [None, None], np.array([np.nan]), np.array([], dtype=np.uint8)])
def test_an_interval_of_no_answers(scores: Any) -> None:
    with pytest.raises(nps.EmptyError, match="needs at least 1 answered response"):
        nps.score(scores)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.95, float("nan")])
def test_levels_outside_the_open_unit_interval(level: float) -> None:
    message = f"confidence level is {level:g}".replace("nan", "NaN")
    with pytest.raises(nps.InvalidLevelError, match=re.escape(message)):
        nps.score(GOOD, level=level)
    with pytest.raises(nps.InvalidLevelError):
        nps.compare(GOOD, GOOD, level=level)
    with pytest.raises(nps.InvalidLevelError):
        nps.sample_size(5, level)
    with pytest.raises(nps.InvalidLevelError):
        nps.margin_of_error(100, level)


def test_unknown_methods() -> None:
    message = 'unknown interval method "walds"; expected one of wald, adjusted_wald, score'
    with pytest.raises(nps.UnknownMethodError, match=re.escape(message)):
        nps.score(GOOD, method="walds")
    with pytest.raises(nps.UnknownMethodError, match="walds"):
        nps.Tally(GOOD).estimate("walds")
    with pytest.raises(nps.UnknownMethodError, match='method "score" is not available for comparing'):
        nps.compare(GOOD, GOOD, method="score")


def test_invalid_method_parameters() -> None:
    with pytest.raises(nps.InvalidArgumentError, match="replicates is 0; the bootstrap needs at least 1"):
        nps.score(GOOD, method="bootstrap", replicates=0)
    with pytest.raises(nps.InvalidArgumentError, match="prior is 0; the Dirichlet prior must be positive"):
        nps.score(GOOD, method="bayes", prior=0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"detractor_max": 9, "promoter_min": 6},
            "invalid cut-points: need min <= detractor_max < promoter_min <= max, got min 0, "
            "detractor_max 9, promoter_min 6, max 10",
        ),
        ({"max": 11}, "scale maximum is 11; scales must lie inside 0..=10"),
        ({"min": -1}, "invalid cut-points: min is -1; scales must lie inside 0..=10"),
        ({"promoter_min": 300}, "promoter_min is 300"),
    ],
)
def test_invalid_scales(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(nps.ScaleError, match=re.escape(message)):
        nps.Scale(**kwargs)


@pytest.mark.parametrize(
    "scores",
    [
        ["9", "10"],
        ["a", 9, 10],
        ["9", None],
        np.array(["9", "10"]),
        np.array([True, False]),
        [True, False],
        [[9, 10], [0, 7]],
        9,
        {"a": 9},
        [b"9"],
        [1 + 2j],
    ],
    ids=[
        "strings",
        "mixed",
        "string-and-None",
        "str-array",
        "bool-array",
        "bool-list",
        "2-D",
        "scalar",
        "dict",
        "bytes",
        "complex",
    ],
)
def test_scores_that_are_not_numbers_are_a_type_error_naming_scores(scores: Any) -> None:
    with pytest.raises(TypeError, match=r"^scores must be"):
        nps.score(scores)
    with pytest.raises(TypeError, match=r"^scores must be"):
        nps.Tally().add(scores)


def test_pandas_columns_that_are_not_numbers() -> None:
    pd = pytest.importorskip("pandas")
    for column in [
        pd.Series(["9", "10"]),
        pd.Series(["9", None], dtype="string"),
        pd.Series([True, None], dtype="boolean"),
        pd.Series([True, False]),
    ]:
        with pytest.raises(TypeError, match=r"^scores must be"):
            nps.score(column)


def test_weights_that_are_not_numbers() -> None:
    with pytest.raises(TypeError, match=r"^weights must be"):
        nps.score([9, 10], ["1", "2"])
    with pytest.raises(TypeError, match=r"^weights must be"):
        nps.score([9, 10], np.array([True, True]))


def test_compare_names_the_sample() -> None:
    with pytest.raises(nps.InvalidScoreError, match=r"^in b: score at index 1 is 11;"):
        nps.compare([10, 9], [10, 11])
    with pytest.raises(nps.LengthMismatchError, match=r"^in a: weights has 1 elements"):
        nps.compare([10, 9], [10], weights_a=[1.0])
    with pytest.raises(TypeError, match=r"^b must be"):
        nps.compare([10, 9], ["x"])
    with pytest.raises(nps.EmptyError):
        nps.compare([10, 9], [])
    with pytest.raises(nps.InvalidArgumentError, match="weights_a is given; weights go with array scores"):
        nps.compare(nps.Tally([10]), [10], weights_a=[1.0])
    with pytest.raises(nps.ScaleError, match="different scales"):
        nps.compare(nps.Tally([1, 5], scale=nps.Scale(1, 5, 3, 5)), [10])


def test_planning_arguments() -> None:
    with pytest.raises(nps.InvalidArgumentError, match=r"margin is 0; the margin is a half-width"):
        nps.sample_size(0)
    with pytest.raises(nps.InvalidArgumentError, match="promoters is 1.5"):
        nps.sample_size(5, promoters=1.5, detractors=0.1)
    with pytest.raises(nps.InvalidArgumentError, match="promoters \\+ detractors is 1.2"):
        nps.margin_of_error(100, promoters=0.7, detractors=0.5)
    with pytest.raises(nps.InvalidArgumentError, match="detractors is None; give the expected shares"):
        nps.sample_size(5, promoters=0.5)
    with pytest.raises(nps.InvalidArgumentError, match="population is 50; the population must be"):
        nps.margin_of_error(100, population=50)
    with pytest.raises(nps.EmptyError, match="a margin of error needs at least 1"):
        nps.margin_of_error(0)


@pytest.mark.parametrize("counts", [[1] * 10, [1] * 12, [-1] + [0] * 10, "abc", [0.5] * 11])
def test_bad_counts(counts: Any) -> None:
    with pytest.raises(nps.InvalidArgumentError, match=r"^counts is .*; counts are 11 non-negative"):
        nps.Tally.from_counts(counts)


def test_a_corrupt_pickle_state() -> None:
    t = nps.Tally()
    with pytest.raises(nps.InvalidArgumentError, match="state is not a valid nps JSON document"):
        t.__setstate__("{not json")
