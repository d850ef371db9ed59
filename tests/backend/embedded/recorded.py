"""What a console of a recorded session held at a given moment, for the replay tests."""

from __future__ import annotations

from backend.embedded.replay import feed_until, prepare_store
from backend.store import Store


def held(client) -> dict:
    """The cases a client holds: id -> (version, state)."""
    return {k: (v.version, v.state) for k, v in client.replica.cases.items()}


def recorded_at(session_db: str, folder, at: float, scope: str = "") -> dict:
    """What a console of ``scope`` held at ``at``: a store fed the recording up to then, snapshotted then."""
    with Store.open(session_db) as source:
        name = f"at-{at:.0f}-{scope or 'all'}.db"
        reference = prepare_store(source, f"sqlite:///{folder / name}")
        try:
            feed_until(source, reference, at)
            return {c.id: (c.version, c.state) for c in reference.snapshot(scope, at).cases}
        finally:
            reference.close()
