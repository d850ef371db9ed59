"""Operations: a new epoch after a restore, archiving old events, whole-tree users, the calendar
warning, and a GBK import that says what it is. SQLite and PostgreSQL where the store is involved."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backend.embedded import HubThread
from backend.store.archive import MIN_AGE, ArchiveError, archive_events, new_epoch, read_archive
from backend.store.users import UserError
from domain import protocol as p
from domain.model import Role
from tests.backend.feedclient import FeedClient

from .conftest import T0, Driver

DAY = 86400.0


def hub_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **(env or {})))


def test_new_epoch_makes_resuming_consoles_take_a_snapshot(store, rules):
    token = store.add_user("值班员", "operator", "370202001")[1]
    Driver(store, rules).report(T0)
    old_epoch, head = store.head()
    old, fresh = new_epoch(store)
    assert old == old_epoch and fresh != old and store.head() == (fresh, head)
    with HubThread(store, rules=rules, heartbeat_interval=60) as hub:
        client = FeedClient(hub.url, token)
        assert client.welcome.epoch == fresh
        answer = client.subscribe("370202001", resume=p.Resume(epoch=old, seq=head))
        assert isinstance(answer, p.SnapshotRequired) and answer.epoch == fresh
        ack = client.command(p.Action.REPORT, node="370202001001001", category="10103", urgency="normal",
                             source="grid_worker")
        assert isinstance(ack, p.CommandAck) and store.events_after(head, 10)[0].epoch == fresh


def test_archive_moves_a_prefix_out_and_resume_from_before_it_needs_a_snapshot(store, rules, tmp_path):
    token = store.add_user("值班员", "operator", "370202001")[1]
    driver = Driver(store, rules)
    old = [driver.report(T0 + i) for i in range(5)]  # 5 events on day 0
    young = [driver.report(T0 + 10 * DAY + i) for i in range(3)]  # 3 events ten days later
    path = tmp_path / "events.jsonl.gz"
    now = T0 + 20 * DAY
    with pytest.raises(ArchiveError, match="stay in the database"):
        archive_events(store, now - DAY, path, now)
    header = archive_events(store, T0 + DAY, path, now)
    assert (header.from_seq, header.to_seq, header.count) == (1, 5, 5)
    read, events = read_archive(path)
    assert read == header and [e.case.id for e in events] == [c.id for c in old]
    assert store.oldest_seq() == 6 and [e.seq for e in store.events_after(5, 10)] == [6, 7, 8]
    with pytest.raises(ArchiveError, match="never overwritten"):
        archive_events(store, T0 + DAY, path, now)
    with pytest.raises(ArchiveError, match="no events older"):
        archive_events(store, T0 + DAY, tmp_path / "again.jsonl.gz", now)
    epoch = store.head()[0]
    with HubThread(store, rules=rules, heartbeat_interval=60) as hub:
        before = FeedClient(hub.url, token).subscribe("370202001", resume=p.Resume(epoch=epoch, seq=2))
        assert isinstance(before, p.SnapshotRequired) and "no longer kept" in before.reason
        at_cut = FeedClient(hub.url, token)
        resumed = at_cut.subscribe("370202001", resume=p.Resume(epoch=epoch, seq=5))
        assert isinstance(resumed, p.Resumed)
        at_cut.pump(lambda: len(at_cut.events) == 3)
        assert [e.case.id for e in at_cut.events] == [c.id for c in young]
    assert MIN_AGE == 7 * DAY


def test_whole_tree_scope_is_for_watching_roles(store):
    for role in (Role.ADMIN, Role.SUPERVISOR, Role.WALL):
        store.add_user(f"全市{role.value}", role, "")
    for role in (Role.OPERATOR, Role.DEPARTMENT, Role.GRID_WORKER, Role.TRAINER):
        with pytest.raises(UserError, match="whole tree"):
            store.add_user("x", role, "", "cg" if role is Role.DEPARTMENT else None)


def test_cli_epoch_archive_and_whole_tree_user(tmp_path):
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    env = {"GRIDCC_STATE_DIR": str(tmp_path / "state")}
    assert hub_cli("migrate", "--db", db).returncode == 0
    admin = hub_cli("user", "add", "--db", db, "--name", "管理员", "--role", "admin", "--scope", "")
    assert admin.returncode == 0, admin.stderr
    operator = hub_cli("user", "add", "--db", db, "--name", "值班员", "--role", "operator", "--scope", "")
    assert operator.returncode == 2 and "whole tree" in operator.stderr and "Traceback" not in operator.stderr
    epoch = hub_cli("epoch", "new", "--db", db, env=env)
    assert epoch.returncode == 0 and "→" in epoch.stdout, epoch.stderr
    archived = hub_cli("archive", "events", "--db", db, "--before", "2020-01-01", "--to", str(tmp_path / "a.gz"))
    assert archived.returncode == 2 and "no events older" in archived.stderr
    status = hub_cli("status", "--db", db, env=env)
    assert status.returncode == 0 and "working calendar covers: 2026" in status.stdout


def test_gbk_csv_import_names_the_encoding(tmp_path):
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    hub_cli("migrate", "--db", db)
    csv = tmp_path / "divisions.csv"
    csv.write_bytes("code,name,level,parent_code\n370202,市南区,2,3702\n".encode("gbk"))
    out = hub_cli("import", "divisions", "--db", db, str(csv))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "GBK/GB18030" in out.stderr and "UTF-8" in out.stderr and "iconv" in out.stderr


def test_hub_warns_about_a_year_without_calendar(store, rules, caplog):
    from backend.clock import SimClock

    caplog.set_level("WARNING", logger="backend.hub")
    clock = SimClock(start=1798761600.0 + 3 * DAY, paused=True)  # 2027-01-04, a year with no shipped calendar
    with HubThread(store, rules=rules, clock=clock, heartbeat_interval=60) as hub:
        warned = hub.hub.check_calendar(clock.now())
    if rules.calendar.covers(2027):
        assert warned is None
    else:
        assert warned is not None and "2027" in warned
        assert any("CALENDAR" in r.getMessage() and "2027" in r.getMessage() for r in caplog.records)


def test_status_warns_when_the_next_weeks_reach_an_uncovered_year(capsys):
    from backend.cli import calendar_status
    from domain.rules import default_rules

    mid_2026 = 1782864000.0  # 2026-07-01
    assert calendar_status(mid_2026) is None
    late_2026 = 1796256000.0  # 2026-12-03: deadlines reach into 2027 within 60 days
    warning = calendar_status(late_2026)
    assert (warning is None) == default_rules().calendar.covers(2027)
    assert "working calendar covers: 2026" in capsys.readouterr().out
