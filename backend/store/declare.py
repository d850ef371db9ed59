"""Tables declared as classes of columns, SQLAlchemy Core only.

The hub reads and writes with Core statements (``select(CaseRow.id)``, ``insert(UserRow)``) and
never loads objects, so it has no use for the ORM's mapping. Declarative classes import
``sqlalchemy.orm`` all the same, ~11 MB resident in every process that opens a store, the
desktop demo included (bench/results/2026-12-05-round14.md). A class here reads the way a
declarative one does and gives the same ``Table`` in the same ``MetaData``: its columns as
class attributes, the table as ``__table__``, and the class itself accepted wherever Core takes
a table.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from sqlalchemy import Column, MetaData, Table
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeEngine

T = TypeVar("T")


def column(type_: TypeEngine[T] | type[TypeEngine[T]], *args: Any, nullable: bool = False,
           **kwargs: Any) -> ColumnClause[T]:
    """A column named after the attribute it is assigned to; NOT NULL unless ``nullable``.

    Not null by default, as a declarative ``Mapped[str]`` column is; ``Mapped[str | None]``
    becomes ``nullable=True``. Typed as the ``ColumnClause`` a ``Column`` is: read from a class,
    SQLAlchemy 2.1's typing makes a ``Column`` ``Never``, to keep tables from posing as mapped
    classes, which is what these classes are for.
    """
    return Column(type_, *args, nullable=nullable, **kwargs)


class TableClass:
    """A base whose subclasses with a ``__tablename__`` each declare one table of ``metadata``."""

    metadata: ClassVar[MetaData]
    __tablename__: ClassVar[str]
    __table__: ClassVar[Table]
    __table_args__: ClassVar[tuple[Any, ...] | dict[str, Any]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__tablename__" not in cls.__dict__:
            return  # a base of its own (its own metadata), not a table
        columns = []
        for name, value in cls.__dict__.items():
            if isinstance(value, Column):
                if value.name is None:  # named after its attribute, unless given a name
                    value.name = value.key = name
                columns.append(value)
        args: Any = cls.__table_args__  # as declarative reads it: a tuple, a dict, or a tuple ending in a dict
        options: dict[str, Any] = {}
        if isinstance(args, dict):
            args, options = (), args
        elif args and isinstance(args[-1], dict):
            args, options = args[:-1], args[-1]
        cls.__table__ = Table(cls.__tablename__, cls.metadata, *columns, *args, **options)

    @classmethod
    def __clause_element__(cls) -> Table:
        """What Core statements read when given the class: ``insert(UserRow)``, ``select(UserRow)``."""
        return cls.__table__
