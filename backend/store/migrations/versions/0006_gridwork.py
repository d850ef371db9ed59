"""The grid's own work: register, visit tasks and visits, meetings and matters, patrol check-ins, duty.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Tables are the models of backend/gridwork/tables.py. Case rows are untouched: old cases of
the retired work categories stay readable.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "gw_register_grids",
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("buildings", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("businesses", sa.Integer(), nullable=False),
        sa.Column("party_members", sa.Integer(), nullable=False),
        sa.Column("grid_head", sa.String(100), nullable=False),
        sa.Column("key_places", sa.Text(), nullable=False),
        sa.Column("party", sa.Text(), nullable=False),
        sa.Column("data_as_of", sa.Double(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("grid_code", name="pk_gw_register_grids"),
    )
    op.create_table(
        "gw_care_people",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("groups", sa.String(200), nullable=False),
        sa.Column("frequency_days", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gw_care_people"),
    )
    op.create_index("ix_gw_care_people_grid_code", "gw_care_people", ["grid_code"])
    op.create_table(
        "gw_visit_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("worker", sa.String(64), nullable=False),
        sa.Column("due_at", sa.Double(), nullable=False),
        sa.Column("done_at", sa.Double(), nullable=True),
        sa.Column("visit_id", sa.String(140), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gw_visit_tasks"),
    )
    op.create_index("ix_gw_visit_tasks_person_id", "gw_visit_tasks", ["person_id"])
    op.create_index("ix_gw_visit_tasks_grid_open", "gw_visit_tasks", ["grid_code", "done_at", "due_at"])
    op.create_table(
        "gw_visits",
        sa.Column("id", sa.String(140), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("worker", sa.String(64), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gw_visits"),
    )
    for col in ("person_id", "grid_code", "worker", "at"):
        op.create_index(f"ix_gw_visits_{col}", "gw_visits", [col])
    op.create_table(
        "gw_meetings",
        sa.Column("id", sa.String(140), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("held_at", sa.Double(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("opinions", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gw_meetings"),
    )
    op.create_index("ix_gw_meetings_grid_code", "gw_meetings", ["grid_code"])
    op.create_index("ix_gw_meetings_held_at", "gw_meetings", ["held_at"])
    op.create_index("ix_gw_meetings_year_grid", "gw_meetings", ["year", "grid_code"])
    op.create_table(
        "gw_matters",
        sa.Column("meeting_id", sa.String(140), nullable=False),
        sa.Column("no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("meeting_id", "no", name="pk_gw_matters"),
    )
    op.create_index("ix_gw_matters_case_id", "gw_matters", ["case_id"])
    op.create_table(
        "gw_patrol_checkins",
        sa.Column("id", sa.String(140), nullable=False),
        sa.Column("grid_code", sa.String(15), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("worker", sa.String(64), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("hazard_case_id", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gw_patrol_checkins"),
        sa.UniqueConstraint("grid_code", "day", "kind", name="uq_gw_patrol_checkins_grid_day_kind"),
    )
    op.create_index("ix_gw_patrol_checkins_worker", "gw_patrol_checkins", ["worker"])
    op.create_index("ix_gw_patrol_checkins_day_grid", "gw_patrol_checkins", ["day", "grid_code"])
    op.create_table(
        "gw_duty",
        sa.Column("worker_id", sa.String(64), nullable=False),
        sa.Column("on_duty", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name="pk_gw_duty"),
    )


def downgrade() -> None:
    for table in ("gw_duty", "gw_patrol_checkins", "gw_matters", "gw_meetings", "gw_visits", "gw_visit_tasks",
                  "gw_care_people", "gw_register_grids"):
        op.drop_table(table)
