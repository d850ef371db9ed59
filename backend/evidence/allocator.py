"""Image-sized buffers from the system and straight back to it, in a process that draws photos.

A synthetic photo (``backend.evidence.synthetic``) passes through several 1280×960 images of
~5 MB that live for milliseconds. glibc's malloc serves a block that large with mmap, but once
such a block is freed it raises its mmap threshold to that size (up to 32 MB): every later
image then comes from the heap, and freed there, between smaller blocks still in use, it stays
in the process. The demo city, photographing its home street, kept ~10 MB that way
(``bench/demo_startup.py``: 275 → 261 MB settled). Setting the threshold turns the raising off:
blocks of 1 MiB and more are mapped and unmapped each time, smaller ones (Python objects, the
console's index arrays) come from the heap as before.
"""

from __future__ import annotations

import ctypes
import platform

#: mallopt's parameter for the mmap threshold (glibc's malloc.h: M_MMAP_THRESHOLD).
M_MMAP_THRESHOLD = -3
#: Blocks of this many bytes and more are always mapped: an image's, not a Python object's.
THRESHOLD = 1 << 20


def map_large_blocks(threshold: int = THRESHOLD) -> bool:
    """Have glibc map every block of ``threshold`` bytes or more (for the whole process, from now
    on). False where the C library is not glibc: the others have no such setting."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, threshold))
