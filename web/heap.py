"""The C heap of a process serving from a store: what glibc keeps after an answer is sent.

A question to a big store works on arrays over every card (8 MB each at a million cards) and
on thousands of rows, then lets them go. glibc would keep much of that memory: after the first
big array is freed it raises its mmap threshold and serves the next ones from the heap, and it
gives each of a server's threads a heap of its own (eight threads, eight heaps each keeping its
largest answer). So a serving process keeps big blocks mapped only while they are used, and
two heaps for all its threads. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

#: mallopt's parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
#: Blocks this big or bigger are mapped on their own and unmapped when freed: an array over a
#: million cards is 8 MB. (glibc's first threshold, 128 kB, would map and unmap every mid-sized
#: row and list too: 10% slower paths at a million cards.)
MMAP_THRESHOLD = 1024 * 1024
#: Heaps shared by a process's threads (the GIL runs one at a time anyway).
ARENAS = 2
#: Free memory at the top of a heap beyond this is given back.
TRIM_THRESHOLD = 4 * 1024 * 1024


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def keep_heap_small() -> None:
    """Set glibc's heap up as the module says, unless the environment sets it (MALLOC_*_)."""
    libc = _libc()
    if libc is None:
        return
    for variable, param, value in (("MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD, MMAP_THRESHOLD),
                                   ("MALLOC_ARENA_MAX", M_ARENA_MAX, ARENAS),
                                   ("MALLOC_TRIM_THRESHOLD_", M_TRIM_THRESHOLD, TRIM_THRESHOLD)):
        if variable not in os.environ:
            libc.mallopt(param, value)


def give_back() -> None:
    """Return the heap's free pages to the system (before forking workers: they would each
    count the parent's free pages as their own)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
