"""The PyInstaller bundle, built once per session and smoke-run on a clean environment.

Building takes about two minutes here, so it happens once (session fixture). The bundle is
then started with ``env -i``: no Python, no virtualenv, no PYTHONPATH, an empty HOME, the
offscreen Qt platform. ``GRIDCC_BUNDLE_DIR`` names an already built dist/gridcc to test
instead (after ``make bundle``).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.messages import PROTOCOL_VERSION
from domain.version import APP_VERSION

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    given = os.environ.get("GRIDCC_BUNDLE_DIR")
    if given:
        return Path(given)
    if importlib.util.find_spec("PyInstaller") is None:
        if os.environ.get("GRIDCC_REQUIRE_BUNDLE") == "1":
            pytest.fail("PyInstaller is not installed (pip install -e '.[bundle]'), GRIDCC_REQUIRE_BUNDLE=1")
        pytest.skip("PyInstaller is not installed: pip install -e '.[bundle]' (make test installs it)")
    out = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(out / "dist"),
         "--workpath", str(out / "work"), str(ROOT / "packaging" / "gridcc.spec")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out / "dist" / "gridcc"


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh desktop session gives a program, and nothing of this test run."""
    for sub in ("config", "data", "state", "cache", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "run").chmod(0o700)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_RUNTIME_DIR": str(home / "run")}


def test_bundle_holds_the_desktop_entry_icon_and_migrations(bundle):
    inside = bundle / "_internal"
    assert (bundle / "gridcc").is_file() and os.access(bundle / "gridcc", os.X_OK)
    for name in ("gridcc.desktop", "gridcc.svg", "gridcc.png"):
        assert (inside / "share" / name).is_file(), name
    assert (inside / "resources" / "translations" / "gridcc_zh_CN.qm").is_file()
    assert list((inside / "backend" / "store" / "migrations" / "versions").glob("0001_*.py"))
    assert list((inside / "PySide6" / "Qt" / "plugins" / "platforms").glob("libqxcb*")), "no X11 platform plugin"


def test_bundle_answers_version_without_python(bundle, tmp_path):
    result = subprocess.run([str(bundle / "gridcc"), "--version"], env=clean_env(tmp_path), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"gridcc {APP_VERSION} (protocol {PROTOCOL_VERSION}; speaks {PROTOCOL_VERSION})"


def test_bundle_demo_comes_up_and_stays_up(bundle, tmp_path):
    """`gridcc demo` opens its console (the ready line) and is still running a moment later; SIGTERM ends it
    cleanly. Polls the process and its output: no fixed sleep decides the outcome."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen([str(bundle / "gridcc"), "demo", "--scale", "0.1"], env=clean_env(tmp_path / "home"),
                                stdout=stdout, stderr=stderr)
    try:
        deadline = time.monotonic() + 240
        while "GridCC demo ready" not in out.read_text():
            assert proc.poll() is None, f"the bundle exited with {proc.returncode}: {err.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"no ready line: {err.read_text()[-3000:]}"
            time.sleep(0.2)
        # The window is up; the app must keep running (timers, simulator, feed) rather than crash on first use.
        settle = time.monotonic() + 5
        while time.monotonic() < settle:
            assert proc.poll() is None, f"the bundle died after the ready line: {err.read_text()[-3000:]}"
            time.sleep(0.2)
        assert "Traceback" not in err.read_text(), err.read_text()[-3000:]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, err.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
