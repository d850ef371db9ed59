"""Random command sequences against the lifecycle: what must hold whatever users do.

Commands mix every action, good and bad arguments, actors of every role inside and
outside the case's jurisdiction, and times that only move forward.
"""

from __future__ import annotations

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.lifecycle import allowed_actions, apply, due_sla_action, next_state
from domain.model import OPEN_STATES, SYSTEM_ACTOR, TERMINAL_STATES, Action, Actor, Args, Role, SlaState, State
from domain.permissions import roles_for
from domain.transitions import FLAGS, MAX_EXTENSIONS, TRANSITIONS, URGE_MAX_PER_WINDOW
from tests.domain.test_lifecycle import (
    ACTOR_OF,
    ADMIN,
    ARGS,
    CITY,
    CITY_OP,
    DEPT,
    DISTRICT_OP,
    OPERATOR,
    PATHS,
    RULES,
    SUPERVISOR,
    T0,
    TRAINER,
    WALL,
    WORKER,
)

A, S = Action, State
ACTORS = [
    OPERATOR, DISTRICT_OP, CITY_OP, SUPERVISOR, WALL, TRAINER, DEPT, WORKER, ADMIN, SYSTEM_ACTOR,
    Actor("op-elsewhere", Role.OPERATOR, "370202002"),
    Actor("dept-cg", Role.DEPARTMENT, CITY, department="cg"),
    Actor("gw-elsewhere", Role.GRID_WORKER, "370202002001001"),
]
FULL = {**ARGS, A.SUPERVISE: Args(level=3, reason="领导督办", due=T0 + 400 * 86400)}
# Arguments that are wrong in some way, per action (an empty Args is always tried too).
BAD = {
    A.DISPATCH: [Args(department="cg"), Args(department="nasa")],
    A.VERIFY: [Args(passed=False, reason="未处置到位"), Args(passed=False), Args(passed="yes")],
    A.SUPERVISE: [Args(level=0, reason="r", due=T0 + 400 * 86400), Args(level=1, reason="r", due=T0)],
    A.MERGE: [Args(parent_id="C1")],
    A.URGE: [Args(message=3)],
}
STEPS = [0.0, 60.0, 599.0, 600.0, 3600.0, 5400.0, 4 * 3600.0, 86400.0]


# A command is drawn as plain numbers and read against the case as it stands: the kind picks
# a move the table offers in this state (0, the simplest draw), a flag (1) or any action (2);
# half the time the actor is one whose role may take the action.
RAW = st.tuples(st.integers(0, 2), st.integers(0, 99), st.integers(0, 9), st.booleans(), st.integers(0, 99),
                st.sampled_from(STEPS))
_MOVES = {state: [a for (s, a) in TRANSITIONS if s is state] for state in State}
_KINDS = (lambda case: _MOVES[case.state] or list(FLAGS), lambda case: list(FLAGS), lambda case: list(Action))


def command(raw, case):
    kind, i, j, anyone, k, dt = raw
    choices = _KINDS[kind](case)
    action = choices[i % len(choices)]
    variants = [FULL[action], *BAD.get(action, []), Args()]
    args = variants[j % len(variants)]
    fitting = ACTORS if anyone else [a for a in ACTORS if a.role in roles_for(action)]
    actor = (fitting or ACTORS)[k % len(fitting or ACTORS)]
    # A request's full args name an extension, which other limits than the request's own may refuse.
    return action, args, args is FULL[action] and action is not A.REQUEST, actor, dt


def _reported():
    report = Args(node="370202001001001", category="10103", urgency="urgent", source="video")
    return apply(None, A.REPORT, report, WORKER, T0, RULES, new_id="C1")


def _start(state):
    """A case brought to ``state`` along the happy path, with its events."""
    out = _reported()
    case, events = out.case, list(out.events)
    for n, action in enumerate(PATHS[state], start=1):
        out = apply(case, action, FULL[action], ACTOR_OF.get(action, OPERATOR), T0 + 60 * n, RULES)
        case = out.case
        events.extend(out.events)
    return case, events


def _check_case(case, events):
    assert case.version == len(events) and [e.version for e in events] == list(range(1, case.version + 1))
    if case.state in TERMINAL_STATES:
        assert case.sla_state is SlaState.NONE
    if case.state is S.SUSPENDED:
        assert case.suspended_at is not None and case.sla_remaining is not None
    assert 1 <= case.owner_level <= 4 and 0 <= case.extension_count <= MAX_EXTENSIONS
    assert len(case.urge_times) <= URGE_MAX_PER_WINDOW and case.urge_count >= len(case.urge_times)
    failed = [e for e in events if e.kind is A.VERIFY and e.detail.get("passed") is False]
    assert case.rework_count == len(failed)
    if case.state is S.CLOSED:
        last = events[-1]
        assert last.kind is A.VERIFY and last.detail["passed"] is True
        assert last.detail["from"] in (S.RESOLVED.value, S.SELF_RESOLVED.value)
        assert any(e.kind in (A.RESOLVE, A.SELF_RESOLVE) for e in events)
        assert case.closed_on_time is not None and case.closed_at == last.at


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(OPEN_STATES)), st.lists(RAW, min_size=10, max_size=50))
def test_random_commands_keep_every_invariant(start, script):
    case, events = _start(start)
    now = case.updated_at
    for raw in script:
        action, args, full, actor, dt = command(raw, case)
        now += dt
        before = msgspec.json.encode(case)
        allowed = action in allowed_actions(case, actor, now)
        try:
            result = apply(case, action, args, actor, now, RULES, expected_version=case.version)
        except DomainError as err:
            assert msgspec.json.encode(case) == before  # a refused command changes nothing
            assert not (full and allowed), f"{action} was offered to {actor.role} but refused: {err}"
            if case.state in TERMINAL_STATES:
                assert err.code in (ErrorCode.FORBIDDEN, ErrorCode.ILLEGAL_TRANSITION)
            continue
        assert msgspec.json.encode(case) == before  # the input is never mutated
        assert allowed or not full, f"{action} succeeded for {actor.role} but was not offered"
        new = result.case
        assert case.state not in TERMINAL_STATES
        assert new.version == case.version + 1 and new.updated_at == now
        assert new.state is next_state(case.state, action, args.passed if action is A.VERIFY else None)
        if (case.state, action) not in TRANSITIONS:
            assert new.state is case.state and case.state in OPEN_STATES
        [event] = result.events
        assert (event.kind, event.case_id, event.version, event.at, event.actor) == (action, new.id, new.version, now, actor.id)
        case = new
        events.append(event)
        _check_case(case, events)
        if case.state is S.SUSPENDED:
            assert due_sla_action(case, now + 30 * 86400) is (None if case.suspended_until is None else A.RESUME)
    _check_case(case, events)
    note(f"reached {case.state.value}")


@settings(max_examples=100, deadline=None)
@given(st.lists(RAW, min_size=1, max_size=15), st.sampled_from(sorted(TERMINAL_STATES)))
def test_terminal_states_accept_nothing(script, state):
    out = _reported()
    case = out.case
    if state is S.CLOSED:
        case = apply(case, A.SELF_RESOLVE, Args(), WORKER, T0 + 1, RULES).case
        case = apply(case, A.VERIFY, Args(passed=True), WORKER, T0 + 2, RULES).case
    else:
        case = apply(case, A.REJECT if state is S.REJECTED else A.MERGE, FULL[A.REJECT if state is S.REJECTED else A.MERGE],
                     ADMIN, T0 + 1, RULES).case
    frozen = msgspec.json.encode(case)
    now = T0 + 10
    for raw in script:
        action, args, _, actor, dt = command(raw, case)
        now += dt
        assert allowed_actions(case, actor, now) == []
        try:
            apply(case, action, args, actor, now, RULES)
        except DomainError as err:
            assert err.code in (ErrorCode.FORBIDDEN, ErrorCode.ILLEGAL_TRANSITION)
        else:
            raise AssertionError(f"{state} accepted {action}")
        assert msgspec.json.encode(case) == frozen
