"""Alerts: a new 特急 case flashes, toasts and sounds; acknowledging it shows on every console."""

from __future__ import annotations

from domain.model import Urgency
from tests.desktop.console.test_console import report, rows, wake


def test_critical_case_alerts_and_acknowledgement_reaches_other_consoles(qtbot, city, hub, open_console):
    first = open_console(hub.url, city.token("operator", city.street), name="first")
    second = open_console(hub.url, city.token("operator", city.street), name="second")
    for console in (first, second):
        qtbot.waitUntil(lambda c=console: c.window.status.state().value == "live", timeout=15000)
    played = first.window.sound.played
    case = report(city, urgency=Urgency.CRITICAL)
    wake(hub)
    for console in (first, second):
        qtbot.waitUntil(lambda c=console: c.window.toasts.toast_for(case.id) is not None, timeout=10000)
    assert first.window.sound.played == played + 1
    assert case.id in first.controller.flashing
    qtbot.waitUntil(lambda: case.id in rows(first))  # the table follows on the next display tick

    first.window.toasts.toast_for(case.id).ack_button.click()
    user_id = first.actor.id
    qtbot.waitUntil(lambda: (second.client.replica.get(case.id).acknowledged_by == user_id), timeout=10000)
    qtbot.waitUntil(lambda: second.window.toasts.toast_for(case.id) is None, timeout=5000)
    second.controller.show_case(case.id)
    qtbot.waitUntil(lambda: second.window.detail.field_values["acknowledged_by"].text() != "")
    assert user_id not in second.window.detail.field_values["acknowledged_by"].text()  # a role, not a raw id
    first.controller.show_case(case.id)
    qtbot.waitUntil(lambda: first.actor.name in first.window.detail.field_values["acknowledged_by"].text())


def test_normal_case_does_not_alert(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    played = console.window.sound.played
    case = report(city, urgency=Urgency.NORMAL)
    wake(hub)
    qtbot.waitUntil(lambda: case.id in rows(console), timeout=10000)
    assert console.window.toasts.toast_for(case.id) is None and console.window.sound.played == played


def test_alarm_names_its_case_opens_it_and_never_covers_the_actions(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    from domain.queues import Queue

    console.window.tabs.set_current(Queue.SUPERVISED.value)  # a tab the new case is not in
    cases = [report(city, urgency=Urgency.CRITICAL) for _ in range(6)]
    wake(hub)
    alarms = console.window.alarms
    qtbot.waitUntil(lambda: all(alarms.entry_for(c.id) is not None for c in cases), timeout=10000)
    entry = alarms.entry_for(cases[2].id)
    assert cases[2].id in entry.title_label.text()
    assert console.directory.node_name(cases[2].node) in entry.text_label.text()
    qtbot.waitUntil(lambda: entry.time_label.text() != "")
    detail = console.window.detail
    for button in detail.buttons.values():  # nothing of the alarm list lies over an action button
        top_left = button.mapTo(console.window, button.rect().topLeft())
        rect = button.rect().translated(top_left)
        for alarm in alarms.entries():
            a = alarm.rect().translated(alarm.mapTo(console.window, alarm.rect().topLeft()))
            assert not (alarm.isVisible() and a.intersects(rect))
    entry.opened.emit(cases[2].id)  # what a click on the entry sends
    qtbot.waitUntil(lambda: detail.case() is not None and detail.case().id == cases[2].id)
    assert console.window.table.selected_case_id() == cases[2].id
    assert console.window.tabs.current_queue() in (Queue.INTAKE.value, Queue.ALL.value)


def test_a_console_opened_mid_shift_lists_the_alarms_still_waiting(qtbot, city, hub, open_console):
    waiting = report(city, urgency=Urgency.CRITICAL)
    wake(hub)
    console = open_console(hub.url, city.token("operator", city.street))
    played = console.window.sound.played
    qtbot.waitUntil(lambda: console.window.alarms.entry_for(waiting.id) is not None, timeout=15000)
    assert console.window.sound.played == played  # listed quietly: nothing new happened


def test_a_supervisor_acknowledges_an_alarm_for_the_wall(qtbot, city, hub, open_console):
    supervisor = open_console(hub.url, city.token("supervisor", city.district), scope=city.district, name="sup")
    qtbot.waitUntil(lambda: supervisor.window.status.state().value == "live", timeout=15000)
    case = report(city, urgency=Urgency.CRITICAL)
    wake(hub)
    alarms = supervisor.window.alarms
    qtbot.waitUntil(lambda: alarms.entry_for(case.id) is not None, timeout=10000)
    alarms.entry_for(case.id).ack_button.click()
    qtbot.waitUntil(lambda: supervisor.client.replica.get(case.id).acknowledged_by == supervisor.actor.id,
                    timeout=10000)
    assert alarms.entry_for(case.id) is None


def test_held_alerts_ring_nothing_and_are_listed_quietly_when_released(qtbot, city, hub, open_console):
    """The demo holds alarms while it catches up on past hours; released, what is outstanding shows, silently."""
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.status.state().value == "live", timeout=15000)
    console.controller.hold_alerts(True)
    played = console.window.sound.played
    case = report(city, urgency=Urgency.CRITICAL)
    wake(hub)
    qtbot.waitUntil(lambda: case.id in rows(console), timeout=10000)
    assert console.window.alarms.entry_for(case.id) is None and console.window.sound.played == played
    console.controller.hold_alerts(False)
    assert console.window.alarms.entry_for(case.id) is not None
    assert console.window.sound.played == played


def test_a_console_opened_mid_shift_lists_a_case_late_at_its_accept_step(qtbot, city, hub, open_console):
    """Not only 处置: a report nobody accepted within its 受理 limit is outstanding too."""
    import time

    from domain.model import SlaState

    late = report(city, when=time.time() - 3600)  # reported an hour ago, never accepted
    wake(hub)
    qtbot.waitUntil(lambda: city.store.case(late.id).stage_sla is SlaState.OVERDUE, timeout=15000)  # the sweeper
    console = open_console(hub.url, city.token("operator", city.street))
    qtbot.waitUntil(lambda: console.window.alarms.entry_for(late.id) is not None, timeout=15000)
