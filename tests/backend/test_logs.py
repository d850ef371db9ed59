"""The hub's log lines as journald and log shippers read them."""

from __future__ import annotations

import json
import logging

import pytest

from backend import logs


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_under_systemd_text_lines_carry_the_journald_priority(monkeypatch, capsys):
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    logs.setup("text", "info")
    logging.getLogger("backend.hub").warning("client %s is %d events behind", "c-1", 12000)
    logging.getLogger("backend.hub").info("listening")
    logging.getLogger("backend.hub").debug("not shown at info")
    assert capsys.readouterr().err.splitlines() == [
        "<4>WARNING backend.hub: client c-1 is 12000 events behind", "<6>INFO backend.hub: listening"]


def test_json_lines_hold_time_level_logger_message_and_the_traceback(capsys):
    logs.setup("json", "warning")
    try:
        raise ValueError("bad row")
    except ValueError:
        logging.getLogger("backend.store").exception("import failed: %s", "事件")
    line = capsys.readouterr().err.strip()
    record = json.loads(line)
    assert record["level"] == "error" and record["logger"] == "backend.store"
    assert record["message"] == "import failed: 事件"  # UTF-8 as is, not \\u escapes
    assert "ValueError: bad row" in record["exc"] and record["ts"].endswith("+00:00")
    assert "\n" not in line  # one record, one line, whatever the traceback
