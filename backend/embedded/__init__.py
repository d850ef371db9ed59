"""A hub in this process: the one door from the desktop into the backend.

Demo mode, the trainer's training session and the replay of a finished session all run a
real hub (websockets on loopback over a SQLite file) inside the desktop process. Everything
the desktop needs for that is named here, so the desktop never reaches into the hub's
modules; an import-linter contract keeps it that way. Nothing here knows Qt.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backend.embedded.demo import DemoCity, start_in_background
    from backend.embedded.hub_thread import HubThread
    from backend.embedded.replay import Replay
    from backend.embedded.training import (
        HOME_DISTRICT,
        MAX_SPEED,
        MIN_SPEED,
        SessionError,
        TraineeAccount,
        TrainingSession,
    )
    from backend.sim.scenario import ScenarioError, list_scenarios, load_scenario
    from backend.training.record import SessionRecord, list_sessions
    from backend.training.record import event_count as session_event_count
    from backend.training.record import load as load_session_record
    from backend.training.record import store_url as session_store_url
    from backend.training.scorecard import COLUMNS as SCORE_COLUMNS
    from backend.training.scorecard import TraineeScore, row_values

#: Where each name lives: imported on first use, so the demo loads neither the trainer's nor the
#: replay's modules (nor their imports) before its first window.
_HOME = {
    "DemoCity": "backend.embedded.demo", "start_in_background": "backend.embedded.demo",
    "HubThread": "backend.embedded.hub_thread", "Replay": "backend.embedded.replay",
    "HOME_DISTRICT": "backend.embedded.training", "MAX_SPEED": "backend.embedded.training",
    "MIN_SPEED": "backend.embedded.training", "SessionError": "backend.embedded.training",
    "TraineeAccount": "backend.embedded.training", "TrainingSession": "backend.embedded.training",
    "ScenarioError": "backend.sim.scenario", "list_scenarios": "backend.sim.scenario",
    "load_scenario": "backend.sim.scenario",
    "SessionRecord": "backend.training.record", "list_sessions": "backend.training.record",
    "session_event_count": ("backend.training.record", "event_count"),
    "load_session_record": ("backend.training.record", "load"),
    "session_store_url": ("backend.training.record", "store_url"),
    "SCORE_COLUMNS": ("backend.training.scorecard", "COLUMNS"),
    "TraineeScore": "backend.training.scorecard", "row_values": "backend.training.scorecard",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = home if isinstance(home, tuple) else (home, name)
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


__all__ = [
    "HOME_DISTRICT", "MAX_SPEED", "MIN_SPEED", "SCORE_COLUMNS", "DemoCity", "HubThread", "Replay",
    "ScenarioError", "SessionError", "SessionRecord", "TraineeAccount", "TraineeScore", "TrainingSession",
    "list_scenarios", "list_sessions", "load_scenario", "load_session_record", "row_values",
    "session_event_count", "session_store_url", "start_in_background",
]
