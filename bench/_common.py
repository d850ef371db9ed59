"""Shared pieces of the hub benchmarks: scratch databases, users, feed clients, figures.

Everything here talks to a real hub over real sockets; nothing is simulated. The
PostgreSQL scratch database is created next to the one ``$GRIDCC_PG_URL`` names and
dropped afterwards, so a benchmark never touches another helper's tables.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain import protocol as p  # noqa: E402
from domain.model import Action, Args, Source, Urgency  # noqa: E402

#: The street-level scope every benchmark user works in, and the grid its cases are reported at.
SCOPE = "370202"
GRID = "370202001001001"
CATEGORY = "10103"
#: Description prefix; the writer's time.time() follows in a fixed width, so frames keep one size.
STAMP_PREFIX = "bench t="


# ---- the code as installed ------------------------------------------------------------------------
#: The project's packages (the rest of the environment was compiled when pip installed it).
PACKAGES = ("domain", "backend", "backend_client", "widgets", "desktop", "resources")


def compile_project() -> str:
    """Write the project's bytecode (``__pycache__``) before a start-up is timed: an installed
    GridCC, or one started once before, has it. With ``PYTHONDONTWRITEBYTECODE`` set (some shells
    and CI set it) every start would compile all ~290 modules again, ~0.3 s of CPU here. Python
    still reads bytecode that exists. Returns a line for the report."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    ok = all(compileall.compile_dir(str(root / name), quiet=1) for name in PACKAGES if (root / name).is_dir())
    return "project bytecode: " + ("written before timing, as installed" if ok else "NOT all compiled")


# ---- databases ---------------------------------------------------------------------------------
def pg_base_url() -> str | None:
    return os.environ.get("GRIDCC_PG_URL") or None


@contextlib.contextmanager
def scratch_database(kind: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of an empty database: ``sqlite`` (a file in ``workdir``), ``postgresql``
    (a scratch database beside $GRIDCC_PG_URL, dropped afterwards) or a full SQLAlchemy URL
    (used as is, never dropped)."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    if kind != "postgresql":
        yield kind
        return
    base = pg_base_url()
    if base is None:
        raise SystemExit("--db postgresql needs $GRIDCC_PG_URL, e.g. "
                         "postgresql+psycopg://gridcc:gridcc@127.0.0.1:5432/gridcc_test")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"gridcc_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare_store(url: str, names: tuple[str, ...]) -> dict[str, str]:
    """Migrate the database and add one operator of SCOPE per name; returns name → token."""
    from backend.store import Store

    store = Store.open(url, require_current=False)
    try:
        store.migrate()
        return {name: store.add_user(name, "operator", SCOPE)[1] for name in names}
    finally:
        store.close()


def describe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


#: `gridcc-hub serve` options that lift the per-connection and per-user command limits, for the
#: benchmarks that measure what one hub sustains (one benchmark user sends far more than a person).
UNTHROTTLED = ("--max-in-flight", "100000", "--user-rate", "100000", "--user-burst", "100000")


# ---- frames --------------------------------------------------------------------------------------
def stamp(t: float) -> str:
    """A description holding ``t``; always the same length for times of this century."""
    return f"{STAMP_PREFIX}{t:017.6f}"


def report_command(command_id: str, t: float) -> str:
    """The encoded REPORT command a benchmark writer sends, stamped with its send time."""
    return p.encode(p.Command(
        id=command_id, action=Action.REPORT, case_id=None, expected_version=None,
        args=Args(node=GRID, category=CATEGORY, urgency=Urgency.NORMAL, source=Source.GRID_WORKER,
                  description=stamp(t)),
    )).decode()


class _LightCase(msgspec.Struct):
    id: str = ""
    description: str = ""


class _LightEvent(msgspec.Struct):
    seq: int
    case: _LightCase


class LightFrame(msgspec.Struct):
    """Just what a benchmark client reads of a server frame; the rest is skipped unparsed."""

    type: str
    events: list[_LightEvent] = []
    command_id: str = ""
    case_id: str = ""
    code: str = ""
    message: str = ""


light_decoder = msgspec.json.Decoder(LightFrame)


def stamped_time(description: str) -> float | None:
    if description.startswith(STAMP_PREFIX):
        return float(description[len(STAMP_PREFIX):])
    return None


def hello(client_id: str) -> str:
    return p.encode(p.Hello(protocol=p.PROTOCOL_VERSION, client_id=client_id, client_name="bench")).decode()


def subscribe(scope: str = SCOPE) -> str:
    return p.encode(p.Subscribe(scope=scope)).decode()


def ping() -> str:
    return p.encode(p.Ping(t=time.time())).decode()


async def keepalive(conns, every: float = 10.0) -> None:
    """Ping every ``every`` s, well inside the hub's 3 × 15 s silence limit (close 4003)."""
    import asyncio

    while True:
        await asyncio.sleep(every)
        for ws in list(conns):
            try:
                await ws.send(ping())
            except Exception:  # a closed connection shows in its close code
                pass


async def open_feed(url: str, token: str | None, client_id: str, *, subscribe_scope: str | None = SCOPE):
    """An asyncio websockets connection that said hello and (optionally) took its snapshot.

    With ``token=None`` it is a bare connection (the broadcast peer has no protocol).
    """
    from websockets.asyncio.client import connect

    headers = {"Authorization": f"Bearer {token}"} if token else None
    ws = await connect(url, additional_headers=headers, compression=None, proxy=None,
                       max_size=p.MAX_SERVER_FRAME_BYTES, ping_interval=None, open_timeout=30)
    if token is None:
        return ws
    await ws.send(hello(client_id))
    welcome = light_decoder.decode(await ws.recv())
    while welcome.type == "heartbeat":  # a busy hub's heartbeat may come first
        welcome = light_decoder.decode(await ws.recv())
    if welcome.type != "welcome":
        raise RuntimeError(f"{client_id}: expected welcome, got {welcome.type}")
    if subscribe_scope is not None:
        await ws.send(subscribe(subscribe_scope))
        while light_decoder.decode(await ws.recv()).type != "snapshot_end":
            pass
    return ws


# ---- figures -------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def machine_note() -> str:
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
            f"(1/5/15 min), Python {sys.version.split()[0]}")
