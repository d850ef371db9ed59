"""The simulation clock trainers drive (backend/clock.py), on an injected real-time source."""

from __future__ import annotations

import pytest

from backend.clock import SimClock


class FakeReal:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_speed_pause_resume_and_jumps():
    real = FakeReal()
    clock = SimClock(start=1000.0, speed=60.0, real=real)
    real.t += 2
    assert clock.now() == 1120.0
    clock.pause()
    real.t += 50
    assert clock.now() == 1120.0 and clock.paused
    clock.resume()
    clock.set_speed(600.0)
    real.t += 1
    assert clock.now() == 1720.0
    clock.advance(3600)
    assert clock.now() == 5320.0
    clock.reset(0.0)
    assert clock.now() == 0.0


def test_bad_speeds_and_backwards_jumps_are_refused():
    with pytest.raises(ValueError, match="positive"):
        SimClock(speed=0)
    clock = SimClock(start=0.0)
    with pytest.raises(ValueError, match="positive"):
        clock.set_speed(-1)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-5)
