"""The hub's settings: one TOML file, environment overrides, command-line flags on top.

An administrator keeps everything in ``/etc/gridcc/hub.toml`` (or the file named by
``--config`` / ``$GRIDCC_HUB_CONFIG``); any key can be overridden by ``GRIDCC_HUB_<KEY>``
(e.g. ``GRIDCC_HUB_PORT=9000``), and a flag given on the command line wins over both.
Every bad value is reported with where it came from, so ``gridcc-hub check-config``
can say exactly what to fix before the service is started.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path("/etc/gridcc/hub.toml")
ENV_CONFIG = "GRIDCC_HUB_CONFIG"
ENV_PREFIX = "GRIDCC_HUB_"
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the file or variable and the key."""


@dataclass(frozen=True)
class Key:
    name: str
    kind: type  # str, int, float, bool or Path
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    secret: bool = False  # shown masked by check-config
    lo: float | None = None
    hi: float | None = None


#: Every key the file may hold. ``name`` is also the dest of the matching ``serve`` flag.
KEYS: tuple[Key, ...] = (
    Key("db", str, None, "SQLAlchemy URL of the store (a PostgreSQL URL on a server)", secret=True),
    Key("name", str, None, "name of this hub in status output and in PostgreSQL's pg_stat_activity"),
    Key("host", str, "127.0.0.1", "address the feed (and the HTTP side) listens on"),
    Key("port", int, 8765, "websockets feed port", lo=0, hi=65535),
    Key("http_port", int, None, "HTTP side port (Open311, hotline, evidence, /healthz); off when unset",
        lo=0, hi=65535),
    Key("data", Path, None, "data folder: evidence files under DATA/blobs, uploads under DATA/incoming"),
    Key("state_dir", Path, None, "where running hubs announce themselves (status, migrate's check)"),
    Key("sweep_interval", float, 1.0, "seconds between deadline sweeps", lo=0.05, hi=60),
    Key("max_in_flight", int, None, "unanswered commands per connection before `throttled`", lo=1),
    Key("user_rate", float, None, "commands per second per user before `throttled`", lo=0.1),
    Key("user_burst", int, None, "commands a user may send at once", lo=1),
    Key("s3_url", str, None, "keep evidence in an S3 bucket, http(s)://host:port/bucket[/prefix]"),
    Key("s3_access_key", str, None, "S3 access key", secret=True),
    Key("s3_secret_key", str, None, "S3 secret key", secret=True),
    Key("max_upload_mb", float, None, "largest evidence upload in MiB", lo=0.1),
    Key("evidence_rules", Path, None, "evidence rules file (default: the shipped one)"),
    Key("no_evidence_rules", bool, False, "accept resolve and verify without the photos the rules ask for"),
    Key("log_format", str, "text", "text (plain lines; journald) or json (one object a line, for shippers)",
        choices=LOG_FORMATS),
    Key("log_level", str, "warning", "debug, info, warning or error (-v means info)", choices=LOG_LEVELS),
)
BY_NAME = {key.name: key for key in KEYS}


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str  # "default", "file", "env GRIDCC_HUB_PORT", "flag"


def config_file(given: Path | None) -> tuple[Path | None, bool]:
    """The file to read and whether it must exist: ``--config``, else ``$GRIDCC_HUB_CONFIG``
    (empty means none), else /etc/gridcc/hub.toml when it exists."""
    if given is not None:
        return given, True
    env = os.environ.get(ENV_CONFIG)
    if env is not None:
        return (Path(env), True) if env else (None, False)
    return DEFAULT_PATH, False


def _convert(key: Key, raw: Any, where: str) -> Any:
    """``raw`` (from TOML, or a string from the environment) as the key's type, or ConfigError."""
    from_env = isinstance(raw, str) and key.kind is not str and key.kind is not Path
    try:
        if key.kind is bool:
            if from_env:
                if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError
                value: Any = raw.lower() in ("1", "true", "yes")
            elif isinstance(raw, bool):
                value = raw
            else:
                raise ValueError
        elif key.kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise ValueError
            value = int(raw)
        elif key.kind is float:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise ValueError
            value = float(raw)
        else:
            if not isinstance(raw, str) or not raw.strip():
                raise ValueError
            value = Path(raw).expanduser() if key.kind is Path else raw
    except ValueError:
        kind = {bool: "true or false", int: "an integer", float: "a number", str: "a non-empty string",
                Path: "a path (a non-empty string)"}[key.kind]
        raise ConfigError(f"{where}: `{key.name}` must be {kind}, not {raw!r}") from None
    if key.choices and value not in key.choices:
        raise ConfigError(f"{where}: `{key.name}` must be one of {', '.join(key.choices)}, not {value!r}")
    if key.lo is not None and value < key.lo or key.hi is not None and value > key.hi:
        bounds = f"at least {key.lo:g}" if key.hi is None else f"between {key.lo:g} and {key.hi:g}"
        raise ConfigError(f"{where}: `{key.name}` must be {bounds}, not {value!r}")
    return value


def read_file(path: Path) -> dict[str, Any]:
    """The file's keys, checked; a missing, unreadable or malformed file is a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(BY_NAME))
    if unknown:
        raise ConfigError(f"config file {path}: unknown key(s) {', '.join(unknown)} "
                          f"(known: {', '.join(BY_NAME)})")
    return {name: _convert(BY_NAME[name], raw, f"config file {path}") for name, raw in data.items()}


def resolve(path: Path | None = None, *, required: bool = False,
            flags: dict[str, Any] | None = None) -> dict[str, Setting]:
    """Every key's value and where it came from: flag over environment over file over default.

    ``flags`` holds command-line values (None = not given)."""
    from_file: dict[str, Any] = {}
    if path is not None and (required or path.exists()):
        from_file = read_file(path)
    settings: dict[str, Setting] = {}
    for key in KEYS:
        env_name = ENV_PREFIX + key.name.upper()
        flag = (flags or {}).get(key.name)
        if flag is not None and flag is not False:
            settings[key.name] = Setting(flag, "flag")
        elif os.environ.get(env_name, "") != "":
            settings[key.name] = Setting(_convert(key, os.environ[env_name], f"environment {env_name}"),
                                         f"env {env_name}")
        elif key.name in from_file:
            settings[key.name] = Setting(from_file[key.name], "file")
        elif key.name == "db" and os.environ.get("GRIDCC_DB_URL"):  # the older variable, still honoured
            settings[key.name] = Setting(os.environ["GRIDCC_DB_URL"], "env GRIDCC_DB_URL")
        else:
            settings[key.name] = Setting(key.default, "default")
    return settings


def mask(key: Key, value: Any) -> str:
    """The value for display: secrets hidden, a database URL shown without its password."""
    if value is None:
        return "(unset)"
    if key.name == "db":
        return mask_url(str(value))
    if key.secret:
        return "********"
    return str(value)


def mask_url(url: str) -> str:
    if "://" not in url:
        return url
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is reported when the store opens it
        return url.split("://", 1)[0] + "://…"


def describe(settings: dict[str, Setting], path: Path | None) -> list[str]:
    """check-config's lines: the file read, then ``key = value  # source`` for every key."""
    lines = [f"# config file: {path if path is not None and path.exists() else '(none)'}"]
    width = max(len(k.name) for k in KEYS)
    for key in KEYS:
        setting = settings[key.name]
        lines.append(f"{key.name:<{width}} = {mask(key, setting.value)}  # {setting.source}")
    return lines
