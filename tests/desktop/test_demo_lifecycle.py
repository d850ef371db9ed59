"""`gridcc demo` cleans up after itself: SIGTERM removes its temporary folder, and a folder
left by a killed demo is removed by the next one."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend.embedded.demo import FOLDER_PREFIX, OWNER_FILE, remove_abandoned_folders

pytestmark = pytest.mark.slow


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)  # polling another process's files; no Qt loop here


def _demo_folders(root: Path) -> list[Path]:
    return sorted(root.glob(FOLDER_PREFIX + "*"))


@pytest.mark.parametrize("phase", ["starting", "running", "caught up"])
def test_sigterm_removes_the_demo_folder(tmp_path: Path, phase: str) -> None:
    """While the city is being built, once the console runs (the demo says it is ready), and once
    the last hours are simulated and in (it says it caught up, and how many cases its window holds)."""
    data = tmp_path / "data"
    env = dict(os.environ, TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(data))
    code = "import sys; from desktop.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "demo", "--scale", "0.03", "--speed", "1"],
                            env=env, cwd=Path(__file__).resolve().parents[2],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(lambda: any((f / "hub.db").exists() for f in _demo_folders(tmp_path)), 120, "the demo's database")
        [folder] = _demo_folders(tmp_path)
        if phase != "starting":
            assert proc.stdout is not None
            seen = []
            marker = "GridCC demo ready:" if phase == "running" else "GridCC demo caught up:"
            while not (line := proc.stdout.readline().decode()).startswith(marker):
                assert line, f"the demo ended before {phase}: " + "".join(seen)[-2000:]
                seen.append(line)  # Qt's offscreen plugin may print warnings first
            if phase == "running":
                assert line.startswith("GridCC demo ready: ws://127.0.0.1:"), line
            else:
                assert any(s.startswith("GridCC demo usable:") for s in seen), seen  # usable first, then caught up
                assert re.fullmatch(r"GridCC demo caught up: \d+ cases \(heap trimmed in [\d.]+ ms\)\n", line), line
        assert int((folder / OWNER_FILE).read_text()) == proc.pid
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = out.decode(errors="replace")
    assert "Traceback" not in text, text[-2000:]
    assert proc.returncode == (2 if phase == "starting" else 0), text[-2000:]  # 2: "stopped while starting"
    assert _demo_folders(tmp_path) == [], "the demo left its folder behind"


def test_a_folder_whose_owner_is_gone_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = tmp_path / (FOLDER_PREFIX + "old")
    abandoned.mkdir()
    (abandoned / OWNER_FILE).write_text(str(dead.pid))
    (abandoned / "hub.db").write_bytes(b"x" * 1000)
    alive = tmp_path / (FOLDER_PREFIX + "running")
    alive.mkdir()
    (alive / OWNER_FILE).write_text(str(os.getppid()))
    foreign = tmp_path / (FOLDER_PREFIX + "unknown")
    foreign.mkdir()
    assert remove_abandoned_folders(str(tmp_path)) == [abandoned]
    assert not abandoned.exists() and alive.exists() and foreign.exists()
