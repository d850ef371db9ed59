"""Initial schema: city, users, cases, event stream, command log, supervision orders.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand from backend/store/models.py; tests/backend/test_store_schema.py checks
that the migrated schema and the models agree. The stream row is seeded here with a
fresh random epoch, so every database starts its own event stream.
"""

import secrets
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "nodes",
        sa.Column("code", sa.String(15), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_code", sa.String(15), nullable=True),
        sa.Column("center_lon", sa.Double(), nullable=True),
        sa.Column("center_lat", sa.Double(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.Column("portrait", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_nodes"),
        sa.ForeignKeyConstraint(["parent_code"], ["nodes.code"], name="fk_nodes_parent_code_nodes"),
    )
    op.create_index("ix_nodes_parent_code", "nodes", ["parent_code"])

    op.create_table(
        "departments",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_departments"),
    )

    op.create_table(
        "grid_workers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("full_time", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_grid_workers"),
        sa.ForeignKeyConstraint(["grid_code"], ["nodes.code"], name="fk_grid_workers_grid_code_nodes"),
    )
    op.create_index("ix_grid_workers_grid_code", "grid_workers", ["grid_code"])

    op.create_table(
        "users",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("scope", sa.String(15), nullable=False),
        sa.Column("department", sa.String(32), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("token_hash", name="uq_users_token_hash"),
    )

    op.create_table(
        "cases",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("node", sa.String(15), nullable=False),
        sa.Column("category", sa.String(8), nullable=False),
        sa.Column("urgency", sa.String(12), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_level", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(32), nullable=True),
        sa.Column("reported_at", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=True),
        sa.Column("deadline", sa.Double(), nullable=True),
        sa.Column("warning_at", sa.Double(), nullable=True),
        sa.Column("sla_state", sa.String(10), nullable=False),
        sa.Column("suspended_at", sa.Double(), nullable=True),
        sa.Column("closed_at", sa.Double(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_node_state", "cases", ["node", "state"])
    op.create_index("ix_cases_sweeper", "cases", ["sla_state", "warning_at", "deadline"])
    op.create_index("ix_cases_closed_at", "cases", ["closed_at"])
    op.create_index("ix_cases_reported_at", "cases", ["reported_at"])

    op.create_table(
        "case_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("node", sa.String(15), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_case_events"),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_index("ix_case_events_node", "case_events", ["node"])

    op.create_table(
        "command_log",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("command_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "command_id", name="pk_command_log"),
    )
    op.create_index("ix_command_log_created_at", "command_log", ["created_at"])

    op.create_table(
        "supervision_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("due", sa.Double(), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_at", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_supervision_orders"),
    )
    op.create_index("ix_supervision_orders_case_id", "supervision_orders", ["case_id"])

    stream = op.create_table(
        "stream",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("next_case_no", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stream"),
    )
    op.bulk_insert(stream, [{"id": 1, "epoch": secrets.token_hex(8), "head_seq": 0, "next_case_no": 1}])


def downgrade() -> None:
    for table in ("stream", "supervision_orders", "command_log", "case_events", "cases", "users",
                  "grid_workers", "departments", "nodes"):
        op.drop_table(table)  # indexes go with their tables
