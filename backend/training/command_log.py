"""What the hub answered each client, read from the command log: whose client it is, what it refused.

The hub logs every command's answer under (client_id, command_id) for retries; a refused
command leaves a CommandError there and nothing in the event stream. So "mistakes refused
by the hub" are counted from these rows. A client belongs to the user whose events its
acknowledged commands produced (found through the ack's seq), or to the user the trainer
saw signed in on it (``known``), for a client whose every command was refused. Since
revision 0002 the log records the sender's user id, which settles it directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec
from sqlalchemy import select

from backend.store.models import CaseEventRow, CommandLogRow
from domain.protocol import CommandAck, CommandError

_answer = msgspec.json.Decoder(CommandAck | CommandError)


def client_ids(store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(CommandLogRow.client_id).distinct()).scalars())


def answers_of(store, clients: Iterable[str]) -> dict[str, list[CommandAck | CommandError]]:
    """Every logged answer of ``clients``, oldest first, by client id."""
    clients = sorted(set(clients))
    out: dict[str, list] = {c: [] for c in clients}
    if not clients:
        return out
    stmt = (select(CommandLogRow.client_id, CommandLogRow.answer)
            .where(CommandLogRow.client_id.in_(clients))
            .order_by(CommandLogRow.created_at, CommandLogRow.command_id))
    with store.engine.connect() as conn:
        for client, answer in conn.execute(stmt):
            out[client].append(_answer.decode(answer))
    return out


def owners_from_acks(store, clients: Iterable[str]) -> dict[str, str]:
    """client id -> user id: from the sender recorded with each command (revision 0002), else
    from the events of the client's first acknowledged command (rows logged before 0002)."""
    clients = set(clients)
    owners: dict[str, str] = {}
    if clients:
        with store.engine.connect() as conn:
            rows = conn.execute(select(CommandLogRow.client_id, CommandLogRow.user_id)
                                .where(CommandLogRow.client_id.in_(sorted(clients)),
                                       CommandLogRow.user_id.is_not(None), CommandLogRow.user_id != "")
                                .distinct())
            owners.update({client: user for client, user in rows})
    first_ack: dict[int, str] = {}
    for client, answers in answers_of(store, clients - set(owners)).items():
        ack = next((a for a in answers if isinstance(a, CommandAck)), None)
        if ack is not None:
            first_ack[ack.seq] = client
    if not first_ack:
        return owners
    with store.engine.connect() as conn:
        rows = conn.execute(select(CaseEventRow.seq, CaseEventRow.actor).where(CaseEventRow.seq.in_(list(first_ack))))
        for seq, actor in rows:
            owners[first_ack[seq]] = actor
    return owners


def refusals_by_user(store, owners: Mapping[str, str], users: Iterable[str]) -> dict[str, list[CommandError]]:
    """user id -> the refused answers of that user's clients (``owners``: client id -> user id)."""
    wanted = set(users)
    clients = [c for c, u in owners.items() if u in wanted]
    out: dict[str, list[CommandError]] = {u: [] for u in wanted}
    for client, answers in answers_of(store, clients).items():
        out[owners[client]].extend(a for a in answers if isinstance(a, CommandError))
    return out


__all__ = ["answers_of", "client_ids", "owners_from_acks", "refusals_by_user"]
