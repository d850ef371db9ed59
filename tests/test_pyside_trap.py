"""PySide6 6.12.0 leaks a reference to True on every Python-side emit and aborts.

Thousands of emits must leave sys.getrefcount(True) where it was.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(object)
    flag = Signal(bool)


def test_many_emits_keep_true_refcount(qtbot):
    emitter = _Emitter()
    seen = []
    emitter.changed.connect(seen.append)
    emitter.flag.connect(seen.append)
    before = sys.getrefcount(True)
    for i in range(5000):
        emitter.changed.emit(i)
        emitter.flag.emit(True)
    seen.clear()
    after = sys.getrefcount(True)
    # A leak of one reference per emit would show as thousands; allow tiny interpreter noise.
    assert abs(after - before) < 50, (before, after)
