"""The 签收 clock as columns of ``cases``, so the sweeper finds its due ticks by an index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

A hub started with ``--sign-limit-minutes`` times a dispatched case until the department
signs (``sign_deadline``, ``sign_warning_at``, ``sign_sla`` on the case, protocol §18); the
sweeper ticks it like the step clocks, through ``ix_cases_sign_sweeper``. Existing rows keep
their bodies: dispatched cases get the 签收 fields their bodies hold (cases dispatched before
the warning existed have none: they go overdue at the deadline without a warning); every
other row gets ``sign_sla`` = 'none'.
"""

import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS: tuple[tuple[str, sa.types.TypeEngine], ...] = (
    ("sign_deadline", sa.Double()), ("sign_warning_at", sa.Double()), ("sign_sla", sa.String(10)))
INDEX = "ix_cases_sign_sweeper"
BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index(INDEX, [name for name, _ in COLUMNS][::-1])
    op.execute("UPDATE cases SET sign_sla = 'none'")
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("id"), sa.column("state"), sa.column("body"),
                     *(sa.column(n) for n, _ in COLUMNS))
    update = cases.update().where(cases.c.id == sa.bindparam("b_id")).values(
        {n: sa.bindparam(n) for n, _ in COLUMNS})
    last = ""
    while True:
        rows = conn.execute(sa.select(cases.c.id, cases.c.body)
                            .where(cases.c.id > last, cases.c.state == "dispatched")
                            .order_by(cases.c.id).limit(BATCH)).all()
        if not rows:
            break
        values = []
        for case_id, body in rows:
            c = json.loads(body)
            values.append({"b_id": case_id, "sign_deadline": c.get("sign_deadline"),
                           "sign_warning_at": c.get("sign_warning_at"), "sign_sla": c.get("sign_sla", "none")})
        conn.execute(update, values)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(INDEX)
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
