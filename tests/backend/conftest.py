"""Store fixtures over both databases: a SQLite file in tmp_path and a real PostgreSQL.

PostgreSQL: ``GRIDCC_PG_URL`` names a database the role may connect to with CREATEDB
rights; the session creates its own database next to it (so helpers sharing the server
never see each other's tables) and every test starts from an empty public schema.
Without ``GRIDCC_PG_URL`` the PostgreSQL cases skip, unless ``GRIDCC_REQUIRE_PG=1``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backend.store import Store
from domain.commands import CommandRequest
from domain.model import Action, Actor, Args, Case, Role, Source, Urgency
from domain.protocol import CommandAck
from domain.rules import Rules, default_rules

DIALECTS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    """URL of a database made for this test session, dropped at its end."""
    base = os.environ.get("GRIDCC_PG_URL")
    if not base:
        if os.environ.get("GRIDCC_REQUIRE_PG") == "1":
            pytest.fail("GRIDCC_REQUIRE_PG=1 but GRIDCC_PG_URL is not set")
        pytest.skip("PostgreSQL tests need GRIDCC_PG_URL (e.g. postgresql+psycopg://gridcc:gridcc@127.0.0.1/gridcc_test)")
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"gridcc_store_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("GRIDCC_REQUIRE_PG") == "1":
            raise
        pytest.skip(f"PostgreSQL at {url} is not usable: {exc}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=DIALECTS)
def db_url(request, tmp_path) -> str:
    """An empty, unmigrated database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    url = request.getfixturevalue("pg_session_url")
    _reset_pg(url)
    return url


@pytest.fixture
def open_store(db_url) -> Iterator[Callable[..., Store]]:
    """Open more Store objects on the test's database (closed at teardown)."""
    opened: list[Store] = []

    def _open(**kwargs) -> Store:
        store = Store.open(db_url, **kwargs)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store) -> Store:
    """A migrated store on a fresh database, SQLite and PostgreSQL."""
    s = open_store(require_current=False)
    s.migrate()
    return s


@pytest.fixture(scope="session")
def rules() -> Rules:
    return default_rules()


# ---- a small driver for command tests --------------------------------------------------------
STREET = "370202001"
GRID = "370202001001001"
OTHER_GRID = "370202001001002"
#: Tuesday 2026-03-10 10:00 CST, a working day.
T0 = 1773108000.0
OPERATOR = Actor(id="op1", role=Role.OPERATOR, scope=STREET, name="值班员")
DEPARTMENT = Actor(id="dept1", role=Role.DEPARTMENT, scope="3702", name="市政园林", department="szyl")
SUPERVISOR = Actor(id="sup1", role=Role.SUPERVISOR, scope="3702", name="督查")


class Driver:
    """Runs commands through ``store.execute`` with fresh command ids, as a client would."""

    def __init__(self, store: Store, rules: Rules, client_id: str = "client-a") -> None:
        self.store, self.rules, self.client_id = store, rules, client_id
        self.n = 0

    def next_id(self) -> str:
        self.n += 1
        return f"c{self.n}"

    def request(self, action: Action, case_id: str | None, now: float, actor: Actor = OPERATOR,
                expected_version: int | None = None, command_id: str | None = None, **args) -> CommandRequest:
        return CommandRequest(client_id=self.client_id, id=command_id or self.next_id(), action=action,
                              case_id=case_id, expected_version=expected_version, args=Args(**args), actor=actor)

    def run(self, action: Action, case_id: str | None, now: float, actor: Actor = OPERATOR,
            expected_version: int | None = None, command_id: str | None = None, **args):
        request = self.request(action, case_id, now, actor, expected_version, command_id, **args)
        return self.store.execute(request, now, self.rules)

    def report(self, now: float = T0, node: str = GRID, category: str = "10103", **kw):
        answer = self.run(Action.REPORT, None, now, node=node, category=category, urgency=Urgency.NORMAL,
                          source=Source.GRID_WORKER, description="井盖缺失", **kw)
        assert isinstance(answer, CommandAck), answer
        return answer.case

    def step(self, case: Case, action: Action, now: float, actor: Actor = OPERATOR, **args) -> Case:
        answer = self.run(action, case.id, now, actor, expected_version=case.version, **args)
        assert isinstance(answer, CommandAck), answer
        return answer.case

    def dispatched(self, now: float = T0, **kw) -> Case:
        case = self.report(now, **kw)
        case = self.step(case, Action.ACCEPT, now)
        return self.step(case, Action.DISPATCH, now, department="szyl")


@pytest.fixture
def driver(store, rules) -> Driver:
    return Driver(store, rules)
