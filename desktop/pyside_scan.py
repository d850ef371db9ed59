"""PySide6 reads the source of every module imported after it; keep it from caching all of it.

shiboken's feature support (``shibokensupport.feature._mod_uses_pyside``) asks of each module
imported after PySide6 whether its source mentions "PySide6" (such a module may switch PySide
features). It asks through ``inspect.getsource``, so ``linecache`` keeps the lines of every
imported module for the life of the process: the demo imports ~800 modules after PySide6, and
that cost ~33 MB of resident memory and about a second of start-up
(bench/results/2026-12-03-round5-mem5.md). ``linecache.clearcache()`` afterwards gives nothing
back: the freed lines lie scattered between the imported modules' objects.

``install`` puts a check in its place that gives the same answer (tests/desktop/test_pyside_scan.py)
from the file's bytes and keeps nothing. Should a PySide6 release no longer have that function,
nothing is replaced.
"""

from __future__ import annotations

import sys
from types import ModuleType

_MARK = b"PySide6"


def mentions_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source file mentions PySide6; False without a ``.py`` source file.

    ``inspect.getsource`` raises for a module without one (built in, extension, bytecode only),
    and shiboken then answers False too.
    """
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return _MARK in source.read()
    except OSError:
        return False


def install() -> bool:
    """Replace shiboken's source check with :func:`mentions_pyside`; True when it was replaced.

    Call before importing the application's modules (it imports shiboken6, ~0.1 s).
    """
    try:
        import shiboken6  # noqa: F401  # loads shibokensupport.feature
    except ImportError:
        return False
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", mentions_pyside)  # noqa: B010  # a module mypy cannot see into
    return True
