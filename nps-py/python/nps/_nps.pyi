# Type stubs of the compiled module `nps._nps` (nps-py/src), written by hand and checked against
# the module by `python -m mypy.stubtest nps._nps` (make test-python).

import sys
from collections.abc import Mapping, Sequence
from typing import Any, Final, Union, final

import numpy as np
import numpy.typing as npt

if sys.version_info >= (3, 10):
    from typing import TypeAlias
else:
    from typing_extensions import TypeAlias

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

# Scores: a list (None = missing), a numpy array of any integer or float dtype (NaN = missing)
# or a pandas Series (NA = missing). Weights: numbers, one per score.
_Scores: TypeAlias = Union[npt.ArrayLike, Sequence[Union[float, None]]]
_Weights: TypeAlias = Union[npt.ArrayLike, Sequence[float]]

__all__ = [
    "Scale",
    "Table",
    "Journey",
    "Tally",
    "Estimate",
    "Comparison",
    "score",
    "compare",
    "sample_size",
    "margin_of_error",
    "group_by_columns",
    "attribute_columns",
    "trend_columns",
    "study_trigger_dict",
    "benchmark_columns",
    "journey_columns",
    "drivers_of_columns",
    "drivers_of_table",
    "priorities_of_table",
    "journey_priorities_of_table",
    "NpsError",
    "InvalidScoreError",
    "InvalidWeightError",
    "LengthMismatchError",
    "EmptyError",
    "InvalidLevelError",
    "UnknownMethodError",
    "InvalidArgumentError",
    "ScaleError",
    "InvalidDateError",
    "UnknownNameError",
    "JourneyError",
    "DriverError",
    "METHODS",
    "DEFAULT_PRIOR",
    "DEFAULT_REPLICATES",
    "DEFAULT_SEED",
    "__version__",
]

METHODS: Final[tuple[str, ...]]
DEFAULT_PRIOR: Final[float]
DEFAULT_REPLICATES: Final[int]
DEFAULT_SEED: Final[int]
__version__: Final[str]

class NpsError(ValueError): ...
class InvalidScoreError(NpsError): ...
class InvalidWeightError(NpsError): ...
class LengthMismatchError(NpsError): ...
class EmptyError(NpsError): ...
class InvalidLevelError(NpsError): ...
class UnknownMethodError(NpsError): ...
class InvalidArgumentError(NpsError): ...
class ScaleError(NpsError): ...
class InvalidDateError(NpsError): ...
class UnknownNameError(NpsError): ...
class JourneyError(NpsError): ...
class DriverError(NpsError): ...

@final
class Scale:
    def __new__(
        cls, min: int = 0, max: int = 10, detractor_max: int = 6, promoter_min: int = 9
    ) -> Self: ...
    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int: ...
    @property
    def detractor_max(self) -> int: ...
    @property
    def promoter_min(self) -> int: ...
    def __getnewargs__(self) -> tuple[int, int, int, int]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Estimate:
    @property
    def n(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def n_eff(self) -> float: ...
    @property
    def design_effect(self) -> float: ...
    @property
    def promoters(self) -> float: ...
    @property
    def passives(self) -> float: ...
    @property
    def detractors(self) -> float: ...
    @property
    def nps(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def level(self) -> float: ...
    @property
    def method(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Comparison:
    @property
    def nps_a(self) -> float: ...
    @property
    def nps_b(self) -> float: ...
    @property
    def difference(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def z(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def level(self) -> float: ...
    @property
    def method(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Tally:
    def __new__(
        cls,
        scores: _Scores | None = None,
        weights: _Weights | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self: ...
    @classmethod
    def from_counts(
        cls, counts: Sequence[int] | npt.NDArray[np.integer[Any]], scale: Scale | None = None
    ) -> Self: ...
    def add(self, scores: _Scores, weights: _Weights | None = None) -> None: ...
    def estimate(
        self,
        method: str = "adjusted_wald",
        level: float = 0.95,
        *,
        prior: float = 0.5,
        replicates: int = 10000,
        seed: int = 20240601,
    ) -> Estimate: ...
    @property
    def n(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def counts(self) -> list[int]: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def scale(self) -> Scale: ...
    @property
    def promoters(self) -> float: ...
    @property
    def passives(self) -> float: ...
    @property
    def detractors(self) -> float: ...
    @property
    def nps(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def n_eff(self) -> float: ...
    @property
    def design_effect(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __add__(self, value: Tally, /) -> Tally: ...
    def __radd__(self, value: int, /) -> Tally: ...
    def __iadd__(self, value: Tally, /) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __getstate__(self) -> str: ...
    def __setstate__(self, state: str) -> None: ...

def score(
    scores: _Scores,
    weights: _Weights | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    *,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
    scale: Scale | None = None,
) -> Estimate: ...
def compare(
    a: _Scores | Tally,
    b: _Scores | Tally,
    *,
    weights_a: _Weights | None = None,
    weights_b: _Weights | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    scale: Scale | None = None,
) -> Comparison: ...
def sample_size(
    margin: float,
    level: float = 0.95,
    *,
    promoters: float | None = None,
    detractors: float | None = None,
    population: int | None = None,
) -> int: ...
def margin_of_error(
    n: int,
    level: float = 0.95,
    *,
    promoters: float | None = None,
    detractors: float | None = None,
    population: int | None = None,
) -> float: ...

# Column names: one name or a list of names, as `nps._convert` reads them.
_Names: TypeAlias = Union[str, Sequence[str]]

@final
class Table:
    def __new__(cls) -> Self: ...
    @classmethod
    def from_frame(
        cls,
        df: Any,
        score: str = "ltr",
        weight: str | None = None,
        dimensions: _Names | None = None,
        date: str | None = None,
        drivers: _Names | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self: ...
    @classmethod
    def from_columns(
        cls,
        score: _Scores,
        weight: _Weights | None = None,
        dimensions: Mapping[str, Any] | None = None,
        date: Any | None = None,
        drivers: Mapping[str, _Weights] | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self: ...
    def __len__(self) -> int: ...
    @property
    def dimensions(self) -> list[str]: ...
    @property
    def drivers(self) -> list[str]: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def has_dates(self) -> bool: ...
    @property
    def scale(self) -> Scale: ...
    def levels(self, name: str) -> list[str]: ...
    def tally(self) -> Tally: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    @classmethod
    def _from_state(cls, state: str) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Journey:
    def __new__(cls, spec: Mapping[str, Any] | str) -> Self: ...
    @classmethod
    def from_json(cls, text: str) -> Self: ...
    def to_json(self) -> str: ...
    @property
    def nodes(self) -> list[dict[str, Any]]: ...
    @property
    def touchpoints(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

def group_by_columns(
    table: Table,
    keys: Sequence[str],
    *,
    period: str | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    margins: bool = False,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def attribute_columns(
    table: Table,
    dimensions: Sequence[str],
    *,
    start: str,
    end: str,
    column: str | None = None,
    unit: str | None = None,
    level: float = 0.95,
) -> dict[str, Any]: ...
def trend_columns(
    table: Table,
    keys: Sequence[str],
    *,
    unit: str = "month",
    window: int = 1,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def study_trigger_dict(
    transactional: Table,
    relationship: Table,
    by: Sequence[str],
    *,
    unit: str = "quarter",
    window: int = 1,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def benchmark_columns(
    table: Table,
    brand: str,
    own: str,
    by: Sequence[str],
    *,
    period: str | None = None,
    unit: str | None = None,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def journey_columns(
    table: Table,
    journey: Journey,
    touchpoint: str = "touchpoint",
    *,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def drivers_of_columns(
    target: npt.NDArray[np.float64],
    drivers: Sequence[tuple[str, npt.NDArray[np.float64]]],
    weights: npt.NDArray[np.float64] | None = None,
    *,
    method: str = "shapley",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    level: float = 0.95,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def drivers_of_table(
    table: Table,
    keys: Sequence[str],
    *,
    drivers: Sequence[str] | None = None,
    method: str = "shapley",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
) -> dict[str, Any]: ...
def priorities_of_table(
    table: Table,
    *,
    drivers: Sequence[str] | None = None,
    method: str = "johnson",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
    focus: tuple[str, str] | None = None,
    target: float | None = None,
    targets: Sequence[tuple[str, float]] | None = None,
    group: tuple[str, str] | None = None,
    top_box: float | None = None,
    importance_cut: str | float | None = None,
    performance_cut: str | float | None = None,
    rate: float = 0.05,
) -> dict[str, Any]: ...
def journey_priorities_of_table(
    table: Table,
    journey: Journey,
    *,
    drivers: Sequence[str] | None = None,
    method: str = "johnson",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
    focus: tuple[str, str] | None = None,
    target: float | None = None,
    targets: Sequence[tuple[str, float]] | None = None,
    group: tuple[str, str] | None = None,
    top_box: float | None = None,
    importance_cut: str | float | None = None,
    performance_cut: str | float | None = None,
    rate: float = 0.05,
) -> dict[str, Any]: ...
