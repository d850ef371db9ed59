"""`gridcc`: the desktop application and its modes.

    gridcc demo      embedded hub + demo city + simulator, console for one street
    gridcc connect   the console against a real hub
    gridcc wall      the wall display (read-only, full screen)
    gridcc train     trainer mode

A problem a person can fix (no token, an unreachable hub, a corrupt config file)
ends with one clear line and exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tomllib
from pathlib import Path

import platformdirs

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from desktop.malloc import use_one_arena
from domain.version import version_line

EXIT_USAGE = 2
ROLES = ("operator", "supervisor", "wall", "trainer", "department", "grid_worker", "admin")


def config_path() -> Path:
    return Path(os.environ.get("GRIDCC_CONFIG") or Path(platformdirs.user_config_dir("gridcc")) / "config.toml")


class ConfigError(ValueError):
    pass


def load_config(path: Path | None = None) -> dict:
    """The optional config file: `url = "ws://…"`, `token = "…"`, `lang = "zh_CN"`, `scope = "…"`,
    `basemap = "/path/to/tiles"` (a local tile folder or .mbtiles file)."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    known = {"url", "token", "lang", "scope", "http", "basemap"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConfigError(f"config file {path}: `{key}` must be a string")
    return data


def _hour(text: str) -> float:
    """An hour of the day, 0 up to 24 (``--hour 9.5`` is 09:30), as domain.calendar.hour_today takes it."""
    from domain.calendar import hour_today

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"an hour of the day is a number from 0 up to 24, got {text!r}") from None
    try:
        hour_today(value, 0.0)
    except ValueError:  # the range is hour_today's; the message quotes what was typed
        raise argparse.ArgumentTypeError(f"an hour of the day is from 0 up to 24, got {text!r}") from None
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridcc", description="GridCC: grid governance command center.")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--version", action="version", version=version_line("gridcc"))
    sub = parser.add_subparsers(dest="mode", metavar="MODE")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=LANGUAGES, default=None, help=f"UI language (default {DEFAULT_LANGUAGE})")
        p.add_argument("--scope", default=None, help="node code to open at (within your jurisdiction)")
        p.add_argument("--basemap", default=None, metavar="PATH",
                       help="map background from local files: a folder of {z}/{x}/{y}.png tiles or an .mbtiles file")

    demo = sub.add_parser("demo", help="embedded hub, demo city and simulator; no server needed")
    common(demo)
    demo.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in a temporary folder)")
    demo.add_argument("--role", choices=ROLES, default="operator")
    demo.add_argument("--seed", type=int, default=2023)
    demo.add_argument("--scale", type=float, default=1.0, help="city size (1.0 ≈ 14,000 grids)")
    demo.add_argument("--speed", type=float, default=10.0, help="simulation speed (1–600×)")
    demo.add_argument("--hour", type=_hour, default=None, metavar="H",
                      help="start the simulated clock at this hour of today, China time (default: now); "
                           "the hours before it are filled in first")
    demo.add_argument("--scenario", default="normal_day")
    demo.add_argument("--wall", action="store_true", help="open the wall display instead of the console")
    demo.add_argument("--screen", type=int, default=None)
    demo.add_argument("--view", default=None, metavar="VIEW[@NODE]",
                      help="open a grid-work view: portrait, visits, meetings, patrols or roster, at NODE if given; "
                           "or the intake form (intake) or the case search (search)")
    demo.add_argument("--real-data", default=None, metavar="DIR",
                      help="folder with qingdao_divisions.csv and qingdao_districts.geojson: real streets and "
                           "district outlines (default: ../shared/data next to the project, when present)")
    demo.add_argument("--map", action="store_true",
                      help="console: the map fills its centre; wall: open on the map page and stay there")
    demo.add_argument("--map-node", default=None, metavar="CODE", help="open the console's map at this node")

    connect = sub.add_parser("connect", help="the console against a hub")
    common(connect)
    connect.add_argument("url", nargs="?", default=None, help="ws://host:8765/v1/feed (or `url` in the config)")
    connect.add_argument("--token", default=None, help="or $GRIDCC_TOKEN, or `token` in the config file")
    connect.add_argument("--http", default=None,
                         help="the hub's evidence side for photos, http://host:8766 (or `http` in the config)")

    wall = sub.add_parser("wall", help="the wall display against a hub (read-only)")
    common(wall)
    wall.add_argument("url", nargs="?", default=None)
    wall.add_argument("--token", default=None)
    wall.add_argument("--screen", type=int, default=None, help="screen number for full screen")
    wall.add_argument("--http", default=None, help="the hub's evidence side, for the photos of 特急 alarms")

    train = sub.add_parser("train", help="trainer mode: scenarios, time control, scorecard")
    common(train)
    train.add_argument("--scenario", default="normal_day")
    train.add_argument("--listen", default="127.0.0.1", help="address trainees connect to")
    train.add_argument("--port", type=int, default=8765)
    train.add_argument("--scale", type=float, default=0.2)
    return parser


def _fail(message: str) -> int:
    print(f"gridcc: {message}", file=sys.stderr)
    return EXIT_USAGE


def resolve_target(args, config: dict) -> tuple[str, str]:
    url = args.url or config.get("url")
    token = args.token or os.environ.get("GRIDCC_TOKEN") or config.get("token")
    if not url:
        raise ConfigError("no hub URL: give it as an argument or set `url` in the config file")
    if not token:
        raise ConfigError("no token: use --token, $GRIDCC_TOKEN or `token` in the config file")
    return url, token


def main(argv: list[str] | None = None) -> int:
    use_one_arena()  # before any thread: desktop.malloc says why
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.mode is None:
        parser.print_help()
        return 0
    try:
        config = load_config()
        lang = args.lang or config.get("lang") or DEFAULT_LANGUAGE
        if lang not in LANGUAGES:
            raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        basemap = getattr(args, "basemap", None) or config.get("basemap")
        if basemap:
            from desktop.mapdata import set_basemap_path
            from widgets.map.basemap import BasemapError

            try:
                set_basemap_path(basemap)
            except BasemapError as exc:
                raise ConfigError(str(exc)) from None
        if args.mode == "demo":
            from desktop.demo import run_demo

            return run_demo(args, lang)
        if args.mode == "train":
            from desktop.trainer.launch import run_trainer

            return run_trainer(args, lang)
        url, token = resolve_target(args, config)
        scope = args.scope or config.get("scope")
        http_url = args.http or config.get("http")
        if args.mode == "wall":
            from desktop.wall.launch import run_wall

            return run_wall(url, token, lang=lang, scope=scope, screen=args.screen, http_url=http_url)
        from desktop.app import run_console

        return run_console(url, token, lang=lang, scope=scope, http_url=http_url)
    except ConfigError as exc:
        return _fail(str(exc))
    except Exception as exc:  # one clear line; -v shows the trace
        from backend_client.probe import ProbeError
        from desktop.app import StartupError

        if isinstance(exc, (ProbeError, StartupError)):
            return _fail(str(exc))
        if args.verbose:
            logging.exception("failed")
        raise


if __name__ == "__main__":
    sys.exit(main())
