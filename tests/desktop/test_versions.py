"""Versions across an upgrade: a console and a hub that share no protocol say so, both ways; About shows them.

Real hubs (HubThread). "A newer hub" is a real hub whose welcome names protocol 3, as a future
release would; "a newer console" is a hello that claims protocol 3.
"""

from __future__ import annotations

import msgspec
import pytest
from PySide6.QtCore import qVersion

from backend.embedded import HubThread
from backend_client.probe import ProbeError, VersionMismatch, probe
from domain.messages import PROTOCOL_VERSION
from domain.version import APP_VERSION


@pytest.fixture
def newer_hub(city):
    running = HubThread(city.store, rules=city.rules, heartbeat_interval=2.0)
    plain = running.hub.welcome
    running.hub.welcome = lambda actor: msgspec.structs.replace(plain(actor), protocol=PROTOCOL_VERSION + 1,
                                                                server_version="9.0.0")
    with running:
        yield running


def test_the_hub_refuses_a_newer_console_and_says_which_side_to_upgrade(city, hub):
    with pytest.raises(VersionMismatch) as caught:
        probe(hub.url, city.token("operator", city.street), protocol=PROTOCOL_VERSION + 1)
    assert caught.value.hub_versions == (PROTOCOL_VERSION,) and caught.value.client_newer
    assert "upgrade the hub" in str(caught.value)


def test_the_hub_refuses_an_older_console(city, hub):
    with pytest.raises(VersionMismatch) as caught:
        probe(hub.url, city.token("operator", city.street), protocol=PROTOCOL_VERSION - 1)
    assert caught.value.hub_versions == (PROTOCOL_VERSION,) and not caught.value.client_newer
    assert "upgrade this console" in str(caught.value)


def test_the_console_refuses_a_newer_hub(city, newer_hub):
    with pytest.raises(VersionMismatch) as caught:
        probe(newer_hub.url, city.token("operator", city.street))
    assert caught.value.hub_versions == (PROTOCOL_VERSION + 1,) and caught.value.hub_release == "9.0.0"
    assert not caught.value.client_newer


def test_a_wrong_token_is_not_a_version_problem(city, hub):
    with pytest.raises(ProbeError) as caught:
        probe(hub.url, "not-a-token")
    assert not isinstance(caught.value, VersionMismatch)


def test_the_launcher_says_so_in_chinese(qtbot, city, newer_hub, chinese, tmp_path):
    from desktop.app import ConsoleLauncher

    launcher = ConsoleLauncher(newer_hub.url, city.token("operator", city.street), outbox_path=tmp_path / "o.db",
                               quiet=True, auto_retry_s=0, show=lambda w: w.show())
    try:
        assert launcher.start() is False
        problem = launcher.problem
        assert problem.headline.text() == "本控制台与平台的通信协议版本不一致"
        detail = problem.advice.text()  # in place of the network advice, which does not apply
        assert f"平台使用协议 {PROTOCOL_VERSION + 1}，本控制台使用协议 {PROTOCOL_VERSION}" in detail
        assert "请安装与平台匹配的控制台版本" in detail
        assert problem.detail_label.text() == ""  # no English technical line in a Chinese window
    finally:
        launcher.close()


def test_about_shows_the_app_protocol_qt_and_the_connected_hub(qtbot, city, hub, open_console):
    import PySide6

    console = open_console(hub.url, city.token("operator", city.street))
    console.about_action.trigger()
    dialog = console.window._gridcc_about
    qtbot.waitUntil(dialog.isVisible)
    shown = dialog.text()
    assert f"Version: {APP_VERSION}" in shown
    assert f"Protocol: {PROTOCOL_VERSION} (speaks {PROTOCOL_VERSION})" in shown
    assert f"Qt / PySide6: {qVersion()} / {PySide6.__version__}" in shown
    assert f"Hub: {hub.url}" in shown
    assert f"Hub name: {hub.hub.name}" in shown
    assert f"Hub version: {APP_VERSION}, protocol {PROTOCOL_VERSION}" in shown
    dialog.copy()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == shown
    dialog.close()
