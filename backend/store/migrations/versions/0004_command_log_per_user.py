"""Command ids belong to a user: the command log is keyed by (user_id, client_id, command_id).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Keyed by (client_id, command_id) alone, a second user connecting with the same client id
could read another user's stored answers (replayed) or take their next id first so that
their real command fails with duplicate_id. Rows logged before revision 0002 have no user:
an acknowledged one takes the actor of the event it appended, a refused one the empty user
id, which no signed-in user has, so such an answer is never replayed to anyone.
"""

from collections.abc import Sequence

import msgspec
import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class _Seq(msgspec.Struct):
    seq: int | None = None


def upgrade() -> None:
    conn = op.get_bind()
    log = sa.table("command_log", sa.column("client_id"), sa.column("command_id"), sa.column("answer"),
                   sa.column("user_id"))
    events = sa.table("case_events", sa.column("seq"), sa.column("actor"))
    decoder = msgspec.json.Decoder(_Seq)
    rows = conn.execute(sa.select(log.c.client_id, log.c.command_id, log.c.answer)
                        .where(log.c.user_id.is_(None))).all()
    for client_id, command_id, answer in rows:
        try:
            seq = decoder.decode(answer).seq
        except (msgspec.DecodeError, msgspec.ValidationError):
            seq = None
        actor = None
        if seq is not None:
            actor = conn.execute(sa.select(events.c.actor).where(events.c.seq == seq)).scalar()
        conn.execute(sa.update(log).where(log.c.client_id == client_id, log.c.command_id == command_id)
                     .values(user_id=actor or ""))
    with op.batch_alter_table("command_log") as batch:
        batch.alter_column("user_id", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("pk_command_log", type_="primary")
        batch.create_primary_key("pk_command_log", ["user_id", "client_id", "command_id"])


def downgrade() -> None:
    # Two users may now hold the same (client_id, command_id): keep the oldest answer of each.
    conn = op.get_bind()
    log = sa.table("command_log", sa.column("client_id"), sa.column("command_id"), sa.column("user_id"),
                   sa.column("created_at"))
    seen: set[tuple[str, str]] = set()
    for client_id, command_id, user_id, _ in conn.execute(
            sa.select(log.c.client_id, log.c.command_id, log.c.user_id, log.c.created_at)
            .order_by(log.c.created_at)).all():
        if (client_id, command_id) in seen:
            conn.execute(sa.delete(log).where(log.c.client_id == client_id, log.c.command_id == command_id,
                                              log.c.user_id == user_id))
        seen.add((client_id, command_id))
    with op.batch_alter_table("command_log") as batch:
        batch.drop_constraint("pk_command_log", type_="primary")
        batch.create_primary_key("pk_command_log", ["client_id", "command_id"])
        batch.alter_column("user_id", existing_type=sa.String(64), nullable=True)
