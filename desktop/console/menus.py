"""The console's conveniences: menu bar, row context menu, list export and print, sound,
font size, theme, and the panel layout — all remembered per user (QSettings).

Kept out of window.py (layout only) and controller.py (data and commands): this module
only adds menus and applies the operator's preferences.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from desktop.csv_export import write_csv
from widgets.common.formatting import arg
from widgets.common.names import action_label
from widgets.common.theme import THEMES, apply_theme

MIN_FONT_PT, MAX_FONT_PT, DEFAULT_FONT_PT = 8, 20, 10
VOLUMES = (0.25, 0.5, 0.75, 1.0)


def settings() -> QSettings:
    """Per-user settings of the console (the platform's user scope)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "GridCC", "console")


def list_rows(model) -> tuple[list[str], list[list[str]]]:
    """The queue table as shown: header texts and the display text of every row."""
    columns = model.columnCount()
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(columns)]
    rows = [[model.data(model.index(r, c)) or "" for c in range(columns)] for r in range(model.rowCount())]
    return header, rows


def export_list(model, path: Path | str) -> Path:
    header, rows = list_rows(model)
    return write_csv(path, header, rows)


def list_html(model, title: str) -> str:
    header, rows = list_rows(model)
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (f"<h3>{html.escape(title)}</h3><table border='1' cellspacing='0' cellpadding='3'>"
            f"<tr>{head}</tr>{body}</table>")


def print_list(model, title: str, printer) -> None:
    document = QTextDocument()
    document.setHtml(list_html(model, title))
    document.print_(printer)


class ConsoleMenus(QObject):
    """Installs the menu bar and the row context menu on a console; applies saved preferences."""

    def __init__(self, window, controller, store: QSettings | None = None) -> None:
        super().__init__(window)
        self.window, self.controller = window, controller
        self.settings = store if store is not None else settings()
        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self._install_context_menu()
        self.restore()

    # ---- menus --------------------------------------------------------------------------------
    def _add(self, menu: QMenu, key: str, text: str, slot, shortcut: str | None = None,
             checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"menu_{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions[key] = action
        return action

    def _build_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))  # 文件(&F)
        self._add(file_menu, "export", self.tr("Export list as CSV…"), self.export_dialog, "Ctrl+E")  # 导出列表为CSV…
        self._add(file_menu, "print", self.tr("Print list…"), self.print_dialog, "Ctrl+P")  # 打印列表…
        file_menu.addSeparator()
        self._add(file_menu, "quit", self.tr("Quit"), w.close, "Ctrl+Q")  # 退出

        case_menu = bar.addMenu(self.tr("&Case"))  # 事件(&C)
        self.case_menu = case_menu
        case_menu.aboutToShow.connect(lambda: self._fill_case_menu(case_menu))

        view = bar.addMenu(self.tr("&View"))  # 视图(&V)
        self._add(view, "font_up", self.tr("Larger text"), lambda: self.set_font_pt(self.font_pt() + 1), "Ctrl++")
        self._add(view, "font_down", self.tr("Smaller text"), lambda: self.set_font_pt(self.font_pt() - 1), "Ctrl+-")
        self._add(view, "font_reset", self.tr("Normal text size"), lambda: self.set_font_pt(DEFAULT_FONT_PT), "Ctrl+0")
        view.addSeparator()
        themes = QActionGroup(self)
        for name, label in (("light", self.tr("Light theme")), ("dark", self.tr("Dark theme"))):  # 浅色主题 深色主题
            action = self._add(view, f"theme_{name}", label, lambda _c=False, n=name: self.set_theme(n),
                               checkable=True)
            themes.addAction(action)
        view.addSeparator()
        for dock in (w.tree_dock, w.alarm_dock, w.detail_dock):
            toggle = dock.toggleViewAction()
            view.addAction(toggle)
        self._add(view, "reset_layout", self.tr("Reset panel layout"), self.reset_layout)  # 恢复默认面板布局

        alerts = bar.addMenu(self.tr("&Alerts"))  # 告警(&A)
        self._add(alerts, "mute", self.tr("Mute alert sound"), self.set_muted, "Ctrl+M", checkable=True)  # 告警静音
        volume = alerts.addMenu(self.tr("Volume"))  # 音量
        group = QActionGroup(self)
        for level in VOLUMES:
            action = self._add(volume, f"volume_{int(level * 100)}", f"{int(level * 100)}%",
                               lambda _c=False, v=level: self.set_volume(v), checkable=True)
            group.addAction(action)

    def _fill_case_menu(self, menu: QMenu) -> None:
        menu.clear()
        case = self.controller.selected_case() or self.window.detail.case()
        self._case_actions(menu, case)

    def _case_actions(self, menu: QMenu, case) -> None:
        if case is None:
            none = menu.addAction(self.tr("No case selected"))  # 未选择事件
            none.setEnabled(False)
            return
        title = menu.addAction(arg(self.tr("Case %1"), case.id))  # 事件 %1
        title.setEnabled(False)
        offered = set(self.controller.offered(case, self.controller.client.server_now()))
        for action in self.window.detail.buttons:
            item = menu.addAction(action_label(action))
            item.setObjectName(f"case_{action.value}")
            item.setEnabled(action in offered)
            item.triggered.connect(lambda _c=False, a=action: self.controller.request_action(a))
        menu.addSeparator()
        copy = menu.addAction(self.tr("Copy case number"))  # 复制事件编号
        copy.triggered.connect(lambda: QApplication.clipboard().setText(case.id))

    def _install_context_menu(self) -> None:
        view = self.window.table.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)

    def context_menu_for(self, row: int) -> QMenu:
        """The right-click menu of a row: that case's actions (the row is selected first)."""
        case_id = self.window.table.model.case_id_at(row)
        if case_id is not None:
            self.window.table.select_case(case_id)
            self.controller.show_case(case_id)
        menu = QMenu(self.window)
        self._case_actions(menu, self.controller.client.replica.get(case_id) if case_id else None)
        return menu

    def _context_menu(self, pos) -> None:
        view = self.window.table.view
        index = view.indexAt(pos)
        if not index.isValid():
            return
        menu = self.context_menu_for(index.row())
        menu.popup(view.viewport().mapToGlobal(pos))

    # ---- list export and print --------------------------------------------------------------------
    def list_title(self) -> str:
        tabs = self.window.tabs
        return f"{self.window.windowTitle()} · {tabs.tabText(tabs.currentIndex())}"

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export list"), "cases.csv",  # 导出列表
                                              self.tr("CSV files (*.csv)"))  # CSV文件 (*.csv)
        if path:
            export_list(self.window.table.model, path)
            self.window.statusBar().showMessage(arg(self.tr("Saved %1"), path), 8000)  # 已保存 %1

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self.window)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_list(self.window.table.model, self.list_title(), printer)

    # ---- preferences ----------------------------------------------------------------------------------
    def font_pt(self) -> int:
        return int(str(self.settings.value("font_pt", DEFAULT_FONT_PT)))

    def set_font_pt(self, pt: int) -> None:
        pt = max(MIN_FONT_PT, min(MAX_FONT_PT, int(pt)))
        self.settings.setValue("font_pt", pt)
        font = QApplication.font()
        font.setPointSize(pt)
        QApplication.setFont(font)

    def set_theme(self, name: str) -> None:
        if name not in THEMES:
            return
        self.settings.setValue("theme", name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.actions[f"theme_{name}"].setChecked(True)

    def set_muted(self, muted: bool) -> None:
        self.settings.setValue("muted", bool(muted))
        self.window.sound.muted = bool(muted)
        self.actions["mute"].setChecked(bool(muted))

    def set_volume(self, volume: float) -> None:
        self.settings.setValue("volume", float(volume))
        self.window.sound.set_volume(float(volume))
        key = f"volume_{int(round(float(volume) * 100))}"
        if key in self.actions:
            self.actions[key].setChecked(True)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.window.saveGeometry())
        self.settings.setValue("window/state", self.window.saveState())
        sizes = self.window.queue_map_sizes()
        if sizes is None:
            self.settings.remove("window/queue_map")  # not chosen: the next console fits its screen
        else:
            self.settings.setValue("window/queue_map", sizes)

    def reset_layout(self) -> None:
        w = self.window
        for dock in (w.tree_dock, w.alarm_dock, w.detail_dock):
            dock.setFloating(False)
            dock.show()
        w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, w.tree_dock)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.detail_dock)
        w.splitDockWidget(w.tree_dock, w.alarm_dock, Qt.Orientation.Vertical)
        w._fit_docks()
        self.settings.remove("window/state")
        self.settings.remove("window/queue_map")
        w.reset_queue_map()

    def restore(self) -> None:
        s = self.settings
        value = s.value("theme")
        if value in THEMES:
            self.set_theme(value)
        else:
            self.actions["theme_light"].setChecked(True)
        if s.contains("font_pt"):
            self.set_font_pt(self.font_pt())
        self.set_muted(str(s.value("muted", "false")).lower() in ("true", "1"))
        self.set_volume(float(str(s.value("volume", 1.0))))
        state = s.value("window/state")
        if state is not None:
            self.window.restoreState(state)
        sizes = s.value("window/queue_map")
        if sizes is not None:
            self.window.restore_queue_map(sizes)
