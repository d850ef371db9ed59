"""Publishing a batch of events to every session, as cheaply as websockets' ``broadcast()``.

The pump hands each published batch to :func:`publish`. Sessions are grouped by what they
would send: (scope, view), where the view says whether callers are masked. For each group the
events in scope are picked once, masked once, and encoded once (``FRAMES``). Every session of
the group that is caught up (nothing queued, its writer idle, its socket's buffer low) gets
the frames written straight to its socket, the way ``broadcast()`` does: no per-session task
wakes, no per-session encoding. The others (syncing, behind, or with a full socket buffer) get
the events on their own queue, drained by their writer task with backpressure and cut past
``queue_limit``, as before. Either way a session's frames leave in the order they were made.

At a thousand consoles this turns a thousand task wake-ups and sends per event into one loop
over the sockets; see ``bench/fanout_scale.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from backend.frame_cache import FRAMES
from backend.socket_write import send_text
from domain import protocol as p
from domain.caller import masked_with_case

if TYPE_CHECKING:
    from backend.session import Session


def publish(sessions: Iterable[Session], events: list[p.FeedEvent], epoch: str, head: int, queue_limit: int) -> int:
    """Give ``events`` (the pump's batch, ending at ``head``) to every session; returns how many
    sessions were written to directly.

    More events for one session than ``queue_limit`` go through its queue, which cuts it (4008),
    as if the session had fallen that far behind: a burst that large is resumed, not pushed."""
    groups: dict[tuple[str, str], list[Session]] = {}
    for session in sessions:
        scope = session.scope
        if scope is None or session.closing:
            continue
        groups.setdefault((scope, session.view), []).append(session)
    in_scope: dict[str, list[p.FeedEvent]] = {}
    direct = 0
    for (scope, view), members in groups.items():
        mine = in_scope.get(scope)
        if mine is None:
            mine = in_scope[scope] = [e for e in events if e.case.node.startswith(scope)]
        if not mine:
            continue
        shown = mine if view == "full" else masked_with_case(mine, members[0].actor.role)
        now = []
        small = len(shown) <= queue_limit
        for session in members:
            if small and session.caught_up():
                now.append(session)
            else:
                session.take(mine, shown)
        if now:
            sockets = [s.ws for s in now]
            for frame in frames_for(epoch, shown, head, view):
                send_text(sockets, frame)
            for session in now:
                session.sent_events += len(shown)
                session.direct_events += len(shown)
            direct += len(now)
    return direct


def frames_for(epoch: str, events: list[p.FeedEvent], head: int, view: str) -> list[bytes]:
    """The Events frames a caught-up session sends for ``events``: batches of MAX_BATCH_EVENTS,
    the last one's ``upto`` at ``head`` (the events out of scope up to there were seen too),
    exactly what the session's writer would have sent."""
    out: list[bytes] = []
    size = p.MAX_BATCH_EVENTS
    for start in range(0, len(events), size):
        batch = events[start:start + size]
        upto = head if start + size >= len(events) else batch[-1].seq
        out += FRAMES.event_frames(epoch, batch, max(upto, batch[-1].seq), view)
    return out


__all__ = ["publish", "frames_for"]
