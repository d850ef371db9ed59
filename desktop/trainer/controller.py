"""Wires the trainer panel to the training session and the trainees' consoles (replays: desktop.trainer.replay).

Session work that touches the hub or the database (start, pause, jumps, reset,
injections, the scorecard) runs on one worker thread, in the order asked; a GUI timer
picks up the results, so the panel never freezes while an hour is fast-forwarded. The
clock label reads the simulation clock directly (a lock, no I/O) four times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from backend.embedded import SCORE_COLUMNS as COLUMNS
from backend.embedded import (
    Replay,
    SessionError,
    TraineeScore,
    TrainingSession,
    list_scenarios,
    row_values,
)
from desktop.trainer.labels import Labels
from desktop.trainer.replay import ReplayDriver, ReplayRefused
from desktop.trainer.window import TrainerWindow
from widgets.common.formatting import arg
from widgets.trainer.scorecard import cell_text, title

if TYPE_CHECKING:
    from desktop.app import Console

SCORE_REFRESH_MS = 1000
CLOCK_REFRESH_MS = 250

__all__ = ["ReplayRefused", "TrainerController"]


class TrainerController(QObject):
    def __init__(self, session: TrainingSession, window: TrainerWindow, *, confirm: bool = True) -> None:
        super().__init__(window)
        self.session, self.window, self.confirm = session, window, confirm
        self.labels = Labels(session)
        self.consoles: dict[str, Console] = {}  # by user id
        self.scores: list[TraineeScore] = []
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="trainer")
        self._jobs: list[tuple[Future, Callable | None, bool]] = []
        self._refreshing = False
        self.replays = ReplayDriver(window, self.run, self)
        self._poll = self._start_timer(50, self._collect)
        self._clock = self._start_timer(CLOCK_REFRESH_MS, self._show_clock)
        self._refresh = self._start_timer(SCORE_REFRESH_MS, self.refresh)
        self._connect()
        self._show_session()
        self.refresh()

    def _start_timer(self, interval: int, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    def _connect(self) -> None:
        w = self.window
        c = w.controls
        c.startRequested.connect(lambda: self.run(self.session.resume, done=lambda _: self._show_running()))
        c.pauseRequested.connect(lambda: self.run(self.session.pause, done=lambda _: self._show_running()))
        c.speedChosen.connect(self.set_speed)
        c.jumpHourRequested.connect(lambda: self.run(self.session.jump, 3600.0, done=lambda _: self.refresh()))
        c.nextEventRequested.connect(self.jump_to_next_event)
        c.resetRequested.connect(self.reset)
        c.scenarioChosen.connect(self.switch_scenario)
        c.scenarioFileRequested.connect(self._choose_scenario_file)
        w.trainees.addRequested.connect(self.add_trainee)
        w.trainees.openConsoleRequested.connect(self.open_console)
        w.inject.streetChosen.connect(self._show_grids)
        w.inject.injectRequested.connect(self.inject)
        w.scorecard.exportCsvRequested.connect(lambda: self._export_with_dialog("csv"))
        w.scorecard.exportPdfRequested.connect(lambda: self._export_with_dialog("pdf"))
        w.replay.refreshRequested.connect(self._show_sessions)

    # ---- the worker ------------------------------------------------------------------------------
    def run(self, fn, *args, done: Callable | None = None, busy: bool = True) -> Future:
        """Run ``fn(*args)`` on the worker; ``done(result)`` on the GUI thread, errors in the status bar."""
        future = self._worker.submit(fn, *args)
        self._jobs.append((future, done, busy))
        if busy:
            self._set_busy(True)
        return future

    def idle(self) -> bool:
        return not self._jobs

    def _collect(self) -> None:
        finished = [job for job in self._jobs if job[0].done()]
        if not finished:
            return
        self._jobs = [job for job in self._jobs if not job[0].done()]
        for future, done, _ in finished:
            exc = future.exception()
            if exc is not None:
                self.window.show_message(arg(self.tr("Not done: %1"), exc), 15)  # 未完成：%1
                if isinstance(exc, ValueError) and done == self._injected:
                    self.window.inject.show_error(str(exc))
            elif done is not None:
                done(future.result())
        self._set_busy(any(busy for _, _, busy in self._jobs))

    def _set_busy(self, busy: bool) -> None:
        self.window.controls.set_busy(busy)
        self.window.inject.set_busy(busy)

    # ---- time -------------------------------------------------------------------------------------
    def set_speed(self, speed: float) -> None:
        try:
            self.session.set_speed(speed)
        except SessionError as exc:
            self.window.show_message(str(exc))

    def jump_to_next_event(self) -> None:
        def done(upcoming) -> None:
            if upcoming is None:
                # zh: 未来两天内没有预设或特急事件
                self.window.show_message(self.tr("Nothing scheduled or critical in the next two days"))
            else:
                self.window.show_message(arg(self.tr("Jumped to %1"), self.labels.upcoming(upcoming)))  # 已跳到 %1
            self.refresh()

        self.run(self.session.jump_to_next_event, done=done)

    def reset(self) -> None:
        if self.confirm and QMessageBox.question(
                self.window, self.tr("Reset"),  # 重置
                # zh: 从头重新开始本场景？本轮将保留以供回放。
                self.tr("Start the scenario again from its beginning? This run is kept for replay.")
        ) != QMessageBox.StandardButton.Yes:
            return
        self.run(self.session.reset, done=lambda _: self._after_restart())

    def switch_scenario(self, scenario: str) -> None:
        if scenario and scenario != self.session.scenario_ref:
            self.run(self.session.switch_scenario, scenario, done=lambda _: self._after_restart())

    def _choose_scenario_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Scenario file"),  # 场景文件
                                              str(Path.home()), self.tr("Scenarios (*.toml)"))  # 场景 (*.toml)
        if path:
            self.switch_scenario(path)

    def _after_restart(self) -> None:
        self.labels = Labels(self.session)
        self.window.inject.clear_log()  # the injections were of the run that ended
        self._show_session()
        self._show_sessions()
        self.refresh()
        # zh: 场景 %1 已回到开始时刻，请按“开始”
        self.window.show_message(
            arg(self.tr("Scenario %1 ready at its start; press Start"), self.session.scenario.name)
        )

    def _show_running(self) -> None:
        s = self.session
        try:
            self.window.controls.set_running(not s.paused, started=s.started)
        except SessionError:  # no run: a reset failed; the status bar says why
            self.window.controls.set_running(False, started=False)
        self._show_clock()

    def _show_clock(self) -> None:
        try:
            self.window.controls.set_time(self.session.now())
        except SessionError:
            self.window.controls.set_time(None)  # between two runs during a reset
        self.replays.show_clock()

    # ---- what the panel shows ----------------------------------------------------------------------
    def _show_session(self) -> None:
        s, w, labels = self.session, self.window, self.labels

        w.controls.set_scenarios([(name, labels.scenario(name)) for name in list_scenarios()], s.scenario_ref)
        w.controls.set_speed(s.speed)
        self._show_running()
        streets = [(code, labels.street(code)) for code in s.streets()]
        w.trainees.set_streets(streets)
        w.trainees.set_url(s.local_url(), s.connect_url())
        self._show_trainees()
        w.inject.set_categories(labels.categories())
        w.inject.set_streets(streets)
        if s.accounts:
            w.inject.choose(street=s.accounts[0].trainee.scope)
        w.inject.set_scheduled([labels.upcoming(u) for u in s.scheduled()])
        self._show_sessions()

    def _show_trainees(self) -> None:
        rows = [(a.user_id, a.trainee.name, self.labels.street(a.trainee.scope), a.token)
                for a in self.session.accounts]
        self.window.trainees.set_trainees(rows)

    def _show_grids(self, street: str) -> None:
        try:
            self.window.inject.set_grids([(g, self.labels.grid(g)) for g in self.session.grids_of(street)])
        except SessionError:
            pass

    def _show_sessions(self) -> None:
        self.replays.show_sessions(self.session.root, self.session.folder)

    def refresh(self) -> None:
        """Scores, who is signed in and what comes next, computed on the worker."""
        if self._refreshing or self._jobs:
            return
        self._refreshing = True

        def gather():
            s = self.session
            scores = s.scores()  # also refreshes who is signed in
            return scores, set(s.signed_in), s.next_event()

        def show(result) -> None:
            self._refreshing = False
            self.show_scores(result[0])
            self.window.trainees.set_online(result[1])
            upcoming = result[2]
            if upcoming is not None and upcoming.at <= self.session.now():
                # It arrived while this was computed (a fast clock): look again, never show the past.
                QTimer.singleShot(0, self, self.refresh)
                return
            self.window.controls.set_next(
                arg(self.tr("Next: %1"), self.labels.upcoming(upcoming)) if upcoming is not None  # 下一事件：%1
                else self.tr("Next: nothing scheduled or critical soon"))  # 下一事件：近期无预设或特急事件
            self._show_running()
            if self.replay is not None:
                self.window.replay.set_progress(self.replay.replayed, self.replay.total)

        future = self.run(gather, done=show, busy=False)
        def unblock_on_error(f: Future) -> None:
            if f.exception() is not None:
                self._refreshing = False

        future.add_done_callback(unblock_on_error)

    def score_rows(self, scores: list[TraineeScore]) -> list[dict]:
        rows = []
        for score in scores:
            row = row_values(score)
            row["scope"] = self.labels.street(score.scope)
            row["refusals"] = score.refusals
            rows.append(row)
        return rows

    def show_scores(self, scores: list[TraineeScore]) -> None:
        self.scores = scores
        self.window.scorecard.set_rows(self.score_rows(scores), self.labels.score_note())

    # ---- people -------------------------------------------------------------------------------------
    def add_trainee(self, name: str, street: str) -> None:
        def done(account) -> None:
            self._show_trainees()
            self.window.trainees.select(account.user_id)
            self.window.show_message(arg(self.tr("Trainee %1 added"), account.trainee.name))  # 已添加学员 %1

        self.run(self.session.add_trainee, name, street, done=done)

    def open_console(self, user_id: str):
        """A trainee's operator console in this process, on the session's hub."""
        from desktop.app import Console, StartupError

        console = self.consoles.get(user_id)
        if console is not None and console.window.isVisible():
            console.window.raise_()
            console.window.activateWindow()
            return console
        account = next(a for a in self.session.accounts if a.user_id == user_id)
        clients = self.session.root / "clients"
        clients.mkdir(parents=True, exist_ok=True)
        try:
            console = Console(self.session.local_url(), account.token, scope=account.trainee.scope,
                              outbox_path=clients / f"outbox-{user_id}.sqlite3", client_name="GridCC trainee console",
                              http_url=getattr(self.session.demo, "http_url", None), evidence_rules=False)
        except (StartupError, OSError) as exc:
            self.window.show_message(arg(self.tr("The console did not open: %1"), exc), 15)  # 值班台未能打开：%1
            return None
        self.session.note_client(console.client.client_id, user_id)
        self.consoles[user_id] = console
        console.window.resize(1600, 1000)
        console.window.show()
        return console

    # ---- injections ---------------------------------------------------------------------------------
    def inject(self, values: dict) -> None:
        self.run(lambda: self.session.inject(**values), done=self._injected)

    def _injected(self, ack) -> None:
        self.window.inject.add_log(self.labels.injected(ack.case, self.session.now()))
        self.window.show_message(arg(self.tr("Case %1 injected"), ack.case_id))  # 已注入事件 %1
        self.refresh()

    # ---- export -------------------------------------------------------------------------------------
    def export_csv(self, path: Path | str) -> Future:
        """The scorecard as on screen (street names, not codes), cells safe for spreadsheets."""
        def done(scores) -> None:
            from desktop.csv_export import write_csv

            rows = self.score_rows(scores)
            write_csv(path, [title(k) for k in COLUMNS], [[cell_text(k, row[k]) for k in COLUMNS] for row in rows])
            self.window.show_message(arg(self.tr("Saved %1"), path))  # 已保存 %1

        return self.run(self.session.scores, done=done)

    def export_pdf(self, path: Path | str) -> Future:
        def done(scores) -> None:
            from desktop.trainer.pdf import write_pdf

            trainees = self.score_rows(scores)  # as on screen: a column per trainee, a row per figure
            rows = [[title(k)] + [cell_text(k, row[k]) for row in trainees] for k in COLUMNS if k != "name"]
            write_pdf(path, self.labels.pdf_title(), self.labels.pdf_facts(),
                      [title("name")] + [cell_text("name", row["name"]) for row in trainees], rows,
                      self.labels.pdf_notes())
            self.window.show_message(arg(self.tr("Saved %1"), path))

        return self.run(self.session.scores, done=done)

    def _export_with_dialog(self, kind: str) -> None:
        folder = self.session.folder or Path.home()
        suggested = str(Path(folder) / f"scorecard.{kind}")
        pattern = self.tr("CSV files (*.csv)") if kind == "csv" else self.tr("PDF files (*.pdf)")  # CSV文件 / PDF文件
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export the scorecard"), suggested,  # 导出成绩单
                                              pattern)
        if path:
            (self.export_csv if kind == "csv" else self.export_pdf)(path)

    # ---- replay -------------------------------------------------------------------------------------
    @property
    def replay(self) -> Replay | None:
        return self.replays.replay

    @property
    def replay_console(self) -> Console | None:
        return self.replays.console

    def start_replay(self, folder: str, speed: float) -> None:
        self.replays.start(folder, speed)

    def stop_replay(self) -> None:
        self.replays.stop()

    # ---- the end ------------------------------------------------------------------------------------
    def stop(self) -> None:
        for timer in (self._poll, self._clock, self._refresh):
            timer.stop()
        self._worker.shutdown(wait=True)
        for console in self.consoles.values():
            console.close()
        self.consoles.clear()
        self.stop_replay()
        self.session.stop()
