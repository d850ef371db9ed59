"""Indexes for the sweeper: deadlines passed, suspensions whose end has come.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

The sweeper reads the cases due a clock tick through one index per way a tick can be due
(``backend/store/sweep_query.py``). A deadline passed on a clock not yet overdue, and a
suspension whose end has come, had none that fits: those parts read every open case
(0.23 s of CPU a sweep at 109k cases, the sweeper's whole query written as one OR).
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    "ix_cases_resume": ["state", "suspended_until"],
    "ix_cases_sla_deadline": ["sla_state", "deadline"],
    "ix_cases_stage_deadline": ["stage_sla", "stage_deadline"],
    "ix_cases_sign_deadline": ["sign_sla", "sign_deadline"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "cases", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="cases")
