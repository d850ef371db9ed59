"""Tables declared as classes of columns (backend.store.declare): the Table they give, and Core taking the class."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, MetaData, String, create_engine, insert, select, update

from backend.store.declare import TableClass, column
from backend.store.models import Base, CaseRow


class _Base(TableClass):
    metadata = MetaData()


class _Pet(_Base):
    __tablename__ = "pets"

    id = column(Integer, primary_key=True, autoincrement=False)
    name = column(String(20))
    owner = column(String(20), nullable=True, index=True)


def test_a_class_declares_its_table_with_named_columns_not_null_unless_said():
    table = _Pet.__table__
    assert _Base.metadata.tables["pets"] is table
    assert [c.name for c in table.columns] == ["id", "name", "owner"]
    assert [c.nullable for c in table.columns] == [False, False, True]
    assert _Pet.name is table.c.name and _Pet.owner.index
    assert "_base" not in _Base.metadata.tables and len(_Base.metadata.tables) == 1  # the base is no table


def test_core_statements_take_the_class_as_its_table():
    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(_Pet), [{"id": 1, "name": "花花", "owner": None}, {"id": 2, "name": "Rex", "owner": "li"}])
        conn.execute(update(_Pet).where(_Pet.id == 1).values(owner="wang"))
        assert conn.execute(select(_Pet).order_by(_Pet.id)).all() == [(1, "花花", "wang"), (2, "Rex", "li")]
    engine.dispose()


def test_the_store_columns_keep_the_nullability_their_annotations_gave():
    assert not CaseRow.body.nullable and not CaseRow.sla_state.nullable
    assert CaseRow.closed_at.nullable and CaseRow.department.nullable
    assert Base.metadata.tables["cases"] is CaseRow.__table__


def test_a_missing_value_for_a_not_null_column_is_refused_by_the_database():
    from sqlalchemy.exc import IntegrityError

    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(insert(_Pet).values(id=3))
    engine.dispose()


def test_table_args_take_constraints_and_table_options_as_declarative_does():
    from sqlalchemy import Index

    metadata = MetaData()

    class Local(TableClass):
        pass

    Local.metadata = metadata

    class Both(Local):
        __tablename__ = "both"
        __table_args__ = (Index("ix_both_a_b", "a", "b"), {"comment": "two columns"})

        a = column(Integer, primary_key=True)
        b = column(Integer)

    class OptionsOnly(Local):
        __tablename__ = "options_only"
        __table_args__ = {"comment": "one column"}

        a = column(Integer, primary_key=True)

    assert [ix.name for ix in Both.__table__.indexes] == ["ix_both_a_b"]
    assert (Both.__table__.comment, OptionsOnly.__table__.comment) == ("two columns", "one column")
    assert set(metadata.tables) == {"both", "options_only"}
