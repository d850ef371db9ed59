"""Replaying a finished session for the debrief: the list of sessions, the replay window and its time bar.

The replay itself (a hub of its own re-publishing the session's events) starts, seeks and
stops on the trainer controller's worker thread; the window is a read-only console on it,
with a :class:`~widgets.trainer.replay_bar.ReplayBar` on top: pause/play, speed, and a seek
bar over the whole session. Seeks asked for while one is carried out collapse into the
last, so dragging the handle about never queues up rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt

from backend.embedded import Replay, list_sessions, load_session_record, session_event_count, session_store_url
from widgets.common.formatting import arg
from widgets.trainer.replay_bar import ReplayBar

if TYPE_CHECKING:
    from desktop.app import Console
    from desktop.trainer.window import TrainerWindow


class ReplayRefused(Exception):
    """A replay that cannot start, in words for the trainer (no paths, no English internals)."""


class ReplayDriver(QObject):
    """One replay at a time for the trainer panel; ``run`` puts work on the controller's worker."""

    def __init__(self, window: TrainerWindow, run: Callable[..., Future], parent: QObject) -> None:
        super().__init__(parent)
        self.window, self._run = window, run
        self.replay: Replay | None = None  # while one runs
        self.console: Console | None = None  # the replay window
        self.bar: ReplayBar | None = None  # its time bar
        self._seek_to: float | None = None  # the latest seek asked for while one runs
        self._seeking = False
        box = window.replay
        box.replayRequested.connect(self.start)
        box.stopRequested.connect(self.stop)
        box.speedChosen.connect(self.set_speed)

    # ---- the list of sessions ----------------------------------------------------------------------
    def show_sessions(self, root: Path, current: Path | None) -> None:
        """Finished sessions, newest first; one with nothing to replay is listed greyed out, saying why."""
        finished = []
        for folder, rec in list_sessions(root):
            if folder == current:
                continue
            events = session_event_count(folder)
            # zh: 无事件 / 记录已损坏
            reason = "" if events else self.tr("no events") if events == 0 else self.tr("record damaged")
            finished.append((str(folder), rec.folder_label, reason))
        self.window.replay.set_sessions(finished)

    # ---- start and stop ----------------------------------------------------------------------------
    def start(self, folder: str, speed: float) -> None:
        self.stop()
        rec = load_session_record(folder)

        def start():
            try:
                replay = Replay(session_store_url(Path(folder)), speed=speed, start=rec.sim_start)
                replay.start()
            except (ValueError, OSError):  # no events, or a damaged store: say so, without paths
                raise ReplayRefused(QCoreApplication.translate(
                    # zh: 该场次无法回放：没有可回放的事件，或记录已损坏。请选择其他场次。
                    "TrainerController", "This session cannot be replayed: it has no events or its record is "
                    "damaged. Choose another session.")) from None
            return replay, replay.token("")

        def done(result) -> None:
            from desktop.app import Console

            self.replay, token = result
            scope = rec.trainees[0].scope if rec.trainees else None
            self.console = Console(self.replay.url, token, scope=scope,
                                   outbox_path=Path(folder) / "replay" / "viewer-outbox.sqlite3",
                                   client_name="GridCC replay", quiet=True)
            window = self.console.window
            window.setWindowTitle(arg(QCoreApplication.translate("TrainerController", "Replay · %1"),  # 回放 · %1
                                      rec.folder_label))
            self.bar = self._add_bar(self.replay, window, speed)
            window.resize(1600, 1000)
            window.show()
            self.window.replay.set_playing(True)

        self._run(start, done=done)

    def stop(self) -> None:
        self.bar = None  # closes with the replay window
        self._seek_to, self._seeking = None, False
        if self.console is not None:
            self.console.close()
            self.console = None
        if self.replay is not None:
            self.replay.stop()
            self.replay = None
        self.window.replay.set_playing(False)

    # ---- the time bar ------------------------------------------------------------------------------
    def _add_bar(self, replay: Replay, window, speed: float) -> ReplayBar:
        bar = ReplayBar(window)
        bar.set_range(replay.begin_at, replay.end_at)
        bar.set_speed(speed)
        bar.set_paused(False)
        bar.set_time(replay.clock.now() if replay.clock is not None else replay.begin_at)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.pauseRequested.connect(lambda: self.pause(True))
        bar.resumeRequested.connect(lambda: self.pause(False))
        bar.speedChosen.connect(self.set_speed)
        bar.seekRequested.connect(self.seek)
        return bar

    def pause(self, paused: bool) -> None:
        if self.replay is None or self.replay.clock is None:
            return
        (self.replay.clock.pause if paused else self.replay.clock.resume)()
        self.show_clock()

    def set_speed(self, speed: float) -> None:
        """From the panel's box or the window's bar; both then show it."""
        if self.replay is not None and self.replay.clock is not None:  # the clock exists once it started
            self.replay.clock.set_speed(speed)
        box = self.window.replay.speed_combo
        index = box.findData(float(speed))
        if index >= 0 and index != box.currentIndex():
            box.blockSignals(True)
            box.setCurrentIndex(index)
            box.blockSignals(False)
        if self.bar is not None:
            self.bar.set_speed(speed)

    def seek(self, at: float) -> None:
        """Show the replay as the session stood at ``at`` (simulated time)."""
        if self.replay is None:
            return
        self._seek_to = at
        if self._seeking:
            return  # the running seek picks this one up when it ends
        self._seeking = True
        replay = self.replay
        if self.bar is not None:
            self.bar.set_busy(True)

        def job() -> Exception | None:
            try:
                replay.seek(at)
            except Exception as exc:  # noqa: BLE001 — shown to the trainer; the replay keeps its last state
                return exc
            return None

        def done(error: Exception | None) -> None:
            if self.replay is not replay:
                return  # stopped meanwhile
            self._seeking = False
            if error is not None:
                # zh: 定位未完成：%1
                self.window.show_message(arg(self.tr("Seek not done: %1"), error), 15)
            elif self._seek_to is not None and self._seek_to != at:
                self.seek(self._seek_to)  # the handle moved on while this one ran
                return
            self._seek_to = None
            if self.bar is not None:
                self.bar.set_busy(False)
            self.show_clock()

        self._run(job, done=done, busy=False)

    def seeking(self) -> bool:
        return self._seeking

    def show_clock(self) -> None:
        """The bar follows the replay clock (the controller's clock timer calls this)."""
        replay, bar = self.replay, self.bar
        if replay is None or bar is None or replay.clock is None:
            return
        bar.set_paused(replay.clock.paused)
        if not self._seeking:
            bar.set_time(replay.clock.now())
