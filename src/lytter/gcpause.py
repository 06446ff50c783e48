"""Pausing Python's cyclic garbage collector around bulk work that makes no reference cycles.

An import or a batch of matching makes millions of short-lived lists, tuples and sets. Each
one counts towards the collector's next pass, and a full pass walks every live container in
the process (the matcher's vocabulary, the posts in hand): ~15% of an import's time and a
third of a cold matching run's. Those objects are freed by reference counting alone, so the
collector has nothing to find there; it runs again as usual once the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (it is left off if it was off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
