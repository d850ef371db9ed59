"""The allocator setting of a process that draws photos: large blocks mapped, also after one was freed."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc setting")

#: In a fresh interpreter: free one 8 MB block (glibc then raises its mmap threshold to 8 MB),
#: then hold a 2 MB block and print how many bytes glibc has mapped meanwhile.
PROBE = textwrap.dedent("""
    import ctypes, sys
    from backend.evidence.allocator import map_large_blocks

    class Info(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in
                    "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Info
    if sys.argv[1] == "set":
        assert map_large_blocks()
    big = bytearray(8 << 20)
    del big
    before = libc.mallinfo2().hblkhd
    block = bytearray(2 << 20)
    print(libc.mallinfo2().hblkhd - before)
""")


def mapped_for_2mb(setting: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, setting], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    return int(out.stdout.strip())


def test_without_the_setting_a_freed_large_block_sends_the_next_ones_to_the_heap():
    assert mapped_for_2mb("default") == 0


def test_with_it_large_blocks_are_mapped_even_after_one_was_freed():
    assert mapped_for_2mb("set") >= 2 << 20
