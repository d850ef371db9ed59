"""`gridcc-hub`: serve, migrate, manage users, import real data, simulate, report.

Every failure a person can cause (a bad URL, an unmigrated database, a bad CSV
row) ends with one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

EXIT_USAGE = 2


def _fail(message: str) -> int:
    print(f"gridcc-hub: {message}", file=sys.stderr)
    return EXIT_USAGE


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None,
                        help="SQLAlchemy URL of the store (default: $GRIDCC_DB_URL, else a SQLite file "
                             "in the user data directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridcc-hub", description="GridCC hub: the live case feed and its store.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    from domain.version import version_line

    parser.add_argument("--version", action="version", version=version_line("gridcc-hub"))
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="settings file (default: $GRIDCC_HUB_CONFIG, else /etc/gridcc/hub.toml when present); "
                             "GRIDCC_HUB_<KEY> variables override it, flags override both")
    parser.add_argument("--log-format", choices=["text", "json"], default=None,
                        help="text lines (journald) or one JSON object a line (log shippers)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the websockets hub")
    _db_arg(serve)
    serve.add_argument("--host", default=None, help="listen address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="feed port (default 8765); 0 picks a free port")
    serve.add_argument("--port-file", type=Path, help="write the bound port here once listening")
    serve.add_argument("--name", default=None, help="name of this hub process in status output")
    serve.add_argument("--sweep-interval", type=float, default=None, help="seconds between deadline sweeps (1)")
    serve.add_argument("--sign-limit-minutes", type=float, default=None,
                       help="turn on the 签收 clock: minutes a department has from dispatch to sign (default off)")
    from backend.evidence.server import add_serve_arguments

    add_serve_arguments(serve)
    serve.add_argument("--max-in-flight", type=int, default=None,
                       help="unanswered commands per connection before `throttled` (default 64)")
    serve.add_argument("--user-rate", type=float, default=None,
                       help="commands per second per user before `throttled` (default 20)")
    serve.add_argument("--user-burst", type=int, default=None,
                       help="commands a user may send at once before the rate applies (default 100)")

    mig = sub.add_parser("migrate", help="create or upgrade the database schema (refused while a hub runs on it)")
    _db_arg(mig)

    user = sub.add_parser("user", help="manage users and their tokens")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION")
    add = user_sub.add_parser("add", help="add a user and print its token once")
    _db_arg(add)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True,
                     choices=["operator", "supervisor", "wall", "trainer", "department", "grid_worker", "admin"])
    add.add_argument("--scope", required=True,
                     help='node code of the jurisdiction, e.g. 370202001; "" is the whole tree '
                          "(admin, supervisor and wall only)")
    add.add_argument("--department", default=None, help="department code, for --role department")
    lst = user_sub.add_parser("list", help="list users (never their tokens)")
    _db_arg(lst)
    dis = user_sub.add_parser("disable", help="disable a user: its token stops working, open sessions are cut")
    _db_arg(dis)
    dis.add_argument("user_id")
    ena = user_sub.add_parser("enable", help="enable a disabled user again")
    _db_arg(ena)
    ena.add_argument("user_id")

    st = sub.add_parser("status", help="version, database and schema, head sequence, running hubs, calendar; "
                        "exit 1 when the database is not ready")
    _db_arg(st)

    chk = sub.add_parser("check-config", help="print the effective settings (secrets masked); exit 2 naming the "
                         "bad value")
    _db_arg(chk)

    ep = sub.add_parser("epoch", help="the event stream's epoch")
    ep_sub = ep.add_subparsers(dest="epoch_command", metavar="ACTION")
    ep_new = ep_sub.add_parser("new", help="start a new epoch (after restoring a backup); stop every hub first")
    _db_arg(ep_new)
    ep_new.add_argument("--force", action="store_true", help="even if a hub seems to run on this machine")

    arc = sub.add_parser("archive", help="move old data out of the database")
    arc_sub = arc.add_subparsers(dest="archive_kind", metavar="KIND")
    arc_ev = arc_sub.add_parser("events", help="move events older than --before to a gzip'd JSON-lines file")
    _db_arg(arc_ev)
    arc_ev.add_argument("--before", required=True, help="cut-off date YYYY-MM-DD (CST, exclusive); "
                                                          "at least 7 days ago")
    arc_ev.add_argument("--to", required=True, type=Path, dest="to", help="archive file to write, e.g. "
                                                                          "events-2026H1.jsonl.gz")

    imp = sub.add_parser("import", help="import real divisions or boundaries")
    imp_sub = imp.add_subparsers(dest="import_kind", metavar="KIND")
    div = imp_sub.add_parser("divisions", help="CSV with columns code,name,level,parent_code")
    _db_arg(div)
    div.add_argument("file", type=Path)
    div.add_argument("--grow", action="store_true",
                     help="also generate communities, grids and grid workers below the imported streets")
    div.add_argument("--seed", type=int, default=2023)
    bnd = imp_sub.add_parser("boundaries", help="GeoJSON FeatureCollection of outlines at any level (province to "
                             "grid), keyed by properties.adcode or properties.code; all or nothing")
    _db_arg(bnd)
    bnd.add_argument("file", type=Path)
    bnd.add_argument("--no-repair", action="store_true",
                     help="refuse self-intersecting outlines instead of repairing them")
    reg = imp_sub.add_parser("register", help="the grid register CSV (grids and special-care people), all or nothing")
    _db_arg(reg)
    reg.add_argument("file", type=Path)
    reg.add_argument("--as-of", default=None, help="when the data was drawn, YYYY-MM-DD (default: now)")

    from backend import cli_sim  # the simulator's and report's sub-commands live beside it

    cli_sim.add_commands(sub, _db_arg)
    from backend import cli_intake  # API keys and hotline files

    cli_intake.add_commands(sub, _db_arg)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from backend import config, logs

    try:
        settings = apply_config(args)
    except config.ConfigError as exc:
        return _fail(str(exc))
    level = "info" if args.verbose and settings["log_level"].source == "default" else settings["log_level"].value
    logs.setup(settings["log_format"].value, level)
    if args.command == "check-config":
        return cmd_check_config(args, settings)
    handler = {
        "serve": cmd_serve, "migrate": cmd_migrate, "user": cmd_user, "status": cmd_status,
        "import": cmd_import, "epoch": cmd_epoch, "archive": cmd_archive,
    }.get(args.command)
    if handler is None:
        from backend import cli_intake, cli_sim

        handler = cli_sim.HANDLERS.get(args.command) or cli_intake.HANDLERS[args.command]
    try:
        return handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a clear line, not a traceback; -v shows the trace
        if args.verbose:
            logging.exception("failed")
        return _fail(str(exc) or type(exc).__name__)


def apply_config(args) -> dict:
    """Fill ``args`` from the settings file and GRIDCC_HUB_* where no flag was given; the settings."""
    from backend import config

    path, required = config.config_file(args.config)
    flags = {key.name: getattr(args, key.name, None) for key in config.KEYS}
    flags["log_format"] = args.log_format
    settings = config.resolve(path, required=required, flags=flags)
    args.config_path = path
    for name, setting in settings.items():
        if args.command == "serve" or (name == "db" and hasattr(args, "db")):
            setattr(args, name, setting.value)
    if settings["state_dir"].value is not None:
        os.environ["GRIDCC_STATE_DIR"] = str(settings["state_dir"].value)
    return settings


def cmd_check_config(args, settings: dict) -> int:
    from backend import config
    from backend.store.engine import resolve_url

    for line in config.describe(settings, args.config_path):
        print(line)
    try:
        url = resolve_url(settings["db"].value)
    except Exception as exc:  # sqlalchemy's ArgumentError for a malformed URL
        return _fail(f"`db` ({settings['db'].source}): {exc}")
    print(f"# database: {config.mask_url(url.render_as_string(hide_password=True))}")
    for name in ("data", "state_dir"):
        folder = settings[name].value
        existing = folder
        while existing is not None and not existing.exists() and existing != existing.parent:
            existing = existing.parent  # a folder the hub will create: its nearest existing parent
        if folder is not None and not os.access(existing, os.W_OK):
            print(f"# warning: `{name}` {folder} is not writable by this user")
    print("configuration OK")
    return 0


def open_store(args, *, require_current: bool = True):
    from backend.store import Store

    return Store.open(args.db or os.environ.get("GRIDCC_DB_URL"), require_current=require_current)


def cmd_migrate(args) -> int:
    from backend import presence

    store = open_store(args, require_current=False)
    running = presence.hubs_on(store)
    if running:
        return _fail(f"refusing to migrate {presence.database_label(store)}: {len(running)} hub(s) run on this "
                     f"database ({'; '.join(running)}). Stop them first (systemctl stop gridcc-hub), migrate, "
                     "then start the new version.")
    before = store.schema_status()
    store.migrate()
    after = store.schema_status()
    print(f"database {store.url}: {before.current or 'empty'} → {after.current} (head)")
    return 0


def cmd_user(args) -> int:
    if args.user_command is None:
        return _fail("user needs an action: add, list, disable or enable")
    store = open_store(args)
    if args.user_command == "add":
        from domain.hierarchy import validate_code

        if args.scope != "":  # "" is the whole tree; the store says which roles may have it
            validate_code(args.scope)
        if args.role == "department" and not args.department:
            return _fail("--role department needs --department CODE")
        user_id, token = store.add_user(args.name, args.role, args.scope, args.department)
        print(f"user {user_id} ({args.name}, {args.role}, scope {args.scope}) added.")
        print("token (shown once, store it now):")
        print(token)
        return 0
    if args.user_command in ("disable", "enable"):
        store.set_user_disabled(args.user_id, args.user_command == "disable")
        print(f"user {args.user_id} {args.user_command}d")
        return 0
    for row in store.list_users():
        print("\t".join(str(x) for x in row))
    return 0


def cmd_status(args) -> int:
    """Readiness of the database for this hub, and the liveness of every hub on this machine.

    Exit 0 when the database is reachable and at this hub's schema, 1 when it is not (the
    reason is printed), 2 for a usage error."""
    import time

    from backend import presence
    from domain import protocol as p
    from domain.version import APP_VERSION

    print(f"gridcc-hub {APP_VERSION} protocol {p.PROTOCOL_VERSION}")
    ready = True
    try:
        store = open_store(args, require_current=False)
        status = store.schema_status()
        print(f"database: {presence.database_label(store)} (reachable)")
    except Exception as exc:  # unreachable server, bad credentials: say so, exit 1
        print(f"database: NOT READY: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
        store, status, ready = None, None, False
    if status is not None:
        print(f"schema: {status.state} ({status.current or 'empty'}; this hub needs {status.head})")
        if status.state != "current":
            ready = False
            print("NOT READY: run `gridcc-hub migrate`" if status.state in ("empty", "behind") else
                  "NOT READY: the database is newer than this hub; upgrade the hub")
    if store is not None and status is not None and status.state == "current":
        epoch, head = store.head()
        print(f"epoch: {epoch}")
        print(f"head sequence: {head}")
    hubs = presence.live_hubs()
    print(f"hubs running: {len(hubs)}")
    now = time.time()
    for hub in hubs:
        age = now - float(hub.get("updated", 0))
        health = "alive" if age < presence.STALE_AFTER_S else f"NOT RESPONDING (no report for {age:.0f} s)"
        line = f"  {hub['name']} pid {hub['pid']} {hub['url']} clients {hub['clients']} {health}"
        if hub.get("http_url"):
            line += f" health {hub['http_url']}/readyz"
        print(line)
    warning = calendar_status()
    if warning:
        print(f"WARNING: {warning}")
    print("ready" if ready else "not ready")
    return 0 if ready else 1


def calendar_status(now: float | None = None) -> str | None:
    """The calendar warning for today and for deadlines up to 60 days ahead, or None (printed by status)."""
    import time

    from domain.calendar import coverage_warning
    from domain.rules import default_rules

    now = time.time() if now is None else now
    calendar = default_rules().calendar
    print(f"working calendar covers: {', '.join(str(y) for y in sorted(calendar.years)) or 'no year'}")
    return coverage_warning(calendar, now, now + 60 * 86400)


def cmd_epoch(args) -> int:
    if args.epoch_command != "new":
        return _fail("epoch needs an action: new")
    from backend import presence
    from backend.store.archive import new_epoch

    hubs = presence.live_hubs()
    if hubs and not args.force:
        return _fail(f"{len(hubs)} hub(s) run on this machine; stop every hub on this database first "
                     "(or pass --force if they use another database)")
    store = open_store(args)
    old, fresh = new_epoch(store)
    print(f"stream epoch {old} → {fresh}: consoles will take a fresh snapshot when they reconnect")
    return 0


def cmd_archive(args) -> int:
    if args.archive_kind != "events":
        return _fail("archive needs a kind: events")
    import datetime
    import time

    from backend.store.archive import archive_events

    try:
        day = datetime.date.fromisoformat(args.before)
    except ValueError:
        return _fail(f"--before {args.before!r} is not a date YYYY-MM-DD")
    cst = datetime.timezone(datetime.timedelta(hours=8))
    before = datetime.datetime.combine(day, datetime.time(), cst).timestamp()
    store = open_store(args)
    header = archive_events(store, before, args.to, time.time())
    print(f"archived {header.count} events (seq {header.from_seq}–{header.to_seq}, epoch {header.epoch}) "
          f"to {args.to}; consoles resuming from before seq {header.to_seq + 1} take a snapshot")
    return 0


def cmd_import(args) -> int:
    if args.import_kind is None:
        return _fail("import needs a kind: divisions, boundaries or register")
    try:
        text = read_utf8(args.file)
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror}")
    except EncodingError as exc:
        return _fail(str(exc))
    store = open_store(args)
    if args.import_kind == "register":
        return _import_register(store, args)
    if args.import_kind == "divisions":
        from backend.city.divisions import parse_divisions
        from backend.city.generate import generate_city

        nodes = parse_divisions(text, str(args.file))
        if args.grow:
            city = generate_city(seed=args.seed, divisions=nodes)
            store.import_city(city)
            print(f"imported {len(nodes)} divisions from {args.file} and grew {len(city.nodes) - len(nodes)} "
                  f"communities and grids with {len(city.workers)} grid workers")
        else:
            store.import_nodes(nodes)
            print(f"imported {len(nodes)} divisions from {args.file}")
        return 0
    from backend.city.boundaries import BoundariesError, nesting_problems, parse_boundaries

    boundaries = parse_boundaries(text, str(args.file), repair=not args.no_repair)
    unknown = [f"feature {b.index} (adcode {code}): no such node; import the divisions first"
               for code, b in boundaries.items() if store.node(code) is None]
    if unknown:
        raise BoundariesError(str(args.file), unknown)

    def stored(code: str):
        node = store.node(code)
        return node.geometry if node is not None else None

    outside = nesting_problems(boundaries, stored)
    if outside:
        raise BoundariesError(str(args.file), outside)
    for code, b in boundaries.items():
        if b.repaired:
            print(f"feature {b.index} (adcode {code}): repaired a self-intersecting outline ({b.repaired})")
    attached = store.attach_geometry({code: b.geometry for code, b in boundaries.items()})
    print(f"attached {attached} boundaries from {args.file}")
    return 0


class EncodingError(ValueError):
    """A text file that is not UTF-8; the message names the likely encoding and how to re-save it."""


def read_utf8(path: Path) -> str:
    """The file as UTF-8 text (a byte-order mark allowed), or an error naming the likely encoding."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(encoding_hint(path, data, exc)) from None


def encoding_hint(path: Path, data: bytes, exc: UnicodeDecodeError) -> str:
    """Why ``data`` is not UTF-8, naming GB18030/GBK when it decodes as that, and how to re-save it."""
    where = f"byte {exc.start} (0x{data[exc.start]:02x})"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return (f"{path} is not UTF-8 (invalid {where}) and not GBK/GB18030 either; "
                "re-save it as UTF-8 (CSV UTF-8) and import again")
    return (f"{path} is not UTF-8 (invalid {where}); it reads as GBK/GB18030, the usual encoding of Excel and "
            "WPS on Chinese Windows. Re-save it as UTF-8: in Excel 'Save As' → 'CSV UTF-8 (逗号分隔)', in WPS "
            "choose UTF-8 encoding, or run: iconv -f GB18030 -t UTF-8 "
            f"{path.name} > {path.stem}-utf8{path.suffix}")


def _import_register(store, args) -> int:
    import calendar
    import time

    from backend.gridwork.register_csv import RegisterImportError, run_import

    as_of = None
    if args.as_of:
        try:
            as_of = calendar.timegm(time.strptime(args.as_of, "%Y-%m-%d")) - 8 * 3600
        except ValueError:
            return _fail(f"--as-of {args.as_of!r} is not YYYY-MM-DD")
    try:
        print(run_import(store, args.file, as_of=as_of))
    except RegisterImportError as exc:
        for line, message in exc.errors:
            print(f"{exc.source}:{line}: {message}", file=sys.stderr)
        return _fail(f"{len(exc.errors)} bad row(s) in {exc.source}; nothing was imported")
    return 0


def cmd_serve(args) -> int:
    from backend import collector, presence
    from backend.evidence.server import from_serve_arguments
    from backend.hub import Hub

    name = args.name or f"hub-{os.getpid()}"
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)  # /readyz reads the revision often
    # On PostgreSQL the hub's connections carry its name, for `migrate` on any machine (presence.hubs_on).
    os.environ.setdefault("PGAPPNAME", f"{presence.APPLICATION_NAME} {name}"[:63])
    # The writer thread and the event loop share the GIL: with the default 5 ms switch interval a
    # busy loop (a flooding client) makes each command wait several intervals for the GIL.
    sys.setswitchinterval(0.0005)
    store = open_store(args)
    limits = {key: value for key, value in (("max_in_flight", args.max_in_flight), ("user_rate", args.user_rate),
                                            ("user_burst", args.user_burst)) if value is not None}
    http, rules = from_serve_arguments(args)
    if args.sign_limit_minutes is not None:
        from domain.model import ClockKind, SlaLimit

        rules = rules.with_sign_limit(SlaLimit(ClockKind.NATURAL_HOURS, args.sign_limit_minutes / 60.0))
    hub = Hub(store, rules, host=args.host, port=args.port, sweep_interval=args.sweep_interval,
              name=name, http_port=args.http_port, http=http, **limits)

    async def run() -> None:
        await hub.start()
        collecting = asyncio.get_running_loop().create_task(collector.run_on_schedule())
        if hub.http is not None and args.http_port_file:  # before the feed's: a waiter for that finds both
            tmp = args.http_port_file.with_suffix(".tmp")
            tmp.write_text(str(hub.http.port))
            tmp.replace(args.http_port_file)
        if args.port_file:
            tmp = args.port_file.with_suffix(".tmp")
            tmp.write_text(str(hub.port))
            tmp.replace(args.port_file)
        print(f"gridcc-hub serving {hub.url} (database {store.url})", flush=True)
        if hub.http is not None:
            what = "Open311, 12345 hotline" + (", evidence" if http is not None else "")
            print(f"gridcc-hub HTTP side ({what}) on {hub.http.url}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        reporter = presence.Reporter(hub)
        try:
            while not stop.is_set():
                reporter.write()
                try:
                    await asyncio.wait_for(stop.wait(), 2.0)
                except TimeoutError:
                    pass
        finally:
            collecting.cancel()
            reporter.remove()
            await hub.stop()

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
