"""The caller (诉求人), the 12345 ticket and the searchable text as columns of ``cases``.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03

综合查询 (``search_request``) filters by the caller's phone and name, the ticket number and
a substring of the address or description; inside the JSON body none of that can use an
index. ``caller_phone`` holds the number without hyphens or spaces. ``search_text`` is the address and the description, lower-cased, so one LIKE
(case-insensitive for Latin text on both dialects) serves the text filter. Existing rows
are filled from their bodies; cases reported before caller fields existed get empty ones.
"""

import json
import re
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = (("caller_name", sa.String(50)), ("caller_phone", sa.String(20)), ("ticket_no", sa.String(64)),
           ("search_text", sa.Text()))
INDEXES = ("caller_phone", "caller_name", "ticket_no")
BATCH = 2000


def search_text(address: str, description: str) -> str:
    """As ``backend.store.commands.search_values`` writes it (kept here so the revision stands alone)."""
    return f"{address}\n{description}".lower()


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        for name in INDEXES:
            batch.create_index(f"ix_cases_{name}", [name])
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("id"), sa.column("body"), *(sa.column(n) for n, _ in COLUMNS))
    update = cases.update().where(cases.c.id == sa.bindparam("b_id")).values(
        {n: sa.bindparam(n) for n, _ in COLUMNS})
    last = ""
    while True:
        rows = conn.execute(sa.select(cases.c.id, cases.c.body).where(cases.c.id > last)
                            .order_by(cases.c.id).limit(BATCH)).all()
        if not rows:
            break
        values = []
        for case_id, body in rows:
            c = json.loads(body)
            values.append({"b_id": case_id, "caller_name": c.get("caller_name", ""),
                           "caller_phone": re.sub(r"[\s-]", "", c.get("caller_phone", "")), "ticket_no": c.get("ticket_no", ""),
                           "search_text": search_text(c.get("address", ""), c.get("description", ""))})
        conn.execute(update, values)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in reversed(INDEXES):
            batch.drop_index(f"ix_cases_{name}")
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
