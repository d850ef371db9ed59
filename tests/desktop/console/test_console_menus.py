"""The console's conveniences: menus, row context menu, export and print, sound, font, theme, layout."""

from __future__ import annotations

import csv

import pytest

from domain.model import Action, Urgency
from tests.desktop.console.test_console import report, rows, select, wake


def test_menus_export_print_and_context_menu(qtbot, city, hub, open_console, tmp_path):
    console = open_console(hub.url, city.token("operator", city.street))
    case = report(city, urgency=Urgency.URGENT)
    wake(hub)
    select(qtbot, console, case.id)
    menus = console.menus
    titles = [a.text() for a in console.window.menuBar().actions()]
    assert len(titles) == 5 and titles[-1] == "&Help"  # 帮助 → 关于 (desktop/about.py)
    from desktop.console.menus import export_list, list_html

    path = export_list(console.window.table.model, tmp_path / "list.csv")
    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][0] == "ID" and lines[1][0] == case.id and len(lines) == len(rows(console)) + 1
    assert case.id in list_html(console.window.table.model, "t")

    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "list.pdf"))
    from desktop.console.menus import print_list

    print_list(console.window.table.model, menus.list_title(), printer)
    assert (tmp_path / "list.pdf").stat().st_size > 0

    menu = menus.context_menu_for(0)  # right-click on the row: its case's actions
    texts = {a.objectName(): a for a in menu.actions()}
    assert texts["case_accept"].isEnabled() and not texts["case_verify"].isEnabled()
    assert any(case.id in a.text() for a in menu.actions())
    texts["case_accept"].trigger()
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    assert console.controller.dialog.action is Action.ACCEPT
    console.controller.dialog.reject()


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|propagateSizeHints)\(\)")  # a floating dock
def test_preferences_persist_per_user(qtbot, city, hub, open_console):
    first = open_console(hub.url, city.token("operator", city.street), name="first")
    menus = first.menus
    menus.set_muted(True)
    menus.set_volume(0.5)
    menus.set_font_pt(13)
    first.window.detail_dock.setFloating(True)  # pulled out to another monitor
    qtbot.waitUntil(lambda: first.window.detail_dock.isFloating())
    first.close()
    second = open_console(hub.url, city.token("operator", city.street), name="second")
    assert second.window.sound.muted and second.window.sound.volume == 0.5
    assert second.menus.font_pt() == 13 and second.menus.actions["mute"].isChecked()
    assert second.window.detail_dock.isFloating()
    second.menus.reset_layout()
    assert not second.window.detail_dock.isFloating()
    second.menus.set_font_pt(10)
