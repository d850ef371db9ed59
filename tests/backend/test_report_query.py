"""Period reports: the SQL aggregation agrees with a recount in Python over a simulated week, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from backend import cli
from backend.reports.query import GROUPS, counts_by, recount
from backend.reports.service import report_from_store
from backend.store import Store
from domain import periods
from domain.indicators import value
from tests.backend.conftest import DIALECTS

START = dt.date(2026, 3, 16)  # a Monday


@pytest.fixture(scope="module")
def week_sqlite(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('week') / 'week.db'}"
    assert cli.main(["migrate", "--db", url]) == 0
    assert cli.main(["simulate", "--db", url, "--city-scale", "0.02", "--volume", "600", "--fast", "--days", "7",
                     "--start", START.isoformat(), "--seed", "5"]) == 0
    return url


@pytest.fixture(params=DIALECTS)
def week_url(request, week_sqlite) -> str:
    if request.param == "sqlite":
        return week_sqlite
    url = request.getfixturevalue("pg_session_url")
    from tests.backend.conftest import _reset_pg
    from tests.backend.copydb import copy_database

    _reset_pg(url)
    copy_database(week_sqlite, url)
    return url


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["day", "week"])
def test_sql_counts_equal_an_independent_recount(week_url, kind):
    with Store.open(week_url) as store, store.engine.connect() as conn:
        p = periods.period_on(kind, START + dt.timedelta(days=2))
        as_of = p.start + 3.5 * 86400 if kind == "week" else p.start + 15 * 3600  # mid-period, and mid-day
        for group in GROUPS:
            scope = "" if group in ("", "department", "grid_worker") else "3702"
            sql = counts_by(conn, scope, p.start, p.end, as_of, group)
            py = recount(conn, scope, p.start, p.end, as_of, group)
            assert sql.keys() == py.keys(), group
            for key in sql:
                for f in sql[key].__struct_fields__:
                    assert getattr(sql[key], f) == pytest.approx(getattr(py[key], f)), (group, key, f)
        total = counts_by(conn, "", p.start, p.end, as_of)[""]
        assert total.reported > 50 and total.due > 10 and total.closed > 10 and total.dispatched > 10


@pytest.mark.slow
def test_week_report_tables_add_up_to_the_total(week_sqlite):
    with Store.open(week_sqlite) as store:
        p = periods.period_on("week", START)
        r = report_from_store(store, "", p, group_by=("district", "department", "grid_worker"))
    assert r.period.label == "2026-W12" and r.total.reported > 500
    districts = r.table("district").rows
    assert sum(row.counts.reported for row in districts) == r.total.reported
    assert sum(row.counts.due for row in districts) == r.total.due
    assert value(r.total, "on_time_rate") is not None
    ranked = [row.rank for row in districts if row.rank is not None]
    assert ranked == sorted(ranked) and ranked[0] == 1
    assert r.table("grid_worker").rows and r.table("department").rows
