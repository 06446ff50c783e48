"""Types of the compiled `spellings` module (spellings.pyx)."""

import numpy as np
import numpy.typing as npt

class Spellings:
    """The distinct token spellings met so far, numbered 0, 1, 2... in the order first met."""

    def __len__(self) -> int: ...
    def scan(
        self, texts: list[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]: ...
