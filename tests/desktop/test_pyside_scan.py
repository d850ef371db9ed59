"""desktop.pyside_scan: shiboken's "does this module mention PySide6" check, without linecache."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.pyside_scan import mentions_pyside

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_answer_as_shibokens_check_for_every_loaded_module():
    import desktop.app  # noqa: F401  # Qt, widgets, the client: a few hundred modules of every kind

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or original is mentions_pyside:
        pytest.skip("this PySide6 has no shibokensupport.feature._mod_uses_pyside to compare with")
    modules = [m for m in list(sys.modules.values()) if m is not None]
    answers = [(m.__name__, mentions_pyside(m), original(m)) for m in modules]
    assert [a for a in answers if a[1] != a[2]] == []
    assert any(mine for _, mine, _ in answers)  # both kinds of answer were compared
    assert any(not mine for _, mine, _ in answers)


def test_modules_imported_after_pyside_are_not_kept_in_linecache(tmp_path):
    (tmp_path / "plain_module.py").write_text("VALUE = 1\n")
    (tmp_path / "qt_module.py").write_text("from PySide6.QtCore import QObject\n")
    script = textwrap.dedent(f"""
        import linecache, sys
        sys.path[:0] = [{str(ROOT)!r}, {str(tmp_path)!r}]
        from desktop.pyside_scan import install
        installed = install()
        import PySide6.QtCore
        import plain_module, qt_module
        feature = sys.modules["shibokensupport.feature"]
        print(installed, any("plain_module" in f for f in linecache.cache),
              feature.pyside_feature_dict.get("plain_module"), feature.pyside_feature_dict.get("qt_module"))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    installed, cached, plain, qt = out.stdout.split()
    if installed != "True":
        pytest.skip("this PySide6 has no source check to replace")
    assert cached == "False"
    assert (plain, qt) == ("-1", "0")  # as shiboken decides: only the module that uses PySide6 may switch
