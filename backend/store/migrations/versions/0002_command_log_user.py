"""Record who sent each logged command.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

A refused command leaves only its command_log row behind; with the sender's user id
there, "mistakes refused by the hub" can be counted per user (trainer scorecards).
Rows logged before this revision keep a NULL user.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("command_log") as batch:
        batch.add_column(sa.Column("user_id", sa.String(64), nullable=True))
        batch.create_index("ix_command_log_user_id", ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("command_log") as batch:
        batch.drop_index("ix_command_log_user_id")
        batch.drop_column("user_id")
