"""Qt translations: Chinese by default, English on request (`--lang en`).

Source strings in the code are English; resources/translations/gridcc_zh_CN.qm
carries the Chinese. English needs no catalogue, but Qt's own strings (dialog
buttons) are translated from Qt's shipped catalogues when present.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


def translations_dir() -> Path:
    return Path(str(resources.files("resources") / "translations"))


def install(app: QCoreApplication, lang: str = DEFAULT_LANGUAGE) -> list[QTranslator]:
    """Install the translators for ``lang`` on ``app``; returns them (keep a reference)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    installed: list[QTranslator] = []
    if lang == "en":
        return installed
    ours = QTranslator(app)
    qm = translations_dir() / f"gridcc_{lang}.qm"
    # Loaded from memory, not by file name: Qt maps a named file, and a running console then
    # crashed (SIGSEGV in the lookup) when the catalogue was rebuilt or upgraded in place.
    try:
        data = qm.read_bytes()
    except OSError:
        data = b""
    if not data or not ours.load(data, str(qm.parent)):
        raise FileNotFoundError(f"translation {qm} is missing; run `make translations`")
    ours._gridcc_data = data  # type: ignore[attr-defined]  # Qt reads it in place: keep it alive with the translator
    app.installTranslator(ours)
    installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
