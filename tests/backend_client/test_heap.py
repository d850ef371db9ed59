"""backend_client.heap: the trim gives back the free pages that lie between live blocks."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: ~80 MB of blocks malloc serves from its heap, every 64th kept: the freed ones lie between live
#: blocks, where glibc does not give them back by itself.
SCATTERED = textwrap.dedent("""
    import sys
    from backend_client import heap
    def anon_kib():
        for line in open("/proc/self/status"):
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    blocks = [bytearray(1000) for _ in range(80_000)]
    kept = blocks[::64]
    del blocks
    before = anon_kib()
    done = heap.trim() if sys.argv[1] == "trim" else None
    print(done, before, anon_kib(), len(kept))
""")


def scattered(mode: str) -> tuple[str, int, int]:
    out = subprocess.run([sys.executable, "-c", SCATTERED, mode], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    return out[0], int(out[1]), int(out[2])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_trim_returns_the_free_pages_between_live_blocks():
    done, before, after = scattered("trim")
    assert done == "True" and before - after > 40_000  # KiB: most of the ~78 MB freed
    done, before, after = scattered("none")
    assert done == "None" and before - after < 5_000  # without it they stay resident: what the trim is for
