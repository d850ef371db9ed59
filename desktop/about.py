"""Versions the person at the console sees: the About dialog and a clear protocol-mismatch message.

Both read the hub's welcome (address, release, protocol); the text goes through tr() here so
``backend_client`` stays free of Qt.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from backend_client.probe import VersionMismatch
from domain import protocol as p
from domain.version import APP_VERSION
from widgets.common.about import AboutDialog
from widgets.common.formatting import arg


def about_rows(url: str | None, welcome: p.Welcome | None) -> list[tuple[str, str]]:
    """The About dialog's rows for a console connected to ``url`` (None: not connected)."""
    translate = QCoreApplication.translate
    spoken = ", ".join(str(v) for v in p.SUPPORTED_VERSIONS)
    rows = [
        (translate("About", "Version:"), APP_VERSION),  # 版本：
        (translate("About", "Protocol:"),  # 协议：
         arg(translate("About", "%1 (speaks %2)"), p.PROTOCOL_VERSION, spoken)),  # %1（支持 %2）
        (translate("About", "Qt / PySide6:"), f"{qVersion()} / {PySide6.__version__}"),  # Qt / PySide6：
    ]
    if url is None or welcome is None:
        rows.append((translate("About", "Hub:"), translate("About", "not connected")))  # 平台： 未连接
        return rows
    release = welcome.server_version or translate("About", "unknown (older hub)")  # 未知（旧版平台）
    rows += [
        (translate("About", "Hub:"), url),
        (translate("About", "Hub name:"), welcome.server),  # 平台名称：
        (translate("About", "Hub version:"),  # 平台版本：
         arg(translate("About", "%1, protocol %2"), release, welcome.protocol)),  # %1，协议 %2
    ]
    return rows


def install_help_menu(window: QMainWindow, url: str, welcome) -> QAction:
    """帮助 → 关于 on ``window``'s menu bar; ``welcome`` is the hub's Welcome or a callable giving it."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("About", "&Help"))  # 帮助(&H)
    action = QAction(QCoreApplication.translate("About", "About GridCC…"), window)  # 关于 GridCC…
    action.setObjectName("menu_about")
    menu.addAction(action)

    def show() -> None:
        dialog = AboutDialog(about_rows(url, welcome() if callable(welcome) else welcome), window)
        window._gridcc_about = dialog  # type: ignore[attr-defined]  # kept for tests and so it is not collected
        dialog.open()

    action.triggered.connect(show)
    return action


def problem_text(exc: Exception) -> tuple[str, str] | None:
    """(headline, detail) for a version mismatch, translated; None for any other problem."""
    if not isinstance(exc, VersionMismatch):
        return None
    translate = QCoreApplication.translate
    spoken = ", ".join(str(v) for v in exc.hub_versions) or translate("About", "an unknown version")  # 未知版本
    headline = translate("About", "This console and the hub speak different protocol versions")
    # 本控制台与平台的通信协议版本不一致
    if exc.client_newer:
        template = translate("About", "The hub speaks protocol %1, this console %2. Ask the duty engineer "
                                      "to upgrade the hub.")
        # 平台使用协议 %1，本控制台使用协议 %2。请联系值班工程师升级平台。
    else:
        template = translate("About", "The hub speaks protocol %1, this console %2. Install the console "
                                      "release that matches the hub.")
        # 平台使用协议 %1，本控制台使用协议 %2。请安装与平台匹配的控制台版本。
    return headline, arg(template, spoken, exc.client_version)
