"""Clocks the hub runs on: the wall clock, or a simulation clock a trainer can speed up and pause.

Everything time-dependent in the hub (command timestamps, the SLA sweeper, the
simulator) asks one clock object, so fast-forwarding a day moves them together.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float: ...


class WallClock:
    """Real time."""

    speed = 1.0
    paused = False

    def now(self) -> float:
        return time.time()


class SimClock:
    """Simulated time: ``start`` plus real time elapsed times ``speed``, frozen while paused.

    Thread-safe: the GUI thread changes speed while the hub's loop reads it.
    """

    def __init__(self, start: float | None = None, speed: float = 1.0, paused: bool = False,
                 real=time.monotonic) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self._real = real
        self._lock = threading.Lock()
        self._anchor_sim = time.time() if start is None else float(start)
        self._anchor_real = real()
        self._speed = float(speed)
        self._paused = paused

    def now(self) -> float:
        with self._lock:
            if self._paused:
                return self._anchor_sim
            return self._anchor_sim + (self._real() - self._anchor_real) * self._speed

    def _rebase(self) -> None:
        # Called with the lock held: fold elapsed time into the anchor.
        now_real = self._real()
        if not self._paused:
            self._anchor_sim += (now_real - self._anchor_real) * self._speed
        self._anchor_real = now_real

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        with self._lock:
            self._rebase()
            self._speed = float(speed)

    def pause(self) -> None:
        with self._lock:
            self._rebase()
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._rebase()
            self._paused = False

    def advance(self, seconds: float) -> None:
        """Jump ahead (a trainer's "skip an hour"); never backwards."""
        if seconds < 0:
            raise ValueError("the clock never goes backwards")
        with self._lock:
            self._rebase()
            self._anchor_sim += seconds

    def reset(self, start: float) -> None:
        with self._lock:
            self._anchor_sim = float(start)
            self._anchor_real = self._real()
