"""gridcc demo --hour: the simulated clock starts at that hour of today (China time)."""

from __future__ import annotations

import time

import pytest

from desktop.cli import build_parser
from desktop.demo import _sim_start
from domain.calendar import hour_today


def test_the_hour_sets_where_the_simulated_clock_starts():
    args = build_parser().parse_args(["demo", "--hour", "9.5"])
    assert args.hour == 9.5
    before = time.time()
    start = _sim_start(args)
    assert start is not None and hour_today(9.5, before) <= start <= hour_today(9.5, time.time())
    assert _sim_start(build_parser().parse_args(["demo"])) is None  # now, as before


@pytest.mark.parametrize("given, said", [("24", "from 0 up to 24, got '24'"), ("-1", "from 0 up to 24, got '-1'"),
                                         ("noon", "a number from 0 up to 24, got 'noon'")])
def test_an_hour_off_the_clock_is_refused_clearly(capsys, given, said):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["demo", "--hour", given])
    assert exit_.value.code == 2
    assert f"argument --hour: an hour of the day is {said}" in capsys.readouterr().err
