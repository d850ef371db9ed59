"""desktop.background: bulk jobs run off the GUI thread, handing the GIL back every millisecond."""

from __future__ import annotations

import sys

import pytest

from backend_client import switching
from desktop import background


def test_a_bulk_job_switches_threads_often_and_puts_the_interval_back():
    before = sys.getswitchinterval()
    assert before > switching.STAGING_INTERVAL  # Python's 5 ms, else the test shows nothing
    assert background.submit(sys.getswitchinterval).result(timeout=30) == pytest.approx(switching.STAGING_INTERVAL)
    assert sys.getswitchinterval() == before  # the job ended before its result was handed over


def test_a_failing_bulk_job_puts_the_interval_back_too():
    before = sys.getswitchinterval()

    def fail() -> None:
        raise ValueError("a scan that fails")

    with pytest.raises(ValueError, match="a scan that fails"):
        background.submit(fail).result(timeout=30)
    assert sys.getswitchinterval() == before
