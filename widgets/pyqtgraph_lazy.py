"""pyqtgraph without every Qt class: its Qt mirror modules read a name from PySide6 when asked.

``pyqtgraph.Qt`` keeps mirrors of PySide6's QtCore, QtGui and QtWidgets and, on import, fills
them by reading every name PySide6 offers (``_copy_attrs``). PySide6 builds a Qt class's Python
type, with its enums, when the name is first read, so that loop builds all ~700 of them: ~8 MB
of resident memory for classes GridCC never touches (bench/results/2026-12-05-round11.md).

:func:`install`, called before pyqtgraph is imported, puts mirrors in its place that read a
name from PySide6 the first time someone asks for it, and keeps pyqtgraph's copying loop from
seeing PySide6's names while it imports. Every name gives the same object as before
(tests/widgets/test_pyqtgraph_lazy.py). Imported earlier (a test, a script), pyqtgraph is left as
it is; should a release fill its mirrors another way, the names it copies win over these.
"""

from __future__ import annotations

import builtins
import importlib
import sys
import threading
from types import ModuleType

MIRRORED = ("QtCore", "QtGui", "QtWidgets")
_lock = threading.Lock()


class LazyMirror(ModuleType):
    """A module whose missing names are read from ``source`` (and then kept)."""

    def __init__(self, name: str, source: ModuleType) -> None:
        super().__init__(name, source.__doc__)
        self.__dict__["_source"] = source

    def __getattr__(self, name: str):
        if name in ("__path__", "__file__", "__all__"):  # a plain module, not a package or file
            raise AttributeError(name)
        value = getattr(self.__dict__["_source"], name)
        self.__dict__[name] = value
        return value


def install() -> bool:
    """Import pyqtgraph with lazy Qt mirrors; True when they were put in place."""
    with _lock:
        if "pyqtgraph" in sys.modules:
            return False
        sources = {name: importlib.import_module(f"PySide6.{name}") for name in MIRRORED}
        hidden = {id(module) for module in sources.values()}
        for name, source in sources.items():
            sys.modules[f"pyqtgraph.Qt.{name}"] = LazyMirror(f"pyqtgraph.Qt.{name}", source)
        real_dir = builtins.dir

        def quiet_dir(*args):
            if not args:  # dir(): the caller's names, as the builtin gives them
                return sorted(sys._getframe(1).f_locals)
            return [] if id(args[0]) in hidden else real_dir(*args)

        builtins.dir = quiet_dir
        try:
            import pyqtgraph  # noqa: F401
        except BaseException:
            for name in MIRRORED:
                sys.modules.pop(f"pyqtgraph.Qt.{name}", None)
            raise
        finally:
            builtins.dir = real_dir
        return True
