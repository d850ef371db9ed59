"""Running hubs announce themselves, for `gridcc-hub status` and for `migrate`'s refusal.

One JSON file per hub process under the state directory (``state_dir`` in the hub's
settings, else the user state directory), rewritten every few seconds and removed on
exit; a file whose process is gone is ignored. On PostgreSQL a served hub also names
its connections ``gridcc-hub <name>`` (``PGAPPNAME``), so a hub on another machine is
seen in ``pg_stat_activity`` as well.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import platformdirs

#: The application_name prefix of a served hub's PostgreSQL connections.
APPLICATION_NAME = "gridcc-hub"
#: A hub whose file is older than this is shown as not responding (it rewrites it every 2 s).
STALE_AFTER_S = 15.0


def status_dir() -> Path:
    path = Path(os.environ.get("GRIDCC_STATE_DIR") or platformdirs.user_state_dir("gridcc")) / "hubs"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # e.g. another user's folder: nothing of ours can be there either
        pass
    return path


def database_label(store) -> str:
    """The store's URL without its password: what presence files and messages show."""
    return str(store.url.render_as_string(hide_password=True))


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Reporter:
    def __init__(self, hub) -> None:
        self.hub = hub
        self.path = status_dir() / f"{os.getpid()}.json"

    def write(self) -> None:
        data = dict(self.hub.status(), updated=time.time(), database=database_label(self.hub.store))
        if getattr(self.hub, "http", None) is not None:
            data["http_url"] = self.hub.http.url
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def live_hubs() -> list[dict]:
    hubs = []
    try:
        paths = sorted(status_dir().glob("*.json"))
    except OSError:
        return []
    for path in paths:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if pid_alive(int(data.get("pid", 0))):
            hubs.append(data)
    return hubs


def hubs_on(store) -> list[str]:
    """A line for every hub running against ``store``'s database: this machine's presence files,
    and on PostgreSQL every connection a served hub holds (any machine)."""
    label = database_label(store)
    found = [f"{hub.get('name', '?')} (pid {hub.get('pid')} on this machine)"
             for hub in live_hubs() if hub.get("database") == label]
    if getattr(store, "dialect", "") == "postgresql":
        from sqlalchemy import text

        query = text("SELECT DISTINCT application_name, coalesce(host(client_addr), 'local') FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                     "AND application_name LIKE :prefix ORDER BY 1")
        with store.engine.connect() as conn:
            rows = conn.execute(query, {"prefix": APPLICATION_NAME + " %"}).all()
        names = {line.split(" (")[0] for line in found}
        found += [f"{app[len(APPLICATION_NAME) + 1:]} (connected from {addr})" for app, addr in rows
                  if app[len(APPLICATION_NAME) + 1:] not in names]
    return found
