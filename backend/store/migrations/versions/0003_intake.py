"""Intake from outside: API keys of intake sources and what each outside request brought.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

``api_keys`` holds one row per key of an Open311 client or a 12345 hotline platform (only
the key's sha256 is kept). ``intake_requests`` holds, per case filed from outside, the
sender's reference (ticket number or request fingerprint, unique per source), position,
media URL, attributes and the caller's contact data, which is never served back.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("jurisdiction", sa.String(15), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("revoked_at", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_table(
        "intake_requests",
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("node", sa.String(15), nullable=False),
        sa.Column("token", sa.String(40), nullable=False),
        sa.Column("service_code", sa.String(8), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("media_url", sa.Text(), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("external_category", sa.String(64), nullable=True),
        sa.Column("deadline", sa.Double(), nullable=True),
        sa.Column("received_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_intake_requests"),
        sa.UniqueConstraint("token", name="uq_intake_requests_token"),
        sa.UniqueConstraint("source", "external_id", name="uq_intake_requests_source_external_id"),
    )
    op.create_index("ix_intake_requests_node", "intake_requests", ["node"])
    op.create_index("ix_intake_requests_received_at", "intake_requests", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_intake_requests_received_at", "intake_requests")
    op.drop_index("ix_intake_requests_node", "intake_requests")
    op.drop_table("intake_requests")
    op.drop_table("api_keys")
