"""Types of the compiled `positions` module (positions.pyx)."""

import numpy as np
import numpy.typing as npt

def leaf_positions(
    words: npt.NDArray[np.int64],
    stems: npt.NDArray[np.int64],
    where: npt.NDArray[np.int64],
    start: npt.NDArray[np.int64],
    count: npt.NDArray[np.int64],
    leaves: npt.NDArray[np.int64],
    n_leaves: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
