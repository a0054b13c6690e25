"""nps.Tally: construction, in-place adds, exact merging, weights and pickling."""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

import nps

A: list[int | None] = [10, 9, 8, 7, 3, 10, None]
B: list[int | None] = [0, 10, 6, 9]
C: list[int | None] = [8, 8, 2]
HEADLINE_COUNTS = [20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50]


def test_from_counts_and_properties() -> None:
    t = nps.Tally.from_counts(HEADLINE_COUNTS)
    assert (t.n, t.n_missing, t.counts, t.weighted) == (100, 0, HEADLINE_COUNTS, False)
    assert (t.promoters, t.passives, t.detractors) == (0.5, 0.3, 0.2)
    assert t.nps == pytest.approx(30, abs=1e-12)
    assert t.se == pytest.approx(7.810249675906654, abs=1e-12)
    assert (t.n_eff, t.design_effect) == (100.0, 1.0)
    assert t.scale == nps.Scale()
    assert nps.Tally.from_counts(np.array(HEADLINE_COUNTS, dtype=np.int64)) == t


def test_an_empty_tally() -> None:
    t = nps.Tally()
    assert (t.n, t.n_missing, t.counts, t.weighted) == (0, 0, [0] * 11, False)
    with pytest.raises(nps.EmptyError, match="shares needs at least 1 answered response"):
        t.nps  # noqa: B018
    with pytest.raises(nps.EmptyError):
        t.estimate()


def test_add_in_place() -> None:
    t = nps.Tally(A)
    t.add(B)
    assert t == nps.Tally(A + B)
    t.add(C)
    assert t == nps.Tally(A + B + C)


def test_a_failed_add_leaves_the_tally_unchanged() -> None:
    t = nps.Tally(A)
    with pytest.raises(nps.InvalidScoreError):
        t.add([10, 11])
    with pytest.raises(nps.LengthMismatchError):
        t.add([10, 9], weights=[1.0])
    assert t == nps.Tally(A)


def test_merging_is_exact() -> None:
    a, b, c = nps.Tally(A), nps.Tally(B), nps.Tally(C)
    whole = nps.Tally(A + B + C)
    assert a + b + c == whole
    assert sum([a, b, c]) == whole
    assert 0 + a == a
    assert (a, b) == (nps.Tally(A), nps.Tally(B)), "+ leaves its operands alone"
    t = nps.Tally(A)
    t += b
    t += c
    assert t == whole
    assert t.n_missing == 1


def test_adding_a_tally_to_itself() -> None:
    t = nps.Tally(A)
    t += t
    assert t == nps.Tally(A + A)
    assert nps.Tally(A) + nps.Tally(A) == t


def test_adding_other_types_is_a_type_error() -> None:
    t = nps.Tally(A)
    with pytest.raises(TypeError):
        t + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        1 + t
    with pytest.raises(TypeError):
        t += [10]  # type: ignore[arg-type]


def test_tallies_on_different_scales_do_not_merge() -> None:
    five = nps.Scale(1, 5, 3, 5)
    with pytest.raises(nps.ScaleError, match="different scales"):
        nps.Tally(A) + nps.Tally([1, 5], scale=five)
    t = nps.Tally(A)
    with pytest.raises(nps.ScaleError):
        t += nps.Tally([1, 5], scale=five)
    assert t == nps.Tally(A)


@pytest.mark.parametrize(
    "tally",
    [
        nps.Tally(),
        nps.Tally(A),
        nps.Tally(A, [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 7.0]),
        nps.Tally([1, 2, 5, None], scale=nps.Scale(1, 5, 3, 5)),
    ],
    ids=["empty", "unweighted", "weighted", "five-point"],
)
def test_pickle_and_copy_round_trip(tally: nps.Tally) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(tally, protocol)) == tally
    assert copy.copy(tally) == tally
    clone = copy.deepcopy(tally)
    assert clone == tally and clone is not tally
    clone.add([5])
    assert clone != tally


def test_weighted_tallies_pickle_exactly() -> None:
    # Weight sums with full 17-digit mantissas must come back bit for bit.
    rng = np.random.default_rng(11)
    for _ in range(200):
        scores = rng.integers(0, 11, 20)
        t = nps.Tally(scores, rng.lognormal(0.0, 1.0, 20))
        assert pickle.loads(pickle.dumps(t)) == t


def test_weighted_tally_effective_size_and_design_effect() -> None:
    scores = [10, 9, 8, 7, 3, 10, 0, 9]
    w = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.25, 1.0])
    t = nps.Tally(scores, w)
    assert t.weighted and t.n == 8
    n_eff = w.sum() ** 2 / (w**2).sum()
    assert t.n_eff == pytest.approx(n_eff, rel=1e-14)
    assert t.design_effect == pytest.approx(8 / n_eff, rel=1e-14)
    promoters = w[[0, 1, 5, 7]].sum() / w.sum()
    detractors = w[[4, 6]].sum() / w.sum()
    assert t.promoters == pytest.approx(promoters, rel=1e-14)
    assert t.detractors == pytest.approx(detractors, rel=1e-14)
    assert t.nps == pytest.approx(100 * (promoters - detractors), rel=1e-14)
    e = t.estimate("wald")
    assert (e.weighted, e.n_eff, e.design_effect) == (True, t.n_eff, t.design_effect)


def test_unit_weights_give_the_unweighted_nps_and_shares() -> None:
    scores = [10, 9, 8, 7, 3, 10, 0, 9, float("nan")]
    plain, unit = nps.Tally(scores), nps.Tally(scores, [1.0] * len(scores))
    assert unit.weighted and not plain.weighted
    for attribute in ["n", "n_missing", "counts", "promoters", "passives", "detractors", "nps"]:
        assert getattr(unit, attribute) == pytest.approx(getattr(plain, attribute), abs=1e-12)
    assert (unit.n_eff, unit.design_effect) == (8.0, 1.0)


def test_a_missing_score_ignores_its_weight() -> None:
    t = nps.Tally([10, None, 0], [1.0, 1000.0, 1.0])
    assert (t.n, t.n_missing, t.nps) == (2, 1, 0.0)


def test_merging_weighted_and_unweighted_gives_unit_weights() -> None:
    mixed = nps.Tally([10, 9], [2.0, 1.0]) + nps.Tally([0, 8])
    assert mixed.weighted
    assert mixed == nps.Tally([10, 9, 0, 8], [2.0, 1.0, 1.0, 1.0])


def test_estimate_agrees_with_score() -> None:
    t = nps.Tally(A)
    for method in nps.METHODS:
        assert t.estimate(method, 0.9) == nps.score(A, method=method, level=0.9)


def test_to_dict_and_repr() -> None:
    t = nps.Tally([10, 9, 0, None])
    d = t.to_dict()
    assert d == {
        "n": 3,
        "n_missing": 1,
        "counts": [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
        "weighted": False,
        "scale": {"min": 0, "max": 10, "detractor_max": 6, "promoter_min": 9},
    }
    assert repr(t) == (
        "Tally(n=3, n_missing=1, counts=[1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], weighted=False, "
        "scale=Scale(min=0, max=10, detractor_max=6, promoter_min=9))"
    )


def test_equality_and_hashing() -> None:
    assert nps.Tally(A) == nps.Tally(A)
    assert nps.Tally(A) != nps.Tally(B)
    assert nps.Tally(A) != "a tally"
    with pytest.raises(TypeError):
        hash(nps.Tally(A))


def test_read_only_properties() -> None:
    t = nps.Tally(A)
    with pytest.raises(AttributeError):
        t.n = 3  # type: ignore[misc]


def test_a_five_point_scale() -> None:
    five = nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5)
    t = nps.Tally([5, 5, 4, 1, 2, 3], scale=five)
    assert t.scale == five
    assert (t.promoters, t.passives, t.detractors) == pytest.approx((2 / 6, 1 / 6, 3 / 6))
    assert t.counts[0] == 0 and t.counts[5] == 2
    assert math.isclose(t.nps, 100 * (2 - 3) / 6)
    with pytest.raises(nps.InvalidScoreError, match="score at index 1 is 0; scores are whole numbers in 1..=5"):
        nps.Tally([1, 0], scale=five)
    with pytest.raises(nps.InvalidScoreError):
        nps.Tally.from_counts([1] + [0] * 10, scale=five)
