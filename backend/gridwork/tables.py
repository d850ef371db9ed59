"""The gridwork tables. Their own base of table classes (same naming convention as the store's), so
the case store's models stay as they are; ``versions/0006_gridwork.py`` creates them and a test
compares both metadatas with the migrated database.

Whole structs a query never filters on (a person's register entry, a meeting's attendees) are
msgspec JSON text, as in the case store.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Double, Index, Integer, MetaData, String, Text, UniqueConstraint

from backend.store.declare import TableClass, column
from backend.store.models import NAMING_CONVENTION


class GridworkBase(TableClass):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RegisterGridRow(GridworkBase):
    """A grid's register figures, key places, party organisation and grid head."""

    __tablename__ = "gw_register_grids"

    grid_code = column(String(15), primary_key=True)
    households = column(Integer)
    residents = column(Integer)
    buildings = column(Integer)
    units = column(Integer)
    businesses = column(Integer)
    party_members = column(Integer)
    grid_head = column(String(100))
    key_places = column(Text)  # JSON list of domain.gridwork.register.KeyPlace
    party = column(Text)  # JSON domain.gridwork.register.PartyOrg
    data_as_of = column(Double)
    source = column(String(200))


class CarePersonRow(GridworkBase):
    __tablename__ = "gw_care_people"

    id = column(String(64), primary_key=True)
    grid_code = column(String(15), index=True)
    groups = column(String(200))  # ";"-joined care keys, for counting
    frequency_days = column(Integer)
    body = column(Text)  # the whole domain.gridwork.register.CarePerson, unmasked


class VisitTaskRow(GridworkBase):
    """One scheduled visit; exactly one open task per person on the register."""

    __tablename__ = "gw_visit_tasks"

    id = column(Integer, primary_key=True, autoincrement=True)
    person_id = column(String(64), index=True)
    grid_code = column(String(15))
    worker = column(String(64))
    due_at = column(Double)
    done_at = column(Double, nullable=True)
    visit_id = column(String(140), nullable=True)

    __table_args__ = (Index("ix_gw_visit_tasks_grid_open", "grid_code", "done_at", "due_at"),)


class VisitRow(GridworkBase):
    __tablename__ = "gw_visits"

    id = column(String(140), primary_key=True)  # client id + command id
    person_id = column(String(64), index=True)
    grid_code = column(String(15), index=True)
    worker = column(String(64), index=True)
    at = column(Double, index=True)
    case_id = column(String(64), nullable=True)
    body = column(Text)  # domain.gridwork.visits.Visit


class MeetingRow(GridworkBase):
    __tablename__ = "gw_meetings"

    id = column(String(140), primary_key=True)
    grid_code = column(String(15), index=True)
    held_at = column(Double, index=True)
    year = column(Integer)
    opinions = column(Integer)
    resolved = column(Integer)
    body = column(Text)  # domain.gridwork.meetings.Meeting (matters without outcomes)

    __table_args__ = (Index("ix_gw_meetings_year_grid", "year", "grid_code"),)


class MatterRow(GridworkBase):
    __tablename__ = "gw_matters"

    meeting_id = column(String(140), primary_key=True)
    no = column(Integer, primary_key=True, autoincrement=False)
    case_id = column(String(64), index=True, nullable=True)


class CheckInRow(GridworkBase):
    __tablename__ = "gw_patrol_checkins"

    id = column(String(140), primary_key=True)
    grid_code = column(String(15))
    day = column(String(10))
    kind = column(String(32))
    worker = column(String(64), index=True)
    at = column(Double)
    hazard_case_id = column(String(64), nullable=True)
    body = column(Text)  # domain.gridwork.patrols.CheckIn

    __table_args__ = (
        UniqueConstraint("grid_code", "day", "kind", name="uq_gw_patrol_checkins_grid_day_kind"),
        Index("ix_gw_patrol_checkins_day_grid", "day", "grid_code"),
    )


class DutyRow(GridworkBase):
    """A worker's roster entry beyond the city's grid_workers row: on duty or not."""

    __tablename__ = "gw_duty"

    worker_id = column(String(64), primary_key=True)
    on_duty = column(Boolean)
    since = column(Double)
