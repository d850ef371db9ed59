"""One command as the hub runs it: what the client asked, from which client, by whom.

The wire's ``Command`` says what to do; the hub adds who sent it (the actor the token names)
and the client id the connection announced, which together key the idempotency log. This one
value travels from the session through the hub's scheduler down to the store's transaction,
so no layer unpacks it into a row of positional arguments. The time and the rules are the
hub's, not the command's, and are passed beside it.
"""

from __future__ import annotations

import msgspec

from domain.messages import Command
from domain.model import Action, Actor, Args


class CommandRequest(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    id: str
    action: Action
    case_id: str | None = None
    expected_version: int | None = None
    args: Args = Args()
    actor: Actor

    @classmethod
    def from_wire(cls, client_id: str, command: Command, actor: Actor) -> CommandRequest:
        return cls(client_id=client_id, id=command.id, action=command.action, case_id=command.case_id,
                   expected_version=command.expected_version, args=command.args, actor=actor)
