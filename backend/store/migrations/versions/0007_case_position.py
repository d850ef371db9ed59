"""Where each case is: WGS-84 longitude and latitude on the cases table.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Both columns are nullable: cases reported before this revision (and reports without a
position) keep NULL. The case body (JSON) carries the same two optional fields.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("lon", sa.Double(), nullable=True))
        batch.add_column(sa.Column("lat", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("lat")
        batch.drop_column("lon")
