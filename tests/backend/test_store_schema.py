"""Migrations: from empty to head, refusing unmigrated and newer databases, models = migration."""

from __future__ import annotations

import msgspec
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from backend.gridwork.tables import GridworkBase
from backend.store import SchemaError, Store
from backend.store.engine import resolve_url
from backend.store.models import Base
from domain.commands import CommandRequest

HEAD = "0011"  # the newest revision in backend/store/migrations/versions


def test_migrate_from_empty(open_store):
    store = open_store(require_current=False)
    before = store.schema_status()
    assert (before.state, before.current, before.head) == ("empty", None, HEAD)
    after = store.migrate()
    assert (after.state, after.current) == ("current", HEAD)
    epoch, head = store.head()
    assert head == 0 and len(epoch) == 16
    tables = set(inspect(store.engine).get_table_names())
    assert {"nodes", "departments", "grid_workers", "users", "cases", "case_events", "command_log",
            "supervision_orders", "stream", "alembic_version"} <= tables
    # Migrating again is a no-op that keeps the stream.
    store.migrate()
    assert store.head() == (epoch, 0)


def test_migration_matches_models(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), [Base.metadata, GridworkBase.metadata])
    assert diff == []


def test_sweeper_and_feed_indexes_exist(store):
    names = {ix["name"] for t in ("cases", "case_events") for ix in inspect(store.engine).get_indexes(t)}
    assert {"ix_cases_node_state", "ix_cases_sweeper", "ix_cases_closed_at", "ix_case_events_case_id",
            "ix_case_events_node"} <= names


def test_unmigrated_database_is_refused_with_the_command_to_run(open_store, db_url):
    with pytest.raises(SchemaError) as err:
        open_store()
    message = str(err.value)
    assert f"is not migrated (revision none, head {HEAD})" in message
    assert "run `gridcc-hub migrate --db " in message


def test_newer_database_is_refused(open_store):
    store = open_store(require_current=False)
    store.migrate()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    assert store.schema_status().state == "ahead"
    with pytest.raises(SchemaError, match=r"is newer than this hub \(revision 0099 unknown.*upgrade GridCC"):
        open_store()
    with pytest.raises(SchemaError, match="upgrade GridCC"):
        store.migrate()


def test_each_database_gets_its_own_epoch(tmp_path):
    epochs = set()
    for name in ("a.db", "b.db"):
        store = Store.open(str(tmp_path / name), require_current=False)
        store.migrate()
        epochs.add(store.head()[0])
        store.close()
    assert len(epochs) == 2


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    store = Store.open(str(tmp_path / "hub.db"), require_current=False)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    store.close()


def test_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("GRIDCC_DB_URL", raising=False)
    assert resolve_url(str(tmp_path / "x.db")).database == str(tmp_path / "x.db")
    assert resolve_url("postgresql://u:secret@h/db").drivername == "postgresql+psycopg"
    monkeypatch.setenv("GRIDCC_DB_URL", f"sqlite:///{tmp_path}/env.db")
    assert resolve_url().database == f"{tmp_path}/env.db"
    with pytest.raises(ValueError, match="in-memory"):
        resolve_url("sqlite://")
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        resolve_url("mysql://u@h/db")


def test_password_is_masked(pg_session_url):
    store = Store.open(pg_session_url, require_current=False)
    try:
        password = store.url.password
        assert password
        for shown in (str(store.url), repr(store)):
            assert f":{password}@" not in shown and ":***@" in shown
        assert f":{password}@" in store.raw_dsn() and store.raw_dsn().startswith("postgresql://")
    finally:
        store.close()


def test_a_database_at_0001_is_refused_then_upgraded_keeping_its_data(open_store, db_url):
    """A hub from before revision 0002 left data behind: the new hub says what to run, and migrate keeps it."""
    from alembic import command

    from backend.store.schema import alembic_config
    from domain.model import Action, Actor, Args, Role, Source, Urgency
    from domain.rules import default_rules

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    assert store.schema_status().state == "behind"
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO command_log (client_id, command_id, created_at, request_hash, answer) "
                          "VALUES ('old', 'c1', 1.0, 'h', '{}')"))
    with pytest.raises(SchemaError, match="gridcc-hub migrate"):
        open_store()
    store.migrate()
    assert store.schema_status().state == "current"
    with store.engine.connect() as conn:
        # logged before any user was recorded and refused: kept, but under no signed-in user
        assert conn.execute(text("SELECT user_id FROM command_log WHERE command_id = 'c1'")).scalar() == ""
    actor = Actor(id="op-7", role=Role.OPERATOR, scope="370202001", name="x")
    store.execute(CommandRequest(client_id="new", id="c2", action=Action.REPORT, case_id=None, expected_version=None,
                                 args=Args(node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                                           source=Source.RESIDENT),
                                 actor=actor), 1773108000.0, default_rules())
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT user_id FROM command_log WHERE command_id = 'c2'")).scalar() == "op-7"


def test_a_database_at_0002_moves_command_ids_under_their_users(open_store):
    """Revision 0004 keys the command log by user: old rows keep their answers under their sender."""
    from alembic import command

    from backend.store.schema import alembic_config
    from domain.model import Action, Actor, Args, Role, Source, Urgency
    from domain.rules import default_rules

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO case_events (seq, epoch, case_id, kind, at, actor, node, body) "
                          "VALUES (7, 'e', 'QD1', 'report', 1.0, 'op-old', '370202001001001', '{}')"))
        conn.execute(text("INSERT INTO command_log (client_id, command_id, created_at, request_hash, answer, user_id) "
                          "VALUES ('shared', 'k1', 1.0, 'h', '{\"type\": \"command_ack\", \"seq\": 7}', NULL), "
                          "('shared', 'k2', 1.0, 'h', '{\"type\": \"command_error\"}', NULL), "
                          "('shared', 'k3', 1.0, 'h', '{}', 'op-new')"))
    store.migrate()
    with store.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT command_id, user_id FROM command_log")).all())
    assert rows == {"k1": "op-old", "k2": "", "k3": "op-new"}
    # another user may now use the same client id and command id
    actor = Actor(id="op-other", role=Role.OPERATOR, scope="370202001", name="x")
    answer = store.execute(CommandRequest(client_id="shared", id="k3", action=Action.REPORT, case_id=None,
                                          expected_version=None,
                                          args=Args(node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                                                    source=Source.RESIDENT),
                                          actor=actor), 1773108000.0, default_rules())
    from domain.protocol import CommandAck

    assert isinstance(answer, CommandAck) and not answer.replayed


def test_a_database_at_0007_keeps_its_cases_through_the_loop_revision(open_store):
    """Revision 0008 adds the loop's columns; old cases stay readable, never reopened, never late at a step."""
    from alembic import command

    from backend.store.schema import alembic_config
    from domain.model import Case, SlaState, Source, State, Urgency

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
    old = Case(id="OLD-1", node="370202001001001", category="03001", urgency=Urgency.NORMAL, source=Source.RESIDENT,
               state=State.SUSPENDED, version=5, reported_at=1.0, reported_by="x", suspended_at=2.0)
    body = msgspec.json.encode(old).decode()
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO cases (id, node, category, urgency, state, version, owner_level, reported_at, "
                          "sla_state, body) VALUES ('OLD-1', '370202001001001', '03001', 'normal', 'suspended', 5, "
                          "3, 1.0, 'none', :body)"), {"body": body})
    store.migrate()
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT reopen_count, stages_late, stage_sla, suspended_until, request_kind "
                                "FROM cases WHERE id = 'OLD-1'")).one()
    assert tuple(row) == (0, "", "none", None, None)
    assert store.due_for_sla(10.0**10) == []  # a suspension without an end date is never resumed by the clock
    [case] = store.snapshot("370202001", 3.0).cases
    assert case.id == "OLD-1" and case.stage_sla is SlaState.NONE and case.request is None


def test_a_database_at_0009_gets_its_sign_clocks_swept_after_revision_0010(open_store):
    """Revision 0010 copies a dispatched case's 签收 deadline from its body into the indexed columns."""
    from alembic import command

    from backend.store.schema import alembic_config
    from domain.model import Action, Case, Source, State, Urgency

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0009")
    rows = {
        "OLD-S": Case(id="OLD-S", node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                      source=Source.RESIDENT, state=State.DISPATCHED, version=3, reported_at=1.0, reported_by="x",
                      department="szyl", sign_deadline=100.0),
        "OLD-C": Case(id="OLD-C", node="370202001001001", category="10103", urgency=Urgency.NORMAL,
                      source=Source.RESIDENT, state=State.CLOSED, version=6, reported_at=1.0, reported_by="x"),
    }
    with store.engine.begin() as conn:
        for case in rows.values():
            conn.execute(text("INSERT INTO cases (id, node, category, urgency, state, version, owner_level, "
                              "reported_at, sla_state, body) VALUES (:id, '370202001001001', '10103', 'normal', "
                              ":state, :version, 3, 1.0, 'none', :body)"),
                         {"id": case.id, "state": case.state.value, "version": case.version,
                          "body": msgspec.json.encode(case).decode()})
    store.migrate()
    with store.engine.connect() as conn:
        got = dict(conn.execute(text("SELECT id, sign_sla FROM cases ORDER BY id")).all())
        deadline = conn.execute(text("SELECT sign_deadline FROM cases WHERE id = 'OLD-S'")).scalar_one()
    assert got == {"OLD-C": "none", "OLD-S": "none"} and deadline == 100.0
    assert store.due_for_sla(99.0) == []
    assert store.due_for_sla(100.0) == [("OLD-S", Action.SLA_OVERDUE)]  # no warning stored: overdue at the deadline
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("cases")}
    assert "ix_cases_sign_sweeper" in names


def test_head_revision_read_from_the_scripts_is_alembics_head():
    from alembic.script import ScriptDirectory

    from backend.store.schema import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_a_store_at_head_opens_without_importing_alembic_or_the_orm(open_store, db_url):
    """A city copied from the cache opens at the head: the status comes from its version row.

    Nor does any store module import SQLAlchemy's ORM (backend.store.declare): ~11 MB resident."""
    import subprocess
    import sys
    from pathlib import Path

    open_store(require_current=False).migrate()
    code = ("import sys; from backend.store import Store; s = Store.open(sys.argv[1]); "
            "import backend.gridwork.store, backend.intake.store, backend.hub; "
            "print(s.schema_status().state, *(any(m == p or m.startswith(p + '.') for m in sys.modules) "
            "for p in ('alembic', 'sqlalchemy.orm')))")
    root = Path(__file__).resolve().parents[2]  # this checkout, ahead of any installed copy
    out = subprocess.run([sys.executable, "-c", code, db_url], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split() == ["current", "False", "False"]
