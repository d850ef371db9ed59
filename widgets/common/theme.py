"""The two style sheets: ``light`` for the operator console, ``dark`` for the wall.

The font family is not in the QSS: naming a missing family makes Qt search aliases
(slow, and it warns), so ``apply_theme`` sets a CJK family only when one is installed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtWidgets import QApplication

from widgets.common.fonts import cjk_family

THEMES_DIR = Path(str(resources.files("resources") / "themes"))
THEMES = ("light", "dark")


def load_theme(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {list(THEMES)}")
    return (THEMES_DIR / f"{name}.qss").read_text(encoding="utf-8")


def apply_theme(app: QApplication, name: str) -> None:
    family = cjk_family()
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    app.setStyleSheet(load_theme(name))
