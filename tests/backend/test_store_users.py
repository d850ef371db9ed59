"""Users: tokens are handed out once, only their hash is kept, bad input is refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from backend.store import Store, UserError
from domain.model import Actor, Role


def test_add_authenticate_list(store):
    uid, token = store.add_user("张三", Role.OPERATOR, "370202001")
    did, dtoken = store.add_user("城管值守", "department", "3702", department="cg")
    assert len(token) >= 40 and token != dtoken
    assert store.authenticate(token) == Actor(id=uid, role=Role.OPERATOR, scope="370202001", name="张三")
    assert store.authenticate(dtoken).department == "cg"
    assert store.authenticate(token + "x") is None
    assert store.authenticate("") is None
    listed = {u.id: u for u in store.list_users()}
    assert set(listed) == {uid, did}
    assert listed[uid].role is Role.OPERATOR and not listed[uid].disabled
    assert not hasattr(listed[uid], "token") and not hasattr(listed[uid], "token_hash")
    assert tuple(listed[uid])[:4] == (uid, "张三", Role.OPERATOR, "370202001")


def test_disabled_user_cannot_sign_in(store):
    uid, token = store.add_user("李四", Role.WALL, "")
    store.set_user_disabled(uid)
    assert store.authenticate(token) is None
    store.set_user_disabled(uid, False)
    assert store.authenticate(token).id == uid
    with pytest.raises(UserError, match="no user with id 'nobody'"):
        store.set_user_disabled("nobody")


def test_token_is_not_stored(tmp_path):
    path = tmp_path / "hub.db"
    store = Store.open(str(path), require_current=False)
    store.migrate()
    _, token = store.add_user("王五", Role.ADMIN, "")
    with store.engine.connect() as conn:  # fold the WAL into the main file before reading bytes
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    blob = b"".join(p.read_bytes() for p in Path(tmp_path).iterdir() if p.name.startswith("hub.db"))
    assert b"\xe7\x8e\x8b\xe4\xba\x94" in blob  # the name is there ("王五")...
    assert token.encode() not in blob  # ...the token is not


def test_token_not_in_user_rows(store):
    _, token = store.add_user("赵六", Role.SUPERVISOR, "3702")
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM users")).all()
    assert token not in repr(rows)


@pytest.mark.parametrize(
    "name, role, scope, department, message",
    [
        ("", Role.OPERATOR, "3702", None, "user name is empty"),
        ("a", "boss", "3702", None, "unknown role 'boss'"),
        ("a", Role.SYSTEM, "3702", None, "belongs to the hub itself"),
        ("a", Role.OPERATOR, "37x2", None, "scope of user 'a'"),
        ("a", Role.OPERATOR, "370", None, "has 3 digits"),
        ("a", Role.DEPARTMENT, "3702", None, "no department code"),
    ],
)
def test_bad_users_are_refused(store, name, role, scope, department, message):
    with pytest.raises(UserError, match=message):
        store.add_user(name, role, scope, department)
    assert store.list_users() == []
