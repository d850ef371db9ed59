"""Events this hub's writer has just committed, waiting for the pump to publish them.

The pump publishes them without reading them back from the database when they follow what is
published. They wait here for the pump rather than going out at once from each command batch,
and the pump waits as long as its last publish took before taking them (``Hub._pump``): the
batches that commit meanwhile go out together, and at most half the loop goes to publishing.
At a thousand consoles a publish costs a write per socket; published one command batch at a
time they outran the loop (bench/fanout_scale.py: p99 54 s instead of 0.21 s).
"""

from __future__ import annotations

from domain import protocol as p


class CommittedEvents:
    """A buffer of committed events in seq order (batches arrive in commit order)."""

    def __init__(self) -> None:
        self._events: list[p.FeedEvent] = []

    def __len__(self) -> int:
        return len(self._events)

    def add(self, events: list[p.FeedEvent]) -> None:
        self._events.extend(events)

    def take(self, published: int) -> list[p.FeedEvent] | None:
        """The events that follow ``published`` without a gap, or None: nothing held, or another
        writer's events came between (then the pump reads the database, which has them all).

        Events at or below ``published`` (the pump read them meanwhile) are dropped."""
        held = self._events
        start, expected = 0, published + 1
        while start < len(held) and held[start].seq < expected:
            start += 1
        if start == len(held) or held[start].seq != expected:
            del held[:start]
            return None
        end = start + 1
        while end < len(held) and held[end].seq == held[end - 1].seq + 1:
            end += 1
        run = held[start:end]
        del held[:end]
        return run


__all__ = ["CommittedEvents"]
