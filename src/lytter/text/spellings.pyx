# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Reading a batch of texts as token spellings, in C: what the matcher does to every post.

`Spellings.scan(texts)` finds the tokens of each text exactly as `tokenise` does (the same
URLs, #hashtags, @mentions, words with inner apostrophes and emoji, in the same order; see
`_TOKEN` in tokenise.py) and gives each distinct spelling, as written, an id it keeps: a
spelling seen before costs a hash and a probe of a table in C, no Python object. Only the new
spellings come back as `str`, for the caller to fold and look up once.

Texts are read in Unicode's composed form (`fold.nfc`), as the tokeniser reads them.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memset

import numpy as np

from lytter.text.fold import nfc


cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4) nogil
    bint PyUnicode_IS_ASCII(object)
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    uint32_t PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    object PyUnicode_Substring(object, Py_ssize_t, Py_ssize_t)


# -- the tokeniser's rules, character by character (re's `\w` is str.isalnum() or `_`) --------

cdef inline bint is_word(uint32_t c) noexcept nogil:
    if c < 128:
        return (97 <= c <= 122) or (65 <= c <= 90) or (48 <= c <= 57) or c == 95
    return Py_UNICODE_ISALNUM(c)


cdef inline bint url_stop(uint32_t c) noexcept nogil:
    """What a URL's `[^\\s<>"]+` stops at."""
    return c == 60 or c == 62 or c == 34 or Py_UNICODE_ISSPACE(c)


cdef inline bint url_end_stop(uint32_t c) noexcept nogil:
    """What a URL's last character `[^\\s<>".,;:!?)\\]]` may not be, beyond `url_stop`."""
    return c == 46 or c == 44 or c == 59 or c == 58 or c == 33 or c == 63 or c == 41 or c == 93


cdef inline bint letter_is(uint32_t c, uint32_t lower) noexcept nogil:
    """`c` matches the ASCII letter `lower` as re's IGNORECASE does (`s` also matches `ſ`)."""
    return c == lower or c == lower - 32 or (lower == 115 and c == 0x17F)


cdef Py_ssize_t url_prefix(int kind, void* data, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The length of `(?i:https?://|www\\.)` at i, or 0."""
    cdef Py_ssize_t k
    if letter_is(PyUnicode_READ(kind, data, i), 119):
        if (
            n - i >= 4
            and letter_is(PyUnicode_READ(kind, data, i + 1), 119)
            and letter_is(PyUnicode_READ(kind, data, i + 2), 119)
            and PyUnicode_READ(kind, data, i + 3) == 46
        ):
            return 4
        return 0
    if (
        n - i < 7
        or not letter_is(PyUnicode_READ(kind, data, i), 104)
        or not letter_is(PyUnicode_READ(kind, data, i + 1), 116)
        or not letter_is(PyUnicode_READ(kind, data, i + 2), 116)
        or not letter_is(PyUnicode_READ(kind, data, i + 3), 112)
    ):
        return 0
    k = i + 4
    if letter_is(PyUnicode_READ(kind, data, k), 115):
        k += 1
    if (
        n - k >= 3
        and PyUnicode_READ(kind, data, k) == 58
        and PyUnicode_READ(kind, data, k + 1) == 47
        and PyUnicode_READ(kind, data, k + 2) == 47
    ):
        return k + 3 - i
    return 0


cdef Py_ssize_t token_end(int kind, void* data, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Where the token starting at i ends, or -1 when none starts there.

    The alternatives are tried in the tokeniser's order: URL, #hashtag, @mention, word, emoji.
    """
    cdef uint32_t c = PyUnicode_READ(kind, data, i)
    cdef Py_ssize_t j, end
    if c == 104 or c == 72 or c == 119 or c == 87:  # h H w W
        j = url_prefix(kind, data, i, n)
        if j:
            j += i
            end = j
            while end < n and not url_stop(PyUnicode_READ(kind, data, end)):
                end += 1
            # Backtrack as the regex does: at least one character, then one that may end it.
            while end - 1 > j and url_end_stop(PyUnicode_READ(kind, data, end - 1)):
                end -= 1
            if end - 1 > j:
                return end
    if (c == 35 or c == 64) and i + 1 < n and is_word(PyUnicode_READ(kind, data, i + 1)):
        j = i + 2
        while j < n and is_word(PyUnicode_READ(kind, data, j)):
            j += 1
        return j
    if is_word(c):
        j = i + 1
        while True:
            while j < n and is_word(PyUnicode_READ(kind, data, j)):
                j += 1
            if j + 1 < n:
                c = PyUnicode_READ(kind, data, j)
                if (c == 39 or c == 0x2019) and is_word(PyUnicode_READ(kind, data, j + 1)):
                    j += 2
                    continue
            return j
    if 0x1F000 <= c <= 0x1FAFF or 0x2600 <= c <= 0x27BF:
        return i + 1
    return -1


# -- the table of spellings ---------------------------------------------------------------

cdef struct Slot:  # what a probe compares, in one place: a probe touches one cache line
    uint64_t hash
    int64_t start  # the spelling's characters: chars[start : start + length]
    int32_t length
    int32_t id  # -1: empty

cdef class Spellings:
    """The distinct token spellings met so far, numbered 0, 1, 2... in the order first met."""

    cdef Slot* slots
    cdef size_t mask
    cdef size_t count
    cdef uint32_t* chars
    cdef size_t chars_used, chars_capacity

    def __cinit__(self) -> None:
        self.mask = (1 << 16) - 1
        self.slots = <Slot*>malloc((self.mask + 1) * sizeof(Slot))
        self.chars_capacity = 1 << 18
        self.chars = <uint32_t*>malloc(self.chars_capacity * sizeof(uint32_t))
        if not (self.slots and self.chars):
            raise MemoryError()
        memset(self.slots, 0xFF, (self.mask + 1) * sizeof(Slot))
        self.count = 0
        self.chars_used = 0

    def __dealloc__(self) -> None:
        free(self.slots)
        free(self.chars)

    def __len__(self) -> int:
        return self.count

    cdef int grow_slots(self) except -1:
        cdef size_t size = 2 * (self.mask + 1), s, k
        cdef Slot* slots = <Slot*>malloc(size * sizeof(Slot))
        if not slots:
            raise MemoryError()
        memset(slots, 0xFF, size * sizeof(Slot))
        for s in range(self.mask + 1):
            if self.slots[s].id >= 0:
                k = self.slots[s].hash & (size - 1)
                while slots[k].id >= 0:
                    k = (k + 1) & (size - 1)
                slots[k] = self.slots[s]
        free(self.slots)
        self.slots = slots
        self.mask = size - 1
        return 0

    cdef int store(self, int kind, void* data, Py_ssize_t i, Py_ssize_t length) except -1:
        """Keep the characters of a new spelling at the end of `chars`."""
        cdef Py_ssize_t m
        cdef void* grown
        if self.chars_used + length > self.chars_capacity:
            while self.chars_used + length > self.chars_capacity:
                self.chars_capacity *= 2
            grown = realloc(self.chars, self.chars_capacity * sizeof(uint32_t))
            if not grown:
                raise MemoryError()
            self.chars = <uint32_t*>grown
        for m in range(length):
            self.chars[self.chars_used + m] = PyUnicode_READ(kind, data, i + m)
        self.chars_used += length
        return 0

    cdef int64_t find(self, int kind, void* data, Py_ssize_t i, Py_ssize_t end, bint* new) except -1:
        """The id of the spelling text[i:end], adding it if it is new."""
        cdef uint64_t h = 14695981039346656037ULL  # FNV-1a over the code points
        cdef Py_ssize_t m, length = end - i
        for m in range(i, end):
            h = (h ^ PyUnicode_READ(kind, data, m)) * 1099511628211ULL
        h ^= h >> 32
        cdef size_t k = h & self.mask
        cdef int64_t found
        cdef uint32_t* chars
        while True:
            found = self.slots[k].id
            if found < 0:
                break
            if self.slots[k].hash == h and self.slots[k].length == length:
                chars = self.chars + self.slots[k].start
                m = 0
                while m < length and chars[m] == PyUnicode_READ(kind, data, i + m):
                    m += 1
                if m == length:
                    new[0] = False
                    return found
            k = (k + 1) & self.mask
        self.slots[k].hash = h
        self.slots[k].start = self.chars_used
        self.slots[k].length = length
        self.slots[k].id = found = self.count
        self.store(kind, data, i, length)
        self.count += 1
        if 2 * self.count > self.mask:
            self.grow_slots()
        new[0] = True
        return found

    def scan(self, list texts):
        """(the spelling id of every token of `texts`, text after text; the number of tokens in
        each text; the spellings met for the first time, as str, in the order of their ids)."""
        cdef Py_ssize_t total = 0, t, i, end, n, used = 0, before
        cdef int kind
        cdef void* data
        cdef bint new
        cdef str text
        texts = [text if PyUnicode_IS_ASCII(text) else nfc(text) for text in texts]
        for text in texts:
            total += PyUnicode_GET_LENGTH(text)
        ids_out = np.empty(total, dtype=np.int64)  # a token has at least one character
        counts_out = np.empty(len(texts), dtype=np.int64)
        cdef int64_t[::1] ids = ids_out
        cdef int64_t[::1] counts = counts_out
        spellings = []
        for t in range(len(texts)):
            text = texts[t]
            n = PyUnicode_GET_LENGTH(text)
            kind = PyUnicode_KIND(text)
            data = PyUnicode_DATA(text)
            before = used
            i = 0
            while i < n:
                end = token_end(kind, data, i, n)
                if end < 0:
                    i += 1
                    continue
                ids[used] = self.find(kind, data, i, end, &new)
                if new:
                    spellings.append(PyUnicode_Substring(text, i, end))
                used += 1
                i = end
            counts[t] = used - before
        return ids_out[:used], counts_out, spellings
