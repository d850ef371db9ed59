"""`gridcc-hub` as a person runs it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backend.store import Store


def hub_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **(env or {})))


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


def test_help_lists_the_commands():
    out = hub_cli("--help")
    assert out.returncode == 0
    for word in ("serve", "migrate", "user", "status", "import", "simulate", "report"):
        assert word in out.stdout


def test_unmigrated_database_is_refused_with_what_to_run(db):
    out = hub_cli("serve", "--db", db, "--port", "0")
    assert out.returncode == 2
    assert "gridcc-hub migrate" in out.stderr
    assert "Traceback" not in out.stderr


def test_migrate_user_add_list_status(db, tmp_path):
    assert hub_cli("migrate", "--db", db).returncode == 0
    added = hub_cli("user", "add", "--db", db, "--name", "张三", "--role", "operator", "--scope", "370202001")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert len(token) >= 32
    store = Store.open(db)
    try:
        actor = store.authenticate(token)
        assert actor is not None and actor.scope == "370202001" and actor.name == "张三"
    finally:
        store.close()
    listed = hub_cli("user", "list", "--db", db)
    assert "张三" in listed.stdout and token not in listed.stdout
    status = hub_cli("status", "--db", db, env={"GRIDCC_STATE_DIR": str(tmp_path / "state")})
    assert status.returncode == 0
    assert "head sequence: 0" in status.stdout and "hubs running: 0" in status.stdout


def test_bad_scope_and_missing_department_are_clear(db):
    hub_cli("migrate", "--db", db)
    bad = hub_cli("user", "add", "--db", db, "--name", "x", "--role", "operator", "--scope", "12345")
    assert bad.returncode == 2 and "12345" in bad.stderr and "digits" in bad.stderr
    dept = hub_cli("user", "add", "--db", db, "--name", "x", "--role", "department", "--scope", "3702")
    assert dept.returncode == 2 and "--department" in dept.stderr


def test_import_real_divisions_and_boundaries(db, shared_data):
    hub_cli("migrate", "--db", db)
    out = hub_cli("import", "divisions", "--db", db, str(shared_data / "qingdao_divisions.csv"))
    assert out.returncode == 0, out.stderr
    assert "153" in out.stdout
    out = hub_cli("import", "boundaries", "--db", db, str(shared_data / "qingdao_districts.geojson"))
    assert out.returncode == 0, out.stderr
    assert "10" in out.stdout
    store = Store.open(db)
    try:
        node = store.node("370202")
        assert node.name == "市南区" and node.geometry is not None
    finally:
        store.close()


def test_bad_csv_row_is_reported_and_nothing_imported(db, tmp_path):
    hub_cli("migrate", "--db", db)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n37,山东省,province,\n3702,青岛市,city,37\n370299x,坏,district,3702\n",
                   encoding="utf-8")
    out = hub_cli("import", "divisions", "--db", db, str(bad))
    assert out.returncode == 2 and "line 4" in out.stderr
    store = Store.open(db)
    try:
        assert store.node("3702") is None
    finally:
        store.close()


def test_status_sees_a_running_hub(db, tmp_path):
    from backend.testing import HubProcess

    hub_cli("migrate", "--db", db)
    with HubProcess(db, tmp_path) as hub:
        state = {"GRIDCC_STATE_DIR": str(tmp_path / "state")}
        out = hub_cli("status", "--db", db, env=state)
        assert "hubs running: 1" in out.stdout and str(hub.port) in out.stdout
