"""The same answer on a cluster: grouped NPS, a trend and driver importance computed on a Dask
distributed cluster (a LocalCluster with 2 worker processes), one cube or one set of driver
moments per partition, merged on the client, equal the single-machine results.

Unweighted tallies are integer counts, so grouped NPS and trends are equal exactly (every
column, bit for bit). Driver moments are floating-point sums merged in another order than one
pass, so importance agrees to 1e-12 (relative).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from functools import reduce
from operator import add
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import nps

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import insurer  # noqa: E402

KEYS = ["brand", "region", "age_band"]
PARTITIONS = 8


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return insurer.relationship()


@pytest.fixture(scope="module")
def partitions(survey: pd.DataFrame) -> Any:
    # Shuffled rows, so that every partition mixes brands, regions and quarters.
    shuffled = survey.sample(frac=1.0, random_state=7).reset_index(drop=True)
    return dd.from_pandas(shuffled, npartitions=PARTITIONS).to_delayed()


def test_the_cluster_has_two_worker_processes(client: Any) -> None:
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2


def test_grouped_nps_on_the_cluster_is_the_single_machine_answer(
    client: Any, survey: pd.DataFrame, partitions: Any
) -> None:
    parts = [dask.delayed(nps.cube)(p, KEYS) for p in partitions]
    cube = dask.delayed(reduce)(add, parts).compute()
    assert isinstance(cube, nps.Cube)
    assert cube.total().n == int(survey["ltr"].notna().sum())
    for margins in (False, True):
        distributed_result = nps.by(cube, margins=margins)
        single = nps.by(survey, KEYS, margins=margins)
        pd.testing.assert_frame_equal(distributed_result, single, check_exact=True)


def test_a_trend_on_the_cluster_is_the_single_machine_answer(
    client: Any, survey: pd.DataFrame, partitions: Any
) -> None:
    parts = [
        dask.delayed(nps.cube)(p, ["brand"], date="date", period="quarter") for p in partitions
    ]
    # The cubes travel back to the client pickled, and are added there.
    cube = sum(client.compute(parts, sync=True))
    distributed_result = nps.trend(cube)
    single = nps.trend(survey, "brand", date="date", unit="quarter")
    pd.testing.assert_frame_equal(distributed_result, single, check_exact=True)
    assert distributed_result.attrs == single.attrs
    # And the JSON form (what a Spark job would collect) round-trips to the same cube.
    assert nps.Cube.from_json(cube.to_json()) == cube


def test_driver_importance_on_the_cluster_is_the_single_machine_answer(
    client: Any, survey: pd.DataFrame, partitions: Any
) -> None:
    drivers = list(insurer.DRIVERS)
    parts = [dask.delayed(nps.driver_moments)(p, "ltr", drivers) for p in partitions]
    moments = dask.delayed(sum)(parts).compute()
    assert moments.rows == len(survey.dropna(subset=["ltr", *drivers]))
    for method in ("shapley", "johnson", "pratt"):
        distributed_result = nps.drivers(moments, method=method)
        single = nps.drivers(survey, "ltr", drivers, method=method)
        assert list(distributed_result["driver"]) == drivers
        np.testing.assert_allclose(
            distributed_result["importance"], single["importance"], rtol=1e-12, atol=1e-15
        )
        assert distributed_result.attrs["n"] == single.attrs["n"]
        assert distributed_result.attrs["r2"] == pytest.approx(single.attrs["r2"], rel=1e-12)


def test_partitions_with_different_categories_merge_by_value(survey: pd.DataFrame) -> None:
    # Plain text columns: each part's dictionary holds only its own values. Text dictionaries
    # are sorted, and merged cubes keep them sorted: even the order of the rows is the same.
    text = survey.assign(**{k: survey[k].astype(str) for k in KEYS})
    parts = [nps.cube(text[text["region"] == r], KEYS) for r in text["region"].unique()[::-1]]
    merged = nps.by(reduce(add, parts), margins=True)
    single = nps.by(text, KEYS, margins=True)
    pd.testing.assert_frame_equal(merged, single, check_exact=True)


def test_cubes_of_other_keys_or_moments_of_other_drivers_do_not_merge(
    survey: pd.DataFrame,
) -> None:
    with pytest.raises(nps.InvalidArgumentError, match="same keys"):
        nps.cube(survey, "brand") + nps.cube(survey, "region")
    with pytest.raises(nps.InvalidArgumentError, match="keyed by"):
        nps.by(nps.cube(survey, "brand"), "region")
    with pytest.raises(nps.InvalidArgumentError, match=r'\["brand", "month"\] of a cube'):
        nps.trend(nps.cube(survey, "brand"))
    a = nps.driver_moments(survey, "ltr", ["price", "trust"])
    b = nps.driver_moments(survey, "ltr", ["price", "app_ease"])
    with pytest.raises(nps.InvalidArgumentError, match="same columns"):
        a + b
    with pytest.raises(nps.InvalidArgumentError, match="replicates"):
        nps.drivers(a, replicates=100)
    with pytest.raises(nps.InvalidArgumentError, match="state is not a valid"):
        nps.Cube.from_json('{"scale": 1}')
