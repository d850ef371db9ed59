"""Evidence in the console against a real hub: attach, progress, thumbnails, viewer, dialogs."""

from __future__ import annotations

import pytest

from backend.embedded import HubThread
from backend.evidence.server import HttpSide
from backend.evidence.service import Evidence
from domain.commands import CommandRequest
from domain.model import Action, Stage, State
from domain.rules import evidence_rules
from tests.backend.evidence_files import photo
from tests.desktop.console.test_console import current, press_ok, report, select, wake


def show(qtbot, console, case_id):
    """Open a case in the detail whatever queue tab shows (a resolved case is not in 待受理)."""
    console.controller.show_case(case_id)
    qtbot.waitUntil(lambda: console.window.detail.case() is not None and console.window.detail.case().id == case_id
                    and console.window.detail.case().version == current(console, case_id).version)


@pytest.fixture
def ev_hub(city, tmp_path):
    evidence = Evidence.in_folder(tmp_path / "hub-data")
    with HubThread(city.store, rules=evidence_rules(), heartbeat_interval=2.0, http=HttpSide(evidence)) as running:
        yield running


@pytest.fixture
def open_ev_console(qtbot, tmp_path, ev_hub):
    from desktop.app import Console

    opened = []

    def _open(token: str):
        console = Console(ev_hub.url, token, outbox_path=tmp_path / f"c{len(opened)}-outbox.db", quiet=True,
                          http_url=ev_hub.hub.http.url)
        qtbot.addWidget(console.window)
        console.window.resize(1600, 1000)
        console.window.show()
        opened.append(console)
        return console

    yield _open
    for console in opened:
        console.close()


def test_attach_shows_progress_thumbnail_and_viewer_and_verify_needs_the_photos(qtbot, city, ev_hub,
                                                                                 open_ev_console, tmp_path):
    console = open_ev_console(city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    case = report(city)
    wake(ev_hub)
    select(qtbot, console, case.id)
    panel = console.window.detail.evidence
    assert panel.empty_label.isVisible() and panel.attach_button.isEnabled()

    before = tmp_path / "before.jpg"
    before.write_bytes(photo(1600, 1200))
    panel.set_stage(Stage.BEFORE_NEAR)
    panel.choose_files = lambda: [str(before)]
    panel.attach_button.click()
    qtbot.waitUntil(lambda: len(current(console, case.id).attachments) == 1, timeout=15000)
    qtbot.waitUntil(lambda: panel.thumbnail_count() == 1, timeout=15000)
    assert panel.list.count() == 1 and not panel.empty_label.isVisible()
    states = [label.text() for label, _bar in panel.upload_widgets.values()]
    assert states and "before.jpg" in states[0]

    # The viewer: the before photo on the left, fetched in full; zoom works.
    panel.list.itemClicked.emit(panel.list.item(0))
    viewer = console.evidence.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.loaded() == {current(console, case.id).attachments[0].sha256}, timeout=15000)
    assert not viewer.left.view.item.pixmap().isNull()
    zoom = viewer.left.view.zoom
    viewer.left.view.zoom_by(2.0)
    assert viewer.left.view.zoom == pytest.approx(zoom * 2.0)
    assert "36.06710" in viewer.left.caption.text()
    viewer.close()

    # The department's part is done on the hub; the verify dialog then asks for what is missing.
    from domain.model import Actor, Args, Role

    dept = Actor(id="d1", role=Role.DEPARTMENT, scope="", department="szyl")
    op = Actor(id="o1", role=Role.OPERATOR, scope=city.street)
    c = current(console, case.id)
    for action, args, who in ((Action.ACCEPT, Args(), op), (Action.DISPATCH, Args(department="szyl"), op),
                              (Action.SIGN, Args(), dept)):
        c = city.store.execute(CommandRequest(client_id="t", id=f"{action.value}-{c.id}", action=action, case_id=c.id,
                                              expected_version=c.version, args=args, actor=who),
                               c.updated_at + 1, evidence_rules()).case
    after = tmp_path / "after.jpg"
    after.write_bytes(photo(1600, 1200, color=(90, 90, 90)))
    wake(ev_hub)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.IN_PROGRESS, timeout=15000)
    qtbot.waitUntil(lambda: "处置后" in panel.missing_label.text() or "After" in panel.missing_label.text())
    panel.set_stage(Stage.AFTER)
    panel.attach([str(after)])  # as a file dropped on the case
    qtbot.waitUntil(lambda: len(current(console, case.id).attachments) == 2, timeout=15000)
    c = current(console, case.id)
    c = city.store.execute(CommandRequest(client_id="t", id=f"resolve-{c.id}", action=Action.RESOLVE, case_id=c.id,
                                          expected_version=c.version, args=Args(), actor=dept),
                           c.updated_at + 1, evidence_rules()).case
    wake(ev_hub)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.RESOLVED, timeout=15000)
    show(qtbot, console, case.id)
    console.controller.request_action(Action.VERIFY)
    qtbot.waitUntil(lambda: console.controller.dialog is not None)
    dialog = console.controller.dialog
    assert not dialog.ok_button.isEnabled()  # the verification photo is missing
    dialog.fail_radio.setChecked(True)
    dialog.reason_edit.setPlainText("未整改到位")
    assert dialog.ok_button.isEnabled()  # sending back for rework needs no photo
    dialog.pass_radio.setChecked(True)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: console.controller.dialog is None)
    verification = tmp_path / "check.jpg"
    verification.write_bytes(photo(1200, 900, color=(80, 100, 80)))
    panel.set_stage(Stage.VERIFICATION)
    panel.attach([str(verification)])
    qtbot.waitUntil(lambda: len(current(console, case.id).attachments) == 3, timeout=15000)
    show(qtbot, console, case.id)
    console.controller.request_action(Action.VERIFY)
    press_ok(qtbot, console)
    qtbot.waitUntil(lambda: current(console, case.id).state is State.CLOSED, timeout=15000)
