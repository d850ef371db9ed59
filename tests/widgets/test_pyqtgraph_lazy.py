"""widgets.pyqtgraph_lazy: pyqtgraph's Qt mirrors give what they gave, and read PySide6 only when asked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Every public name PySide6 offers, read through pyqtgraph's mirrors: which ones give another
#: object than PySide6's, which names pyqtgraph added of its own, and how many the mirrors held
#: before that.
CHILD = textwrap.dedent("""
    import json, sys
    if sys.argv[1] == "lazy":
        import widgets  # installs the lazy mirrors
        import widgets.common.charts  # what the console's charts use
    else:
        import pyqtgraph
    import pyqtgraph.Qt as Q
    import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
    out = {}
    for name in ("QtCore", "QtGui", "QtWidgets"):
        mirror, source = getattr(Q, name), getattr(PySide6, name)
        held = len(vars(mirror))
        names = [n for n in dir(source) if not n.startswith("__")]
        differ = sorted(n for n in names if getattr(mirror, n) is not getattr(source, n))
        added = sorted(n for n in vars(mirror) if not n.startswith("_") and not hasattr(source, n))
        out[name] = {"kind": type(mirror).__name__, "held": held, "names": len(names), "differ": differ,
                     "added": added}
    out["version"] = Q.VERSION_INFO
    print(json.dumps(out))
""")


def mirrors(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_lazy_mirrors_give_what_pyqtgraph_copied_and_build_few_classes():
    eager, lazy = mirrors("eager"), mirrors("lazy")
    assert lazy["version"] == eager["version"]
    for name in ("QtCore", "QtGui", "QtWidgets"):
        assert lazy[name]["kind"] == "LazyMirror" and eager[name]["kind"] == "module"
        # the same names, and pyqtgraph's own patches (QFileSystemModel in QtGui, …) the same
        assert lazy[name]["names"] == eager[name]["names"] > 100
        assert lazy[name]["differ"] == eager[name]["differ"]
        assert lazy[name]["added"] == eager[name]["added"]  # e.g. QtGui.QFileSystemModel
        # eagerly every name was copied in; lazily only those the charts and pyqtgraph asked for
        assert eager[name]["held"] >= eager[name]["names"]
        assert lazy[name]["held"] < eager[name]["names"] // 4
    assert "QFileSystemModel" in lazy["QtGui"]["added"]


def test_a_pyqtgraph_imported_first_is_left_as_it_is():
    import pyqtgraph  # noqa: F401  # the test session has it already (or now)

    from widgets.pyqtgraph_lazy import install

    assert install() is False
