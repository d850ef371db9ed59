"""Wires the client to the wall: one display timer pulls, rotation steps, alarms hold it still.

As in the console (desktop/console/controller.py): the bridge's ``changes`` only mark the
wall dirty and keep the ticker and the alarm book current; the display timer pulls the
figures of the node on show when something changed (or every ``FULL_REFRESH_SECONDS`` for
time-based ones), half the panels on one tick and the rest on the next, and the charts only
get ``update_*``. The same timer rotates through the root and its children every
``rotate_seconds`` (a clock function is injected, so tests step it).
Alarms do not stop the rotation (a read-only wall cannot acknowledge; consoles do): they
run on the alarm strip, filtered to the area on show, like the latest reports.

Read-only: nothing here sends a command.
"""

from __future__ import annotations

import heapq
import math
import numbers
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from backend_client.client import GridClient
from backend_client.connection import LinkState
from backend_client.qt_bridge import QtBridge
from desktop import figures
from desktop.wall.figures import MIN_CASES, AlarmBook, Ticker, child_counts, headline, rank_rows, ticker_entry
from domain.model import Action
from widgets.common.formatting import arg

DISPLAY_MS = 500
#: Seconds each alarm stays on the band before the next one is shown.
ALARM_STEP_SECONDS = 5.0
#: Recompute even without changes this often: "today" and "fresh" depend on the time.
FULL_REFRESH_SECONDS = 30.0
#: ... and with changes at most this often: a busy city changes something every tick.
MIN_REFRESH_SECONDS = 1.0
#: A due refresh feeds the panels in two halves, on this tick and the next: each panel still
#: changes once a second, but no tick repaints all of them. On the 4K wall a tick that fed
#: every panel took 12–25 ms to repaint, one that fed none ~5 ms; split, the live tick's
#: p95 read 11.9–16.1 ms against 15.7–19.7 in five alternating pairs of runs, its mean
#: unchanged (bench/wall_render.py).
#: The costliest (ticker ~4 ms, categories chart ~3, ranking ~2) are split between the halves.
HALVES: tuple[tuple[str, ...], tuple[str, ...]] = (("tiles", "ranking", "hourly", "alarms"), ("categories", "ticker"))


def check_rotation(rotate_seconds: object) -> float:
    if isinstance(rotate_seconds, bool) or not isinstance(rotate_seconds, numbers.Real) \
            or not math.isfinite(rotate_seconds) or rotate_seconds < 0:
        raise ValueError(f"rotate_seconds must be a number of seconds ≥ 0 (0 turns rotation off), "
                         f"got {rotate_seconds!r}")
    return float(rotate_seconds)


class WallController(QObject):
    node_changed = Signal(str)

    def __init__(self, client: GridClient, bridge: QtBridge, window, directory, *, rotate_seconds: float = 20.0,
                 min_cases: int = MIN_CASES, clock: Callable[[], float] = time.monotonic,
                 map_page: bool = True) -> None:
        super().__init__(window)
        self.rotate_seconds = check_rotation(rotate_seconds)
        if isinstance(min_cases, bool) or not isinstance(min_cases, int) or min_cases < 0:
            raise ValueError(f"min_cases must be a whole number ≥ 0, got {min_cases!r}")
        self.client, self.bridge, self.window, self.directory = client, bridge, window, directory
        self.min_cases = min_cases
        self.clock = clock
        self.root = directory.root
        self.pages = [self.root] + directory.children(self.root)
        self.map_page = map_page  # one more page after the nodes: the map of the root
        self.page = 0
        self.alarms = AlarmBook(directory, self.root)
        self.ticker = Ticker(directory, self.root)
        self.photos = None  # desktop.wall.evidence.AlarmPhotos, when the hub serves photos
        self.ever_live = False
        self._dirty = True
        self._second_half: tuple[str, ...] = ()  # the panels a due refresh left to the next tick
        start = clock()
        self._rotation_mark = self._alarm_mark = start
        self._full_mark = time.monotonic()
        window.header.set_titles(directory.node_name(self.root), self._subtitle())
        bridge.changes.connect(self._on_changes)
        bridge.state_changed.connect(self._on_state)
        if client.replica.ready:  # the snapshot came in while the directory loaded
            self._reset_books()
        self._on_state(client.state)
        self.shortcuts = []
        for key, step in ((Qt.Key.Key_Right, 1), (Qt.Key.Key_Left, -1)):
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.activated.connect(lambda s=step: self.rotate(s))
            self.shortcuts.append(shortcut)
        self.timer = QTimer(self)
        self.timer.setInterval(DISPLAY_MS)
        self.timer.timeout.connect(self.tick)
        self.refresh(force=True)
        self.timer.start()

    # ---- rotation --------------------------------------------------------------------------
    @property
    def node(self) -> str:
        return self.pages[self.page] if self.page < len(self.pages) else self.root

    @property
    def page_count(self) -> int:
        return len(self.pages) + (1 if self.map_page else 0)

    @property
    def on_map(self) -> bool:
        return self.page == len(self.pages)

    @property
    def paused(self) -> bool:
        """Rotation never holds for alarms any more (12–16 alarms held it for minutes, and
        nobody at a wall can acknowledge); kept for callers of the old policy."""
        return False

    @property
    def alarming(self) -> bool:
        """Unacknowledged alarms anywhere on this wall's scope (the strip shows the page's)."""
        return bool(self.alarms)

    def _in_page(self, case_id: str) -> bool:
        case = self.client.replica.get(case_id)
        return case is not None and case.node.startswith(self.node)

    def page_alarms(self) -> list:
        """The alarms of the area on show, newest first."""
        alarms = self.alarms.newest_first()
        return alarms if self.node == self.root else [a for a in alarms if self._in_page(a.case_id)]

    def page_ticker(self) -> list:
        """The latest reports of the area on show, newest first."""
        if self.node == self.root:
            return list(self.ticker.entries)
        size = self.ticker.entries.maxlen or len(self.ticker.entries)
        cases = (c for c in self.client.replica.cases.values() if c.node.startswith(self.node))
        latest = heapq.nlargest(size, cases, key=lambda c: (c.reported_at, c.id))
        return [ticker_entry(c, self.directory, self.root) for c in latest]

    def rotate(self, step: int = 1) -> None:
        if self.page_count < 2:
            return
        self.page = (self.page + step) % self.page_count
        self._rotation_mark = self.clock()
        self._after_move()

    def show_map(self) -> None:
        """Go to the map page (when the wall has one)."""
        if self.map_page:
            self.page = len(self.pages)
            self._rotation_mark = self.clock()
            self._after_move()

    def _after_move(self) -> None:
        if hasattr(self.window, "show_map"):
            self.window.show_map(self.on_map)
        self.window.header.set_titles(self.directory.node_name(self.node), self._subtitle())
        self._dirty = True
        self.refresh(force=True)
        self.node_changed.emit(self.node)

    def _subtitle(self) -> str:
        # 网格化服务管理指挥中心
        center = QCoreApplication.translate("Wall", "Grid governance command center")
        if self.node == self.root:
            return center
        return f"{center} · {self.directory.node_name(self.root)}"

    def tick(self) -> None:
        """The display timer: rotate when due (not during an alarm), step the alarm band, refresh."""
        now = self.clock()
        if self.rotate_seconds > 0 and now - self._rotation_mark >= self.rotate_seconds:
            self.rotate()
        if now - self._alarm_mark >= ALARM_STEP_SECONDS:
            self._alarm_mark = now
            self.window.alarm.step()
        self.refresh()

    # ---- data ------------------------------------------------------------------------------
    def _on_changes(self, changes) -> None:
        self._dirty = True
        replica = self.client.replica
        if changes.reset:
            self._reset_books()
        else:
            for case_id in changes.added | changes.changed:
                case = replica.get(case_id)
                if case is not None:
                    self.alarms.update(case)
            for case_id in changes.removed:
                self.alarms.remove(case_id)
        for fe in changes.events:
            if fe.event.kind is Action.REPORT:
                self.ticker.add(fe.case)

    def _reset_books(self) -> None:
        cases = self.client.replica.cases.values()
        self.alarms.reset(cases)
        self.ticker.reset(cases)

    def refresh(self, force: bool = False) -> None:
        """Clock and rotation state every tick; the figures when they changed (or are due), in
        two halves on consecutive ticks (``HALVES``); ``force`` feeds every panel at once."""
        w = self.window
        now = self.client.server_now()
        w.header.set_time(now)
        w.header.set_rotation(self.page + 1, self.page_count, self.paused)
        parts: tuple[str, ...]
        if force:
            parts, self._second_half = HALVES[0] + HALVES[1], ()
        elif self._second_half:
            self._feed(self._second_half, now)
            self._second_half = ()
            return
        else:
            since = time.monotonic() - self._full_mark
            if not (since >= FULL_REFRESH_SECONDS or (self._dirty and since >= MIN_REFRESH_SECONDS)):
                return
            parts, self._second_half = HALVES
        self._dirty = False
        self._full_mark = time.monotonic()
        self._feed(parts, now)

    def _feed(self, parts: tuple[str, ...], now: float) -> None:
        """Give the named panels the node's figures as of ``now``."""
        w = self.window
        replica, index, node = self.client.replica, self.client.index, self.node
        if "tiles" in parts:
            w.tiles.set_values(headline(replica, index, node, now))
        if "hourly" in parts:
            w.hourly.update_hourly(*figures.hourly(replica, node, now))
        if "categories" in parts:
            w.categories.update_categories(figures.category_mix(index, node, self.directory, top=8))
        if "ranking" in parts:
            parent = node if self.directory.children(node) else self.root
            children = list(self.directory.children(parent))
            w.ranking.set_ranking(rank_rows(child_counts(replica, index, parent, children, now), self.directory,
                                            self.min_cases), self.min_cases)
        if "ticker" in parts:
            w.ticker.set_entries(self.page_ticker(), now)
        if "alarms" in parts:
            w.alarm.set_alarms(self.page_alarms())
            if self.photos is not None:
                self.photos.update(w.alarm.alarms, replica)

    # ---- the link ----------------------------------------------------------------------------
    def _on_state(self, state) -> None:
        banner = self.window.banner
        if state.state is LinkState.LIVE:
            self.ever_live = True
            banner.hide()
            return
        if state.state is LinkState.STOPPED:
            banner.hide()
            return
        if self.ever_live:
            title = QCoreApplication.translate("Wall", "Reconnecting…")  # 正在重新连接…
        else:
            title = QCoreApplication.translate("Wall", "Connecting…")  # 正在连接…
        banner.set_message(title, self._detail(state))
        banner.show()
        banner.raise_()

    @staticmethod
    def _detail(state) -> str:
        if state.state is LinkState.OFFLINE:
            if state.final:
                # 平台拒绝连接：%1
                return arg(QCoreApplication.translate("Wall", "The hub refused the connection: %1"), state.reason)
            if state.retry_in is not None:
                # 连接中断，%1 秒后重试
                return arg(QCoreApplication.translate("Wall", "Connection lost; trying again in %1 s"),
                           max(1, math.ceil(state.retry_in)))
        if state.state is LinkState.RESYNCING:
            if state.progress and state.progress[1]:
                done, total = state.progress
                # 正在同步数据：%1%
                return arg(QCoreApplication.translate("Wall", "Catching up: %1%"), round(100 * done / total))
            return QCoreApplication.translate("Wall", "Catching up…")  # 正在同步数据…
        return QCoreApplication.translate("Wall", "Contacting the hub…")  # 正在联系平台…

    def stop(self) -> None:
        self.timer.stop()
