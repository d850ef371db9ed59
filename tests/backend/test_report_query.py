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


@pytest.mark.slow
def test_reports_people_send_upward_xlsx_csv_pdf(week_sqlite, tmp_path, capsys):
    import openpyxl
    from sqlalchemy import select, update

    from backend.store.models import NodeRow
    from domain.reporting import ROW_COLUMNS

    p = periods.period_on("week", START)
    with Store.open(week_sqlite) as store:
        with store.engine.connect() as conn:
            evil = sorted(counts_by(conn, "", p.start, p.end, p.end, "street"))[0]
        with store.engine.begin() as conn:  # a name that a spreadsheet would run as a formula
            old_name = conn.execute(select(NodeRow.name).where(NodeRow.code == evil)).scalar()
            conn.execute(update(NodeRow).where(NodeRow.code == evil).values(name="=HYPERLINK(\"x\")"))
        expected = report_from_store(store, "", p, group_by=("street", "department"))
    try:
        xlsx, csv_path, pdf = tmp_path / "w.xlsx", tmp_path / "w.csv", tmp_path / "w.pdf"
        for fmt, out in (("xlsx", xlsx), ("csv", csv_path), ("pdf", pdf)):
            assert cli.main(["report", "week", "--db", week_sqlite, "--date", START.isoformat(), "--format", fmt,
                             "--out", str(out), "--group-by", "street,department"]) == 0
        assert cli.main(["report", "month", "--db", week_sqlite, "--date", START.isoformat()]) == 0
        assert "考核评价月报 2026-03" in capsys.readouterr().out

        book = openpyxl.load_workbook(xlsx)
        assert book.sheetnames == ["汇总", "街道评价", "部门评价"]
        summary = {r[0].value: r for r in book["汇总"].iter_rows(min_row=5)}
        assert summary["上报数"][1].value == expected.total.reported
        on_time = summary["按期结案率"][1]
        assert on_time.value == pytest.approx(value(expected.total, "on_time_rate")) and on_time.number_format == "0.0%"
        sheet = book["街道评价"]
        headers = [c.value for c in sheet[1]]
        assert headers[0] == "代码" and headers[1:] == [h for _, h, _ in ROW_COLUMNS] and sheet.freeze_panes == "D2"
        rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
        want = {r.key: r for r in expected.table("street").rows}
        assert rows.keys() == want.keys()
        col = headers.index("应结案数")
        assert all(rows[k][col].value == want[k].counts.due for k in want)
        assert rows[evil][headers.index("名称")].value == "'=HYPERLINK(\"x\")"
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)

        raw = csv_path.read_bytes()
        assert raw.startswith("\ufeff".encode()) and b"'=HYPERLINK" in raw
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000
    finally:
        with Store.open(week_sqlite) as store, store.engine.begin() as conn:
            conn.execute(update(NodeRow).where(NodeRow.code == evil).values(name=old_name))
