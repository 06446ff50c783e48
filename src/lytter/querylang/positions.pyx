# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Where each leaf of the saved queries occurs in a batch: a counting sort in C.

The matcher keeps, per vocabulary entry, the leaves it satisfies as flat arrays (`start`,
`count`, `leaves`: entry e has `leaves[start[e]:start[e] + count[e]]`). A batch's tokens name
one entry each for their word and, where the post's language has a stemmer the queries use,
one for their stem. Two passes over the tokens give every leaf's positions in ascending order,
without a sort: the first counts them, the second writes them where they go.
"""

from libc.stdint cimport int64_t

import numpy as np


def leaf_positions(
    const int64_t[::1] words,
    const int64_t[::1] stems,
    const int64_t[::1] where,
    const int64_t[::1] start,
    const int64_t[::1] count,
    const int64_t[::1] leaves,
    Py_ssize_t n_leaves,
):
    """(positions, bounds): leaf l occurs at `positions[bounds[l]:bounds[l + 1]]`, ascending.

    Token t is at position `where[t]` and has the leaves of entry `words[t]` and, where
    `stems[t] >= 0`, of entry `stems[t]`; every entry named must have `count >= 0`.
    """
    cdef Py_ssize_t n = words.shape[0], t, j, e, total = 0
    bounds_out = np.zeros(n_leaves + 1, dtype=np.int64)
    cdef int64_t[::1] bounds = bounds_out
    for t in range(n):
        e = words[t]
        for j in range(start[e], start[e] + count[e]):
            bounds[leaves[j] + 1] += 1
        e = stems[t]
        if e >= 0:
            for j in range(start[e], start[e] + count[e]):
                bounds[leaves[j] + 1] += 1
    for j in range(n_leaves):
        bounds[j + 1] += bounds[j]
    total = bounds[n_leaves]
    positions_out = np.empty(total, dtype=np.int64)
    cdef int64_t[::1] positions = positions_out
    cursor_out = bounds_out[:n_leaves].copy()
    cdef int64_t[::1] cursor = cursor_out
    for t in range(n):
        e = words[t]
        for j in range(start[e], start[e] + count[e]):
            positions[cursor[leaves[j]]] = where[t]
            cursor[leaves[j]] += 1
        e = stems[t]
        if e >= 0:
            for j in range(start[e], start[e] + count[e]):
                positions[cursor[leaves[j]]] = where[t]
                cursor[leaves[j]] += 1
    return positions_out, bounds_out
