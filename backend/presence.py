"""Running hubs announce themselves in small status files, for `gridcc-hub status`.

One JSON file per hub process under the user state directory, rewritten every
few seconds and removed on exit; a file whose process is gone is ignored.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import platformdirs


def status_dir() -> Path:
    path = Path(os.environ.get("GRIDCC_STATE_DIR") or platformdirs.user_state_dir("gridcc")) / "hubs"
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        data = dict(self.hub.status(), updated=time.time())
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def live_hubs() -> list[dict]:
    hubs = []
    for path in sorted(status_dir().glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if pid_alive(int(data.get("pid", 0))):
            hubs.append(data)
    return hubs
