"""desktop.malloc: the desktop process keeps to one malloc arena, whatever its threads do."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Four threads allocate and free blocks malloc serves from an arena (below its mmap
#: threshold); then glibc's own account (malloc_info) says how many arenas ("heaps") there are.
CHILD = textwrap.dedent("""
    import ctypes, re, sys, tempfile, threading
    from desktop.malloc import use_one_arena
    done = use_one_arena() if sys.argv[1] == "limit" else None
    def work():
        for _ in range(50):
            blocks = [bytearray(60_000) for _ in range(20)]
            del blocks
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        fp = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, fp)
        libc.fclose(fp)
        heaps = len(re.findall(r"<heap nr=", open(out.name).read()))
    print(done, heaps)
""")


def arenas(mode: str, **env: str) -> tuple[str, int]:
    environ = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env
    out = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, env=environ, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    return out[0], int(out[1])


def glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (ValueError, OSError, AttributeError):
        return False


pytestmark = pytest.mark.skipif(not glibc(), reason="malloc arenas are glibc's")


def test_threads_share_one_arena_once_limited():
    assert arenas("limit") == ("True", 1)


def test_without_the_limit_threads_take_arenas_of_their_own():
    done, heaps = arenas("plain")
    assert done == "None" and heaps > 1  # what the limit is for (and proof the count can tell)


def test_an_arena_limit_from_the_environment_rules():
    done, heaps = arenas("limit", MALLOC_ARENA_MAX="3")
    assert done == "False" and 1 < heaps <= 3


def test_gridcc_sets_it_for_every_mode(monkeypatch, capsys):
    import desktop.cli as cli

    calls = []
    monkeypatch.setattr(cli, "use_one_arena", lambda: calls.append("arena"))
    assert cli.main([]) == 0  # no mode: the help, and the arena limit already set
    assert calls == ["arena"] and "gridcc" in capsys.readouterr().out
