"""docs/protocol.md holds exactly the action, role and argument tables the domain renders."""

from __future__ import annotations

from domain.model import Action, Role
from tools import protocol_tables


def test_doc_tables_are_the_domains():
    doc = protocol_tables.DOC.read_text(encoding="utf-8")
    assert doc.count(protocol_tables.BEGIN) == 1 and doc.count(protocol_tables.END) == 1
    assert protocol_tables.current(doc) == protocol_tables.block(), (
        "docs/protocol.md's tables differ from the domain: run python tools/protocol_tables.py --write")


def test_tables_name_every_action_and_role():
    rendered = protocol_tables.render()
    for action in Action:
        assert f"`{action.value}`" in rendered
    for role in Role:
        assert f"| `{role.value}` |" in rendered
