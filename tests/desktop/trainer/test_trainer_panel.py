"""The trainer panel (pytest-qt) over a real training session: what a trainer sees and does."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from backend.embedded.training import TrainingSession
from backend.training.scorecard import COLUMNS, row_values
from desktop.trainer.launch import open_panel, print_tokens
from domain.model import State
from widgets.trainer.scorecard import TITLES, title


@pytest.fixture
def panel(qtbot, tmp_path):
    session = TrainingSession(scenario="winter_night", scale=0.02, speed=60, trainees=2,
                              sessions_dir=tmp_path / "sessions").start()
    window, controller = open_panel(session, confirm=False)
    qtbot.addWidget(window)
    window.resize(1920, 1040)
    window.show()
    qtbot.waitUntil(controller.idle, timeout=15000)
    yield window, controller, session
    controller.stop()


def settle(qtbot, controller):
    qtbot.waitUntil(controller.idle, timeout=30000)


def test_time_controls_drive_the_session(qtbot, panel):
    window, controller, session = panel
    c = window.controls
    assert c.current_scenario() == "winter_night" and c.play_button.text() == "Start"
    assert window.inject.scheduled_list.count() == 3  # the winter night's three scheduled injections
    assert window.trainees.table.rowCount() == 2
    assert window.trainees.token_of(session.accounts[0].user_id) == session.accounts[0].token
    c.play_button.click()
    settle(qtbot, controller)
    assert not session.paused and c.is_running() and c.play_button.text() == "Pause"
    c.speed_combo.setCurrentIndex(c.speed_combo.findData(600.0))
    assert session.demo.clock.speed == 600.0
    c.play_button.click()
    settle(qtbot, controller)
    assert session.paused and c.play_button.text() == "Resume"
    before = session.now()
    c.hour_button.click()
    settle(qtbot, controller)
    assert session.now() == before + 3600
    qtbot.waitUntil(lambda: c.clock_label.text() == c_text(session.now()), timeout=5000)
    c.next_button.click()
    settle(qtbot, controller)
    first = session.scheduled()[0]
    assert session.now() == first.at + 1  # 21:05, the elevator entrapment
    assert any(e.case.description == first.description for e in session.demo.store.events_after(0, 100_000))


def c_text(t: float) -> str:
    from widgets.common.formatting import cst_datetime

    return cst_datetime(t).strftime("%m-%d %H:%M:%S")


def test_hand_injection_reaches_the_trainee_console(qtbot, panel):
    window, controller, session = panel
    account = session.accounts[0]
    console = controller.open_console(account.user_id)
    qtbot.addWidget(console.window)
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    form = window.inject
    grid = session.grids_of(account.trainee.scope)[0]
    form.choose(category="20451", street=account.trainee.scope)
    form.choose(grid=grid)
    form.description_edit.setPlainText("12345转来：电梯困人")
    form.inject_button.click()
    settle(qtbot, controller)
    assert form.log_list.count() == 1 and form.error_label.text() == ""
    case_id = form.log_list.item(0).text().split()[2]
    assert session.demo.store.case(case_id).state is State.REPORTED

    model = console.window.table.model
    qtbot.waitUntil(lambda: case_id in [model.case_id_at(r) for r in range(model.rowCount())], timeout=15000)
    # the console's client is known to the session before it ever sends a command
    assert session._owners[console.client.client_id] == account.user_id

    window.trainees.name_edit.setText("学员三")
    window.trainees.street_combo.setCurrentIndex(window.trainees.street_combo.findData(account.trainee.scope))
    window.trainees.add_button.click()
    settle(qtbot, controller)
    assert window.trainees.table.rowCount() == 3 and session.accounts[-1].trainee.name == "学员三"


def test_scorecard_shows_and_exports_the_session_figures(qtbot, panel, tmp_path):
    window, controller, session = panel
    controller.refresh()
    settle(qtbot, controller)
    model = window.scorecard.model
    assert model.columnCount() == 2 and model.headerData(0, Qt.Orientation.Horizontal) == "学员一"
    assert model.rows() == controller.score_rows(session.scores())
    assert set(TITLES) == set(COLUMNS)

    controller.export_csv(tmp_path / "scores.csv")
    settle(qtbot, controller)
    rows = list(csv.reader((tmp_path / "scores.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [title(k) for k in COLUMNS]
    assert [r[0] for r in rows[1:]] == ["学员一", "学员二"]
    assert rows[1][COLUMNS.index("cases_handled")] == str(row_values(session.scores()[0])["cases_handled"])
    street = session.accounts[0].trainee.scope
    cell = rows[1][COLUMNS.index("scope")]
    assert session.node_name(street) in cell and street not in cell  # the street's name, not its code

    controller.export_pdf(tmp_path / "scores.pdf")
    settle(qtbot, controller)
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(tmp_path / "scores.pdf")) == QPdfDocument.Error.None_
    assert document.pageCount() == 1
    text = document.getAllText(0).text()
    # (the PDF's CJK font maps 一/二 to look-alike radicals when text is extracted)
    assert text.count("学员") >= 2 and session.scenario.name in text and title("sla_breaches") in text


def test_reset_then_replay_the_finished_run(qtbot, panel, tmp_path):
    window, controller, session = panel
    session.jump(2 * 3600)
    finished_folder = session.folder
    window.controls.reset_button.click()
    settle(qtbot, controller)
    assert session.folder != finished_folder and session.now() == session.sim_start
    box = window.replay
    assert box.session_combo.count() == 1 and box.session_combo.currentData() == str(finished_folder)
    box.speed_combo.setCurrentIndex(box.speed_combo.findData(600.0))
    box.play_button.click()
    settle(qtbot, controller)
    replay = controller.replay
    assert replay is not None and controller.replay_console is not None and box.stop_button.isEnabled()
    qtbot.addWidget(controller.replay_console.window)
    replay.clock.advance(2 * 3600)
    qtbot.waitUntil(replay.finished.is_set, timeout=30000)
    controller.refresh()
    settle(qtbot, controller)
    assert box.progress.value() == 100
    box.stop_button.click()
    assert controller.replay is None and not box.stop_button.isEnabled()


def test_the_replay_window_seeks_to_any_moment_of_the_session(qtbot, panel, tmp_path):
    from backend.embedded import session_store_url
    from tests.backend.embedded.recorded import held, recorded_at

    window, controller, session = panel
    session.jump(2 * 3600)
    finished = session.folder
    window.controls.reset_button.click()
    settle(qtbot, controller)
    window.replay.play_button.click()
    settle(qtbot, controller)
    replay, console, bar = controller.replay, controller.replay_console, controller.replays.bar
    assert replay is not None and console is not None and bar is not None
    qtbot.addWidget(console.window)
    assert bar.isVisible() and bar.slider.maximum() == round(replay.end_at - replay.begin_at) > 3600
    bar.play_button.click()  # pause
    assert replay.clock.paused and bar.is_paused() and bar.play_button.text() == "Play"
    bar.speed_combo.setCurrentIndex(bar.speed_combo.findData(600.0))  # speed from the bar reaches clock and panel
    assert replay.clock.speed == 600.0 and window.replay.speed_combo.currentData() == 600.0
    client, scope = console.client, console.client.scope
    url = session_store_url(finished)
    qtbot.waitUntil(lambda: client.state.state.value == "live", timeout=15000)

    def seek_to(value: int) -> float:
        bar.slider.setValue(value)  # as a click on the track or a key does
        at = min(replay.begin_at + value, replay.end_at)  # the seek bar ends at the last event
        qtbot.waitUntil(lambda: not controller.replays.seeking(), timeout=30000)
        expected = recorded_at(url, tmp_path, at, scope)
        qtbot.waitUntil(lambda: held(client) == expected, timeout=30000)
        assert replay.clock.now() == at and replay.clock.paused
        controller._show_clock()
        assert bar.slider.value() == value and c_text(at) in bar.time_label.text()
        return at

    end = bar.slider.maximum()
    seek_to(end)  # forward to the end: everything
    assert replay.replayed == replay.total
    seek_to(end // 2)  # back to the middle: the hub is rebuilt and the console takes a snapshot
    assert replay.generation == 1 and replay.replayed < replay.total
    seek_to(end // 4)
    assert replay.generation == 2
    bar.play_button.click()  # and play on from there
    assert not replay.clock.paused and bar.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: replay.replayed > 0 and replay.clock.now() > replay.begin_at + end // 4, timeout=15000)
    window.replay.stop_button.click()
    assert controller.replay is None and controller.replays.bar is None


def test_the_replay_list_greys_out_sessions_without_events(qtbot, panel):
    import shutil

    from backend.store import Store
    from backend.training.record import RECORD_FILE, STORE_FILE

    window, controller, session = panel
    session.jump(3600)
    with_events = session.folder
    window.controls.reset_button.click()
    settle(qtbot, controller)
    empty = session.root / "00000000-empty"
    empty.mkdir()
    shutil.copy(with_events / RECORD_FILE, empty / RECORD_FILE)
    Store.open(f"sqlite:///{empty / STORE_FILE}", require_current=False).migrate()  # a store without events
    window.replay.refresh_button.click()
    combo = window.replay.session_combo
    assert combo.count() == 2
    labels = [combo.itemText(i) for i in range(2)]
    model = combo.model()
    playable = [model.item(i).isEnabled() for i in range(2)]
    assert playable.count(True) == 1 and combo.currentData() == str(with_events)
    greyed = labels[playable.index(False)]
    assert greyed.endswith("(no events)") and combo.itemData(playable.index(False)) is None
    assert window.replay.play_button.isEnabled()


def test_tokens_are_printed_for_other_machines(panel, capsys):
    _, _, session = panel
    print_tokens(session)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(f"--token {a.token}" in line for a, line in zip(session.accounts, lines))
    assert "gridcc connect ws://127.0.0.1:" in lines[0]


def test_the_panel_speaks_chinese(chinese, qtbot):
    from widgets.trainer.controls import TimeControls
    from widgets.trainer.scorecard import ScorecardPanel

    controls = TimeControls()
    qtbot.addWidget(controls)
    assert controls.play_button.text() == "开始" and controls.reset_button.text() == "重置"
    controls.set_running(True)
    assert controls.play_button.text() == "暂停" and controls.state_label.text() == "运行中 · 60×"
    panel = ScorecardPanel(COLUMNS)
    qtbot.addWidget(panel)
    panel.set_rows([{"name": "学员一", "sla_breaches": 2, "mistakes": 0}])
    model = panel.model
    assert model.headerData(model.figures.index("sla_breaches"), Qt.Orientation.Vertical) == "超期事件"
    assert model.data(model.index(model.figures.index("sla_breaches"), 0)) == "2"


def test_a_refused_replay_says_why_in_words_without_paths_and_reset_clears_the_log(qtbot, panel, tmp_path):
    import shutil

    from backend.training.record import RECORD_FILE, STORE_FILE

    window, controller, session = panel
    empty = tmp_path / "empty-session"
    empty.mkdir()
    shutil.copy(session.folder / RECORD_FILE, empty / RECORD_FILE)
    from backend.store import Store

    Store.open(f"sqlite:///{empty / STORE_FILE}", require_current=False).migrate()  # a store without events
    messages = []
    window.status.messageChanged.connect(messages.append)
    controller.start_replay(str(empty), 60.0)
    settle(qtbot, controller)
    assert controller.replay is None
    text = next(m for m in messages if m)
    assert "no events" in text and "/" not in text and "sqlite" not in text.lower()

    window.inject.add_log("12:00 E1 test")
    controller._after_restart()
    assert window.inject.log_list.count() == 0
