"""Widget tests show real top-level windows on the offscreen platform.

The offscreen plugin warns "This plugin does not support propagateSizeHints()" on
every shown top-level window; that one message says nothing about our code, so it is
ignored here while every other Qt warning still fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items):
    for item in items:
        if _HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
