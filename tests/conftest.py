"""Suite-wide settings: Qt offscreen, shared data location."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Hubs started by tests never read this machine's /etc/gridcc/hub.toml (backend.config).
os.environ.setdefault("GRIDCC_HUB_CONFIG", "")
# Demo cities started by tests (and the demos they run as child processes) cache in a scratch
# folder of this run, never in the user's cache (backend.embedded.city_cache).
os.environ.setdefault("GRIDCC_CACHE_DIR", tempfile.mkdtemp(prefix="gridcc-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data in ../shared/data; skips (or fails in CI) when absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("GRIDCC_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"shared data folder {SHARED_DATA} is missing (GRIDCC_REQUIRE_SHARED_DATA=1)")
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def chinese(qapp):
    """The app with desktop.i18n's zh_CN translators installed, removed again afterwards."""
    from PySide6.QtCore import QLocale

    from desktop import i18n

    locale = QLocale()
    translators = i18n.install(qapp, "zh_CN")
    yield qapp
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)
