"""The gridwork tables. Their own declarative base (same naming convention as the store's), so
the case store's models stay as they are; ``versions/0006_gridwork.py`` creates them and a test
compares both metadatas with the migrated database.

Whole structs a query never filters on (a person's register entry, a meeting's attendees) are
msgspec JSON text, as in the case store.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Double, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backend.store.models import NAMING_CONVENTION


class GridworkBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RegisterGridRow(GridworkBase):
    """A grid's register figures, key places, party organisation and grid head."""

    __tablename__ = "gw_register_grids"

    grid_code: Mapped[str] = mapped_column(String(15), primary_key=True)
    households: Mapped[int] = mapped_column(Integer)
    residents: Mapped[int] = mapped_column(Integer)
    buildings: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)
    businesses: Mapped[int] = mapped_column(Integer)
    party_members: Mapped[int] = mapped_column(Integer)
    grid_head: Mapped[str] = mapped_column(String(100))
    key_places: Mapped[str] = mapped_column(Text)  # JSON list of domain.gridwork.register.KeyPlace
    party: Mapped[str] = mapped_column(Text)  # JSON domain.gridwork.register.PartyOrg
    data_as_of: Mapped[float] = mapped_column(Double)
    source: Mapped[str] = mapped_column(String(200))


class CarePersonRow(GridworkBase):
    __tablename__ = "gw_care_people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    grid_code: Mapped[str] = mapped_column(String(15), index=True)
    groups: Mapped[str] = mapped_column(String(200))  # ";"-joined care keys, for counting
    frequency_days: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # the whole domain.gridwork.register.CarePerson, unmasked


class VisitTaskRow(GridworkBase):
    """One scheduled visit; exactly one open task per person on the register."""

    __tablename__ = "gw_visit_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    grid_code: Mapped[str] = mapped_column(String(15))
    worker: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[float] = mapped_column(Double)
    done_at: Mapped[float | None] = mapped_column(Double)
    visit_id: Mapped[str | None] = mapped_column(String(140))

    __table_args__ = (Index("ix_gw_visit_tasks_grid_open", "grid_code", "done_at", "due_at"),)


class VisitRow(GridworkBase):
    __tablename__ = "gw_visits"

    id: Mapped[str] = mapped_column(String(140), primary_key=True)  # client id + command id
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    grid_code: Mapped[str] = mapped_column(String(15), index=True)
    worker: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[float] = mapped_column(Double, index=True)
    case_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # domain.gridwork.visits.Visit


class MeetingRow(GridworkBase):
    __tablename__ = "gw_meetings"

    id: Mapped[str] = mapped_column(String(140), primary_key=True)
    grid_code: Mapped[str] = mapped_column(String(15), index=True)
    held_at: Mapped[float] = mapped_column(Double, index=True)
    year: Mapped[int] = mapped_column(Integer)
    opinions: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)  # domain.gridwork.meetings.Meeting (matters without outcomes)

    __table_args__ = (Index("ix_gw_meetings_year_grid", "year", "grid_code"),)


class MatterRow(GridworkBase):
    __tablename__ = "gw_matters"

    meeting_id: Mapped[str] = mapped_column(String(140), primary_key=True)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CheckInRow(GridworkBase):
    __tablename__ = "gw_patrol_checkins"

    id: Mapped[str] = mapped_column(String(140), primary_key=True)
    grid_code: Mapped[str] = mapped_column(String(15))
    day: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(32))
    worker: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[float] = mapped_column(Double)
    hazard_case_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # domain.gridwork.patrols.CheckIn

    __table_args__ = (
        UniqueConstraint("grid_code", "day", "kind", name="uq_gw_patrol_checkins_grid_day_kind"),
        Index("ix_gw_patrol_checkins_day_grid", "day", "grid_code"),
    )


class DutyRow(GridworkBase):
    """A worker's roster entry beyond the city's grid_workers row: on duty or not."""

    __tablename__ = "gw_duty"

    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_duty: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[float] = mapped_column(Double)
