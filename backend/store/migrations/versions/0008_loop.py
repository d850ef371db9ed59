"""The practised loop: stage clocks, requests, suspension end dates, callbacks and 重办 on the cases table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

The sweeper finds due 受理/派遣/核查 ticks by ``stage_sla``, ``stage_warning_at`` and
``stage_deadline``, and due automatic resumes by ``suspended_until``; the 待审批 queue and
the reports read ``request_kind`` (the pending request, NULL when none), ``callback_result``,
``reopen_count`` and ``stages_late`` (comma-separated stages that ran past their limit).

Old rows keep their bodies (the new Case fields have defaults: no stage clock, no request,
no callback); their new columns are NULL except ``reopen_count`` = 0 and ``stages_late`` = ''
so the reports count them as never reopened and never late at a stage.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("stage_deadline", sa.Double(), nullable=True))
        batch.add_column(sa.Column("stage_warning_at", sa.Double(), nullable=True))
        batch.add_column(sa.Column("stage_sla", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("stages_late", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("suspended_until", sa.Double(), nullable=True))
        batch.add_column(sa.Column("request_kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("callback_result", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("reopen_count", sa.Integer(), nullable=True))
        batch.create_index("ix_cases_stage_sweeper", ["stage_sla", "stage_warning_at", "stage_deadline"])
        batch.create_index("ix_cases_request_kind", ["request_kind"])
    op.execute("UPDATE cases SET reopen_count = 0, stages_late = '', stage_sla = 'none'")


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_request_kind")
        batch.drop_index("ix_cases_stage_sweeper")
        for name in ("reopen_count", "callback_result", "request_kind", "suspended_until", "stages_late",
                     "stage_sla", "stage_warning_at", "stage_deadline"):
            batch.drop_column(name)
