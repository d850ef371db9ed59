"""Revision 0009: the caller, ticket and text columns, written by the store and filled for old rows."""

from __future__ import annotations

import json

from sqlalchemy import inspect, text

from domain.model import Action, Source, Urgency
from tests.backend.conftest import GRID, T0, Driver


def test_the_store_writes_the_search_columns(store, rules):
    answer = Driver(store, rules).run(Action.REPORT, None, T0, node=GRID, category="10103", urgency=Urgency.NORMAL,
                                      source=Source.HOTLINE, caller_name="李四", caller_phone="13912345678",
                                      ticket_no="GD1", address="香港中路 10 号", description="Street LIGHT 不亮")
    case = answer.case
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT caller_name, caller_phone, ticket_no, search_text FROM cases WHERE id = :i"),
                           {"i": case.id}).one()
    assert tuple(row) == ("李四", "13912345678", "GD1", "香港中路 10 号\nstreet light 不亮")


def test_indexes_exist(store):
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("cases")}
    assert {"ix_cases_caller_phone", "ix_cases_caller_name", "ix_cases_ticket_no"} <= names


def test_a_database_at_0007_keeps_its_cases_and_gets_their_columns(open_store):
    from alembic import command

    from backend.store.schema import alembic_config

    store = open_store(require_current=False)
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007")
    old = {"id": "QD1", "address": "东海路 5 号", "description": "Manhole 缺失", "caller_phone": "13800000001"}
    with store.engine.begin() as conn:
        for case_id, body in (("QD1", old), ("QD2", {"id": "QD2"})):
            conn.execute(text(
                "INSERT INTO cases (id, node, category, urgency, state, version, owner_level, reported_at, sla_state, "
                "body) VALUES (:id, :node, '10103', 'normal', 'closed', 5, 3, :t, 'none', :body)"),
                {"id": case_id, "node": GRID, "t": T0, "body": json.dumps(body)})
    store.migrate()
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, caller_name, caller_phone, ticket_no, search_text FROM cases "
                                 "ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("QD1", "", "13800000001", "", "东海路 5 号\nmanhole 缺失"),
                                        ("QD2", "", "", "", "\n")]
