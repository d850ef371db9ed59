"""Columns the period reports aggregate over, filled from each case's stored body.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Reports (应结案数, 按期结案率, 派遣准确率 …) are GROUP BY queries; they need the case's
timestamps and counters as columns, not inside the JSON body.
"""

import json
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("source", sa.String(16)), ("reported_by", sa.String(64)), ("accepted_at", sa.Double()),
    ("dispatched_at", sa.Double()), ("resolved_at", sa.Double()), ("closed_on_time", sa.Boolean()),
    ("return_count", sa.Integer()), ("rework_count", sa.Integer()), ("extension_count", sa.Integer()),
    ("supervised_at", sa.Double()), ("supervision_due", sa.Double()), ("supervision_replied_at", sa.Double()),
)


def upgrade() -> None:
    # SQLite reads a row's columns in order, so columns stored after the large JSON body cost
    # several times more to aggregate: there the table is rebuilt with them before the body.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("cases", recreate="always" if sqlite else "auto") as batch:
        for name, type_ in COLUMNS:
            column = sa.Column(name, type_, nullable=True)
            if sqlite:
                batch.add_column(column, insert_before="body")
            else:
                batch.add_column(column)
        batch.create_index("ix_cases_deadline", ["deadline"])
        batch.create_index("ix_cases_supervised_at", ["supervised_at"])
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("id"), sa.column("body"), *(sa.column(n) for n, _ in COLUMNS))
    rows = conn.execute(sa.select(cases.c.id, cases.c.body)).all()
    values = []
    for case_id, body in rows:
        c = json.loads(body)
        order = c.get("supervision") or {}
        values.append({
            "b_id": case_id, "source": c.get("source"), "reported_by": c.get("reported_by"),
            "accepted_at": c.get("accepted_at"), "dispatched_at": c.get("dispatched_at"),
            "resolved_at": c.get("resolved_at"), "closed_on_time": c.get("closed_on_time"),
            "return_count": c.get("return_count", 0), "rework_count": c.get("rework_count", 0),
            "extension_count": c.get("extension_count", 0), "supervised_at": order.get("at"),
            "supervision_due": order.get("due"), "supervision_replied_at": order.get("replied_at"),
        })
    if values:
        conn.execute(cases.update().where(cases.c.id == sa.bindparam("b_id"))
                     .values({n: sa.bindparam(n) for n, _ in COLUMNS}), values)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_supervised_at")
        batch.drop_index("ix_cases_deadline")
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
