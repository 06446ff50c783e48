"""Types of the compiled `program` module (program.pyx)."""

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

KINDS: tuple[str, ...]

def leaf_positions(
    words: Ints,
    stems: Ints,
    where: Ints,
    start: Ints,
    count: Ints,
    leaves: Ints,
    n_leaves: int,
) -> tuple[Ints, Ints]: ...

class Program:
    def __init__(
        self,
        op: Ints,
        arg: Ints,
        first: Ints,
        count: Ints,
        kids: Ints,
        roots: Ints,
        query_ids: Ints,
        outside: list[Callable[[Any], npt.NDArray[np.bool_]]],  # called with run's docs
        n_leaves: int,
        depth: int,
    ) -> None: ...
    def run(
        self,
        docs: object,
        positions: Ints,
        bounds: Ints,
        post_of: Ints,
        size: int,
        found: list[list[int]],
        offset: int,
    ) -> None: ...
