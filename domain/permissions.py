"""Who may do what, and where: roles × jurisdiction × action, as data plus three checks.

The lifecycle table says which moves a case's state allows; this module says which
actors may make them. ``domain.lifecycle.apply`` calls :func:`check` before it looks at
the table, so an actor outside their jurisdiction learns nothing about the case's state.

Jurisdiction rules:
- every actor acts only on cases whose node lies in their scope (an empty scope is everything);
- operators and trainers act only while their scope's level is at or above the case's owning
  level (``level_of(scope) <= case.owner_level``): once a street escalates a case to the
  district, the street operator can no longer act on it, the district and city still can;
- department actors act only on cases dispatched to their own department (their scope may be
  the whole city); an assisting department (协办) of a co-handled case may take only
  ``ASSIST_ACTIONS`` on it;
- the command center decides requests (APPROVE, REJECT_REQUEST) and calls back (CALLBACK);
  departments no longer extend, suspend or return by themselves: they REQUEST it.
"""

from __future__ import annotations

from domain.errors import DomainError, ErrorCode
from domain.hierarchy import CodeError, is_within, level_of, validate_code
from domain.model import Action, Actor, Case, Role

A = Action

_OPERATOR = frozenset(
    {
        A.REPORT,
        A.ACCEPT,
        A.REJECT,
        A.MERGE,
        A.DISPATCH,
        A.SUSPEND,
        A.RESUME,
        A.VERIFY,
        A.SUPERVISE,
        A.URGE,
        A.ESCALATE,
        A.EXTEND,
        A.ACKNOWLEDGE,
        A.ATTACH,
        A.APPROVE,
        A.REJECT_REQUEST,
        A.CALLBACK,
        A.DELEGATE,
    }
)
#: Actions only the hub's own SLA clock takes.
SYSTEM_ACTIONS = frozenset({A.SLA_WARNING, A.SLA_OVERDUE})
#: What an assisting department (协办) may do on a case it assists.
ASSIST_ACTIONS = frozenset({A.ASSIST_SIGN, A.ASSIST_REPORT, A.ATTACH})
#: Everything a signed-in user could ever do.
USER_ACTIONS = frozenset(Action) - SYSTEM_ACTIONS

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.OPERATOR: _OPERATOR,
    Role.SUPERVISOR: frozenset({A.SUPERVISE, A.URGE, A.ACKNOWLEDGE, A.ESCALATE}),
    Role.WALL: frozenset(),
    Role.TRAINER: _OPERATOR,
    Role.DEPARTMENT: frozenset(
        {A.SIGN, A.RESOLVE, A.REPLY_SUPERVISION, A.ATTACH, A.REQUEST, A.ASSIST_SIGN, A.ASSIST_REPORT, A.ASSIGN}
    ),
    Role.GRID_WORKER: frozenset({A.REPORT, A.SELF_RESOLVE, A.VERIFY, A.ATTACH}),
    Role.ADMIN: USER_ACTIONS,
    # The hub's clock also ends a suspension whose end date has come (the table's RESUME row).
    Role.SYSTEM: SYSTEM_ACTIONS | {A.RESUME},
}

#: Roles that may hold the whole tree (scope ""): they watch, supervise or administer the city;
#: the roles that work cases (operators, trainers, departments, grid workers) hold a node code.
WHOLE_TREE_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.WALL})

#: Roles bound by the owning level of a case (see the module docstring).
OWNER_LEVEL_ROLES = frozenset({Role.OPERATOR, Role.TRAINER})


def roles_for(action: Action) -> frozenset[Role]:
    """Every role whose actions include ``action``; the lifecycle table's role column."""
    return frozenset(role for role, actions in ROLE_ACTIONS.items() if action in actions)


def _scope_level(actor: Actor) -> int:
    """The level of the actor's scope; an empty scope sits above the province (-1)."""
    if actor.scope == "":
        return -1
    try:
        return int(level_of(actor.scope))
    except CodeError as exc:
        raise DomainError(
            ErrorCode.FORBIDDEN, f"actor {actor.id!r} has an unusable scope: {exc}"
        ) from None


def _refusal(actor: Actor, action: Action, case: Case | None, node: str | None) -> str | None:
    """Why ``actor`` may not take ``action`` on ``case`` (or at ``node``), or None if it may."""
    role = actor.role
    if action not in ROLE_ACTIONS.get(role, frozenset()):
        return f"role {_name(role)} may not {_name(action)}"
    where = case.node if case is not None else node
    if where is not None and not is_within(where, actor.scope):
        return f"{_who(actor)} may not {_name(action)} at node {where}: outside its jurisdiction"
    if case is None:
        return None
    if role in OWNER_LEVEL_ROLES and _scope_level(actor) > case.owner_level:
        return (
            f"{_who(actor)} may not {_name(action)} case {case.id} at node {case.node}: "
            f"it is owned by level {case.owner_level} after escalation"
        )
    if role == Role.DEPARTMENT:
        if actor.department is None:
            return f"{_who(actor)} has no department and may not {_name(action)}"
        if case.department != actor.department and not (
            action in ASSIST_ACTIONS and any(a.department == actor.department for a in case.assists)
        ):
            return (
                f"{_who(actor)} of department {actor.department!r} may not {_name(action)} case {case.id} "
                f"at node {case.node}: it is assigned to {case.department!r}"
            )
    return None


def _name(member: object) -> str:
    return str(getattr(member, "value", member))


def _who(actor: Actor) -> str:
    return f"{_name(actor.role)} {actor.id!r} (scope {actor.scope!r})"


def check(actor: Actor, action: Action, case: Case | None = None, *, node: str | None = None) -> None:
    """Raise ``DomainError(FORBIDDEN)`` unless ``actor`` may take ``action`` on ``case``.

    For a case that does not exist yet (REPORT) pass ``node``, the node it will be at.
    """
    reason = _refusal(actor, action, case, node)
    if reason is not None:
        raise DomainError(ErrorCode.FORBIDDEN, reason)


def can(actor: Actor, action: Action, case: Case | None = None, *, node: str | None = None) -> bool:
    try:
        return _refusal(actor, action, case, node) is None
    except DomainError:
        return False


#: Roles that may ask who works in a department (users_request, §18); a department's user only of its own.
LIST_USERS_ROLES = frozenset({Role.DEPARTMENT, Role.OPERATOR, Role.TRAINER, Role.SUPERVISOR, Role.ADMIN})


def may_list_users(actor: Actor, department: str) -> str | None:
    """Why ``actor`` may not list the users of ``department``, or None.

    The command center's roles are further limited by the hub to departments holding a case
    in their jurisdiction (``backend.colleagues``).
    """
    if actor.role not in LIST_USERS_ROLES:
        return f"role {_name(actor.role)} may not list a department's users"
    if actor.role is Role.DEPARTMENT and actor.department != department:
        return f"{_who(actor)} of department {actor.department!r} may list only its own department's users"
    return None


def can_subscribe(actor: Actor, scope: str) -> bool:
    """True when ``scope`` (a node code, or "" for everything) lies in the actor's jurisdiction.

    Every role may read its own jurisdiction; wall and supervisor are read-only there
    (their command rights are in ROLE_ACTIONS), so subscribing is the same test for all.
    """
    if scope != "":
        try:
            validate_code(scope)
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID, f"subscription scope: {exc}") from None
    return is_within(scope, actor.scope)
