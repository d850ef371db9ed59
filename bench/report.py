"""A month's report of a full-size city, answered by SQL aggregation, beside the naive Python peer.

Seeds a scratch database with the full demo city (~14,000 grids) and a month of cases
(~270,000, the normal 9,000 a day), written straight into the store's tables with
``executemany`` (SQLite) or COPY (PostgreSQL) — the same column values the hub writes
(``backend.store.commands.case_values``), bodies included, so the peer can decode them.
Then times, on each database:

* ``report`` — what the hub does for ``report_request``: ``build_report`` for the month, with
  the previous month for the trend, the level below and the departments (six GROUP BY queries
  in one read transaction);
* ``sql total`` — one ``counts_by`` for the whole city;
* ``python peer`` — load every case row, decode it and count with ``domain.indicators``
  (``backend.reports.query.recount``), the way a report would be made without the SQL.

The peer's totals must equal the SQL's (checked). Prints best-of-N wall times and ratios.
Not a test: ``python bench/report.py [--db sqlite|postgresql|both] [--days 30] [--scale 1.0]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import describe_url, machine_note, pg_base_url, scratch_database  # noqa: E402

H = 3600.0
MONTH = dt.date(2026, 3, 1)


def make_cases(grids: list[str], departments: list[str], start: float, days: int, per_day: int, seed: int):
    """``days × per_day`` cases as the lifecycle leaves them, with plausible times and outcomes."""
    from domain.model import Case, ClockKind, SlaLimit, SlaState, Source, State, Supervision, Urgency

    rng = np.random.default_rng(seed)
    n = days * per_day
    end = start + days * 86400.0
    now = end + 4 * H
    reported = np.sort(start + rng.random(n) * days * 86400.0)
    grid_idx = rng.integers(0, len(grids), n)
    dept_idx = rng.integers(0, len(departments), n)
    fate = rng.random(n)  # < .02 rejected, < .04 merged, < .20 self-resolved, else dispatched
    limit_h = rng.choice([2.0, 4.0, 24.0, 72.0], n, p=[0.2, 0.3, 0.3, 0.2])
    handle = rng.gamma(2.0, 0.3, n) * limit_h  # most finish within their limit
    returns = (rng.random(n) < 0.03).astype(int)
    reworks = (rng.random(n) < 0.02).astype(int)
    extends = (rng.random(n) < 0.01).astype(int)
    sources = list(Source)
    reported, grid_idx, dept_idx, fate = reported.tolist(), grid_idx.tolist(), dept_idx.tolist(), fate.tolist()
    limit_h, handle = limit_h.tolist(), handle.tolist()
    returns, reworks, extends = returns.tolist(), reworks.tolist(), extends.tolist()
    out = []
    for i in range(n):
        t = reported[i]
        common = dict(id=f"B{i:09d}", node=grids[grid_idx[i]], category="10103", urgency=Urgency.NORMAL,
                      source=sources[i % len(sources)], version=6, reported_at=t, reported_by=f"gw-{grid_idx[i]}",
                      description="道路破损", updated_at=t)
        f = fate[i]
        if f < 0.02:
            out.append(Case(state=State.REJECTED, reason="不属于受理范围", **common))
            continue
        if f < 0.04:
            out.append(Case(state=State.MERGED, merged_into="B000000000", **common))
            continue
        if f < 0.20:
            done = t + 1800.0
            state = State.CLOSED if done + 1800 < now else State.SELF_RESOLVED
            out.append(Case(state=state, resolved_at=done, closed_at=done + 1800 if state is State.CLOSED else None,
                            closed_on_time=True if state is State.CLOSED else None, **common))
            continue
        accepted, dispatched = t + 300.0, t + 900.0
        deadline = dispatched + limit_h[i] * H * (1 + extends[i])
        resolved = dispatched + handle[i] * H
        closed = resolved + 2 * H
        sup = Supervision(level=1, reason="群众反复投诉", due=t + 48 * H, by="sup", at=t + 6 * H,
                          replied_at=t + 20 * H) if i % 97 == 0 else None
        base = dict(accepted_at=accepted, dispatched_at=dispatched, department=departments[dept_idx[i]],
                    sla_limit=SlaLimit(ClockKind.NATURAL_HOURS, limit_h[i]), deadline=deadline,
                    warning_at=deadline - 0.2 * limit_h[i] * H, return_count=returns[i],
                    rework_count=reworks[i], extension_count=extends[i], supervision=sup, **common)
        if closed < now:
            out.append(Case(state=State.CLOSED, resolved_at=resolved, closed_at=closed,
                            closed_on_time=resolved <= deadline, **base))
        elif resolved < now:
            out.append(Case(state=State.RESOLVED, resolved_at=resolved, **base))
        else:
            out.append(Case(state=State.IN_PROGRESS,
                            sla_state=SlaState.OVERDUE if deadline < now else SlaState.OK, **base))
    return out, now


def seed(url: str, scale: float, days: int, per_day: int) -> tuple[float, int]:
    """Migrate, import the city, write the cases; returns (as_of, cases)."""
    from sqlalchemy import text

    from backend.city.generate import generate_city
    from backend.store import Store
    from backend.store.commands import case_values
    from domain.hierarchy import Level
    from domain.periods import midnight
    from domain.rules import default_rules

    store = Store.open(url, require_current=False)
    try:
        store.migrate()
        city = generate_city(2023, scale=scale)
        store.import_city(city)
        rules = default_rules()
        store.import_departments(rules.catalog.departments.values())
        grids = sorted(n.code for n in city.nodes if n.level == Level.GRID)
        cases, now = make_cases(grids, sorted(rules.catalog.departments), midnight(MONTH), days, per_day, 7)
        rows = [case_values(c) for c in cases]
        columns = list(rows[0])
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            if store.dialect == "sqlite":
                sql = f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                cur.executemany(sql, [tuple(r[c] for c in columns) for r in rows])
            else:
                with cur.copy(f"COPY cases ({', '.join(columns)}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(tuple(r[c] for c in columns))
            raw.commit()
        finally:
            raw.close()
        with store.engine.begin() as conn:
            if store.dialect == "postgresql":
                conn.execute(text("ANALYZE cases"))
            else:
                conn.execute(text("ANALYZE"))
        return now, len(rows)
    finally:
        store.close()


T = TypeVar("T")


def best(fn: Callable[[], T], repeat: int) -> tuple[float, float, T]:
    """(best wall time, this process's CPU time in that run, result); a first run warms the caches."""
    runs: list[tuple[float, float]] = []
    result = fn()
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append((time.perf_counter() - t, time.process_time() - cpu))
    wall, cpu_time = min(runs)
    return wall, cpu_time, result


def same(a: dict, b: dict) -> bool:
    """Equal counts; the seconds sums to a part in a billion (floating-point addition order differs)."""
    if a.keys() != b.keys():
        return False
    for key in a:
        for f in a[key].__struct_fields__:
            x, y = getattr(a[key], f), getattr(b[key], f)
            if (abs(x - y) > 1e-9 * max(abs(x), abs(y), 1.0)) if isinstance(x, float) else x != y:
                return False
    return True


def run(kind: str, args, workdir: Path) -> None:
    from backend.reports.query import counts_by, recount
    from backend.reports.service import build_report
    from backend.store import Store
    from domain import periods

    with scratch_database(kind, workdir) as url:
        t0 = time.perf_counter()
        as_of, n = seed(url, args.scale, args.days, args.per_day)
        print(f"\n[{kind}] {describe_url(url)}: {n:,} cases seeded in {time.perf_counter() - t0:.1f} s")
        month = periods.period_on("month", MONTH)
        with Store.open(url) as store, store.engine.connect() as conn:
            def report():
                with conn.begin():
                    return build_report(conn, "3702", month, as_of, ("district", "department"))

            t_report, c_report, data = best(report, args.repeat)
            t_sql, c_sql, sql = best(lambda: counts_by(conn, "", month.start, month.end, as_of), args.repeat)
            conn.rollback()
            t_py, c_py, py = best(lambda: recount(conn, "", month.start, month.end, as_of), 1)
            conn.rollback()
        assert same(sql, py), "the SQL and the Python peer disagree"
        total = sql[""]
        print(f"  month {month.label}: 上报数 {total.reported:,}, 应结案数 {total.due:,}, 按期结案数 "
              f"{total.on_time:,}, 结案数 {total.closed:,}, 超期未结 {total.overdue_open:,} (SQL = peer: yes)")
        where = "in this process" if kind == "sqlite" else "client side only"
        print(f"  {'':58}{'wall':>9}{'CPU (' + where + ')':>30}")
        print(f"  report (month + previous, district and department tables) {t_report:8.3f} s {c_report:8.3f} s   "
              f"{'< 2 s' if t_report < 2 else '>= 2 s (MISS)'}; {len(data.tables[0].rows)} districts")
        print(f"  sql total (one GROUP BY per family)                       {t_sql:8.3f} s {c_sql:8.3f} s")
        print(f"  python peer (load rows, decode, count)                    {t_py:8.3f} s {c_py:8.3f} s")
        print(f"  ratio peer / sql total: {t_py / t_sql:,.0f}x; peer / whole report: {t_py / t_report:,.1f}x")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="both", help="sqlite, postgresql, both (postgresql needs $GRIDCC_PG_URL)")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--per-day", type=int, default=9000)
    ap.add_argument("--scale", type=float, default=1.0, help="city size (1.0 ≈ 14,000 grids)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in kinds and pg_base_url() is None:
        print("(GRIDCC_PG_URL is not set: PostgreSQL skipped)")
        kinds.remove("postgresql")
    print(machine_note())
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            run(kind, args, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
