"""A small real city behind a real hub, and consoles opened against it."""

from __future__ import annotations

import gc

import pytest

from backend.city import generate_city
from backend.embedded import HubThread
from backend.store import Store
from domain.hierarchy import Level
from domain.rules import default_rules


class City:
    def __init__(self, tmp_path, seed: int = 11) -> None:
        self.db = f"sqlite:///{tmp_path / 'hub.db'}"
        self.store = Store.open(self.db, require_current=False)
        self.store.migrate()
        self.data = generate_city(seed=seed, scale=0.02)
        self.store.import_city(self.data)
        self.rules = default_rules()
        self.store.import_departments(self.rules.catalog.departments.values())
        streets = sorted(n.code for n in self.data.nodes if n.level == Level.STREET)
        self.street = streets[0]
        self.other_street = next(s for s in streets if s[:6] != self.street[:6])
        self.district = self.street[:6]
        self.grids = sorted(n.code for n in self.data.nodes if n.level == Level.GRID and n.code.startswith(self.street))
        self.communities = sorted(n.code for n in self.data.nodes
                                  if n.level == Level.COMMUNITY and n.code.startswith(self.street))

    def token(self, role: str, scope: str, department=None) -> str:
        return self.store.add_user(f"{role}-{scope}", role, scope, department)[1]


@pytest.fixture(autouse=True)
def app_look(qapp):
    """A console's preferences (text size, theme) change the whole application: put them back,
    so a later test measures widgets at the font it was written for."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield
    settle(qapp)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


def settle(qapp) -> None:
    """Delete what tests closed and collect Python's garbage *before* restyling the application.

    Restyling re-polishes every widget; a garbage collection that happens to run inside that
    walk can destroy a widget the walk is holding, and the process dies (seen once in CI, in
    the wall's fixture). Collecting first leaves nothing for such a collection to find.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def user_settings(tmp_path_factory):
    """Each test's consoles keep their per-user settings (QSettings) in a folder of their own."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def city(tmp_path):
    c = City(tmp_path)
    yield c
    c.store.close()


@pytest.fixture
def hub(city):
    with HubThread(city.store, rules=city.rules, heartbeat_interval=2.0) as running:
        yield running


@pytest.fixture
def open_console(qtbot, tmp_path):
    from desktop.app import Console

    opened = []

    def _open(url: str, token: str, scope=None, name: str = "console"):
        console = Console(url, token, scope=scope, outbox_path=tmp_path / f"{name}-outbox.db", quiet=True)
        qtbot.addWidget(console.window)
        console.window.resize(1600, 1000)
        console.window.show()
        opened.append(console)
        return console

    yield _open
    for console in opened:
        console.close()
