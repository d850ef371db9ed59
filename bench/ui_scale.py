"""UI scale benchmark: the operator console at city scale (issue 6, "Pictures and speed").

A real hub (``HubThread`` over SQLite) holds a Qingdao-sized caseload seeded by
``bench/_ui_data.py``: about 1M cases in the database, of which 100k are open and ~9k
were closed in the last 24 h. A real ``Console`` opens at city scope (3702) against it,
offscreen. Measured in one run:

1. time to the first interactive window (probe, directory, window, first paint), time to
   the snapshot fully applied, and the longest GUI-thread stall meanwhile;
2. drill-down: ``choose_node`` + ``refresh`` over ~50 random nodes at every level;
3. the KPI/chart part of ``refresh()`` with dirty data at city scope, part by part;
4. table repaint while scrolling through all rows; ``model.sync()`` after 500 events;
5. peers in the same run: the same rows in a QStandardItemModel and in a plain Python
   table model, each behind a QSortFilterProxyModel (sort, filter, scroll), and the ratios.

Not a test; run ``python bench/ui_scale.py`` (about 5 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine_note, percentile, rss_bytes  # noqa: E402

SCOPE = "3702"  # 青岛市: the city-scope console
ROWS: list[tuple[str, str, str]] = []  # (section, what, figure) for the closing table


def quiet_qt() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()" chatter; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def note(section: str, what: str, figure: str) -> None:
    ROWS.append((section, what, figure))
    print(f"  {what}: {figure}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def dist(values: list[float]) -> str:
    return f"p50 {ms(percentile(values, 50))}, p95 {ms(percentile(values, 95))}, max {ms(max(values))} (n={len(values)})"


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def spin(until, timeout: float, label: str, step_ms: int = 10) -> None:
    """Run the Qt event loop until ``until()`` holds (timers, the bridge, painting keep going)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, deadline = QEventLoop(), time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{label}: not within {timeout:.0f} s")
        QTimer.singleShot(step_ms, loop.quit)
        loop.exec()


class Heartbeat:
    """A 10 ms GUI timer; the longest gap between its ticks is the longest GUI-thread stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last, self.worst = time.perf_counter(), 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst, self.last = max(self.worst, now - self.last), now

    def reset(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0


class PaintWatch:
    """Notes when a widget is first painted."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        class _Filter(QObject):
            def eventFilter(inner, obj, event) -> bool:  # noqa: N805
                if event.type() == QEvent.Type.Paint and self.at is None:
                    self.at = time.perf_counter()
                return False

        self.at = None
        self._filter = _Filter()
        widget.installEventFilter(self._filter)


# ---- 1. seeding and opening ---------------------------------------------------------------------
def seed(args, tmp: Path):
    from backend.city import generate_city
    from backend.store import Store
    from bench._ui_data import seed_cases
    from domain.rules import default_rules

    print(f"seeding a scale-1.0 city and its caseload into {tmp / 'hub.db'} …", flush=True)
    t0 = time.perf_counter()
    store = Store.open(f"sqlite:///{tmp / 'hub.db'}", require_current=False)
    store.migrate()
    rules = default_rules()
    city = generate_city(seed=args.seed, scale=1.0)
    store.import_city(city)
    store.import_departments(rules.catalog.departments.values())
    city_s = time.perf_counter() - t0
    figs = seed_cases(store, city, rules, now=time.time(), open_cases=args.open, closed_today=args.closed,
                      days=args.days, history=args.history, seed=args.seed,
                      progress=lambda s: print("  " + s, flush=True))
    user_id, token = store.add_user("市级值班员", "operator", SCOPE)
    grids = sum(1 for n in city.nodes if len(n.code) == 15)
    note("data", "city", f"{len(city.nodes)} nodes, {grids} grids, {len(city.workers)} grid workers "
                         f"(generated + imported in {city_s:.1f} s)")
    note("data", "hub database", f"{figs.total} cases ({figs.open} open, {figs.closed_today} closed in the last 24 h, "
                                 f"{figs.history} closed earlier), {figs.events} events; built {figs.build_s:.1f} s, "
                                 f"inserted {figs.insert_s:.1f} s, {(tmp / 'hub.db').stat().st_size / 1e6:.0f} MB")
    note("data", "in total", f"{figs.reports} reports in {args.days + 1} days (~9,000 a day): what the city's hub "
                             f"holds; {figs.reports - figs.total} closed days ago are not stored (--history -1 "
                             f"stores them)")
    note("data", "replica's share", f"a snapshot carries open + closed-in-24 h only (docs/protocol.md): "
                                    f"{figs.open + figs.closed_today} of {figs.reports}; the other "
                                    f"{figs.reports - figs.open - figs.closed_today} never reach the console")
    return store, rules, user_id, token


def open_console(url: str, token: str, tmp: Path, heartbeat: Heartbeat):
    from desktop.app import Console

    heartbeat.reset()
    t0 = time.perf_counter()
    console = Console(url, token, scope=SCOPE, outbox_path=tmp / "outbox.sqlite3", quiet=True)
    built = time.perf_counter() - t0
    watch = PaintWatch(console.window.table.view.viewport())
    console.window.resize(1600, 1000)
    console.window.show()
    spin(lambda: watch.at is not None, 60, "first paint")
    first = watch.at - t0
    stall_before = heartbeat.worst
    client = console.client
    spin(lambda: client.replica.ready, 600, "snapshot")
    loaded = time.perf_counter() - t0
    note("open", "console built (probe + directory + window + controller)", ms(built))
    note("open", "first interactive window (first paint of the queue table)", ms(first))
    note("open", "snapshot fully applied (replica ready)", f"{loaded:.2f} s after start; "
                                                          f"{len(client.replica)} cases in the replica")
    note("open", "longest GUI-thread stall", f"{ms(stall_before)} until first paint, "
                                             f"{ms(heartbeat.worst)} until the snapshot was in")
    return console


# ---- 2–4. the console at scale ---------------------------------------------------------------------
def drill(console, rng: random.Random, n: int) -> None:
    from PySide6.QtCore import QCoreApplication

    from domain.hierarchy import Level

    h = console.directory.hierarchy
    levels = (Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID)
    codes = [rng.choice(h.at_level(levels[i % 4])) for i in range(n)]
    ctl, switch, painted = console.controller, [], []
    for code in codes:
        t0 = time.perf_counter()
        ctl.choose_node(code)
        ctl.refresh()
        t1 = time.perf_counter()
        console.window.repaint()
        switch.append(t1 - t0)
        painted.append(time.perf_counter() - t0)
        QCoreApplication.processEvents()  # let queued events run, untimed
    ctl.choose_node(console.directory.root)
    note("drill", f"choose_node + refresh, {n} nodes (district/street/community/grid)", dist(switch))
    note("drill", "… plus a full window repaint", dist(painted))


CHART_PARTS = ("tab counts", "KPIs", "hourly", "category mix", "children", "SLA gauge")


def chart_parts(console, runs: int) -> None:
    """The dirty block of ConsoleController.refresh, part by part (figures + widget update)."""
    from desktop import figures

    ctl, w = console.controller, console.window
    index, replica, d, node = console.client.index, console.client.replica, console.directory, ctl.node
    now = console.client.server_now()
    parts = {
        "tab counts": lambda: w.tabs.set_counts({q.value: k for q, k in index.counts(node).items()}),
        "KPIs": lambda: w.kpis.set_values(figures.kpis(replica, index, node, now)),
        "hourly": lambda: w.hourly.update_hourly(*figures.hourly(replica, node, now)),
        "category mix": lambda: w.categories.update_categories(figures.category_mix(index, node, d)),
        "children": lambda: w.children.update_children(figures.children(replica, d, node),
                                                       figures.children_alerts(replica, d, node)),
        "SLA gauge": lambda: w.gauge.update_sla(*figures.sla_shares(replica, node)),
    }
    times = {k: [] for k in parts}
    whole = []
    for _ in range(runs):
        for k, fn in parts.items():
            times[k].append(timed(fn))
        ctl._dirty = True
        whole.append(timed(ctl.refresh))
    for k in CHART_PARTS:
        note("charts", f"{k} at city scope", dist(times[k]))
    note("charts", "whole refresh() with dirty data at city scope", dist(whole))


def scroll(view, steps: int) -> list[float]:
    bar, out = view.verticalScrollBar(), []
    top = bar.maximum()
    for i in range(steps):
        t0 = time.perf_counter()
        bar.setValue(round(i * top / max(1, steps - 1)))
        view.viewport().repaint()
        out.append(time.perf_counter() - t0)
    bar.setValue(0)
    return out


def event_batches(console, store, rules, hub, user_id: str, batches: int, size: int, rng: random.Random) -> None:
    """Commands through the store's own batch path, fed live; then one model.sync() and one refresh()."""
    from backend.store.bulk import batch
    from domain import protocol as p
    from domain.model import OPEN_STATES, Action, Actor, Args, Role, State
    from domain.transitions import urge_wait

    actor = Actor(id=user_id, role=Role.OPERATOR, scope=SCOPE, name="市级值班员")
    ctl, client, model = console.controller, console.client, console.controller.model
    syncs, refreshes, applied = [], [], 0
    ctl.timer.stop()  # no display tick between the batch and the timed sync
    for b in range(batches):
        now = time.time()
        pool = [c for c in client.replica.cases.values() if c.state in OPEN_STATES and urge_wait(c, now) == 0]
        with batch(store) as bt:
            for i, case in enumerate(rng.sample(pool, size)):
                if case.state is State.REPORTED:
                    action, args = Action.ACCEPT, Args()
                elif case.state is State.ACCEPTED:
                    action, args = Action.DISPATCH, Args(department=rules.catalog.categories[case.category]
                                                         .default_department)
                else:
                    action, args = Action.URGE, Args(message="请加快处置")
                answer = bt.execute("bench-ui", f"b{b}-{i}", action, case.id, case.version, args, actor, now, rules)
                applied += isinstance(answer, p.CommandAck)
        head = store.head()[1]
        hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
        spin(lambda: client.replica.seq >= head and not client.inbox, 60, "batch events")
        syncs.append(timed(model.sync))
        ctl._dirty = True
        refreshes.append(timed(ctl.refresh))
    ctl.timer.start()
    note("events", f"model.sync() after a batch of {size} events (city, 全部, {model.rowCount()} rows)", dist(syncs))
    note("events", "whole refresh() after the batch", f"{dist(refreshes)}; {applied} of {batches * size} commands acked")


# ---- 5. the peers ----------------------------------------------------------------------------------
def rows_as_text(model) -> list[list[str]]:
    """What the GridCC table shows, row by row (the peers get the same strings)."""
    from widgets.queue_model import COLUMNS

    return [[model._display(model.case_at(r), c) for c in range(len(COLUMNS))] for r in range(model.rowCount())]


def python_model(rows):
    from PySide6.QtCore import QAbstractTableModel, Qt

    display = Qt.ItemDataRole.DisplayRole

    class PyRows(QAbstractTableModel):
        def rowCount(self, parent=None) -> int:
            return len(rows)

        def columnCount(self, parent=None) -> int:
            return len(rows[0]) if rows else 0

        def data(self, index, role=display):
            return rows[index.row()][index.column()] if role == display else None

    return PyRows()


def standard_model(rows):
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(0, len(rows[0]))
    for row in rows:
        model.appendRow([QStandardItem(v) for v in row])
    return model


def measure_peer(make, rows, column: int, text: str, steps: int, size) -> dict:
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QTableView

    rss0 = rss_bytes(os.getpid())
    t0 = time.perf_counter()
    source = make(rows)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterKeyColumn(-1)
    view = QTableView()
    view.setModel(proxy)
    view.resize(size)  # the GridCC table's size: the same rows on screen
    view.show()
    spin(lambda: view.windowHandle() is not None and view.windowHandle().isExposed(), 30, "peer window shown")
    view.viewport().repaint()
    out = {"rows": len(rows), "load": time.perf_counter() - t0, "mb": (rss_bytes(os.getpid()) - rss0) / 1e6}
    t0 = time.perf_counter()
    proxy.sort(column, Qt.SortOrder.DescendingOrder)
    view.viewport().repaint()
    out["sort"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    proxy.setFilterFixedString(text)
    view.viewport().repaint()
    out["filter"] = time.perf_counter() - t0
    out["shown"] = proxy.rowCount()
    proxy.setFilterFixedString("")
    out["scroll"] = scroll(view, steps)
    view.close()
    return out


def peers(console, args) -> None:
    from domain.queues import Queue
    from widgets.queue_model import COL_CATEGORY, COL_REPORTED
    from PySide6.QtCore import Qt

    ctl, model, view = console.controller, console.controller.model, console.window.table.view
    ctl.choose_node(console.directory.root)
    ctl.choose_queue(Queue.ALL.value)
    cats = {}
    for r in range(0, model.rowCount(), 7):
        name = model._display(model.case_at(r), COL_CATEGORY)
        cats[name] = cats.get(name, 0) + 1
    text = max(cats, key=cats.get)  # the commonest category name
    ours = {"rows": model.rowCount()}
    ours["scroll"] = scroll(view, args.scroll_steps)
    ours["sort"] = timed(lambda: (model.sort(COL_REPORTED, Qt.SortOrder.DescendingOrder), view.viewport().repaint()))
    ours["filter"] = timed(lambda: (console.window.table.filter_edit.setText(text), view.viewport().repaint()))
    ours["shown"] = model.rowCount()
    console.window.table.filter_edit.setText("")
    note("table", f"scroll {args.scroll_steps} steps through {ours['rows']} rows (setValue + viewport repaint)",
         dist(ours["scroll"]))
    t0 = time.perf_counter()
    rows = rows_as_text(model)
    note("peer", "row texts for the peers", f"{len(rows)} rows × {len(rows[0])} in {time.perf_counter() - t0:.1f} s")
    results = {"GridCC (custom model on the numpy index)": ours}
    results["QStandardItemModel + QSortFilterProxyModel"] = measure_peer(standard_model, rows, COL_REPORTED, text,
                                                                         args.scroll_steps, view.size())
    pilot_n = min(len(rows), 10_000)
    pilot = measure_peer(python_model, rows[:pilot_n], COL_REPORTED, text, 3, view.size())
    per = pilot["sort"] / (pilot_n * max(1.0, _log2(pilot_n)))
    cap = len(rows)
    while cap > pilot_n and per * cap * _log2(cap) > args.peer_budget:
        cap = int(cap * 0.8)
    label = "Python QAbstractTableModel + QSortFilterProxyModel" + (f" (capped at {cap} rows)" if cap < len(rows) else "")
    results[label] = measure_peer(python_model, rows[:cap], COL_REPORTED, text, args.scroll_steps, view.size())
    print(f"\n{'table':58} {'rows':>7} {'load s':>7} {'MB':>6} {'sort s':>8} {'filter s':>9} {'shown':>7} "
          f"{'scroll p50':>10} {'p95 ms':>7}")
    for name, r in results.items():
        load = f"{r['load']:7.2f}" if "load" in r else f"{'–':>7}"
        mb = f"{r['mb']:6.0f}" if "mb" in r else f"{'–':>6}"
        print(f"{name:58} {r['rows']:7d} {load} {mb} {r['sort']:8.3f} {r['filter']:9.3f} {r['shown']:7d} "
              f"{percentile(r['scroll'], 50) * 1000:10.1f} {percentile(r['scroll'], 95) * 1000:7.1f}")
    for name, r in list(results.items())[1:]:
        scale = len(rows) / r["rows"]  # a capped peer is compared per row (its sort grows a bit faster than that)
        note("ratio", f"{name} / GridCC",
             f"sort {r['sort'] * scale / ours['sort']:.0f}×, filter {r['filter'] * scale / ours['filter']:.0f}×, "
             f"scroll p95 {percentile(r['scroll'], 95) / percentile(ours['scroll'], 95):.1f}×"
             + (f" (peer at {r['rows']} rows, scaled ×{scale:.2f})" if scale > 1 else ""))


def _log2(n: int) -> float:
    import math

    return math.log2(max(2, n))


def profile(console, runs: int = 5) -> None:
    """Where a city-scope dirty refresh spends its time (cProfile, top functions by own time)."""
    ctl, prof = console.controller, cProfile.Profile()
    ctl.choose_node(console.directory.root)
    prof.enable()
    for _ in range(runs):
        ctl._dirty = True
        ctl.refresh()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
    print(f"\nprofile of {runs} dirty refresh() calls at city scope:\n" + "\n".join(buf.getvalue().splitlines()[4:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000, help="open cases")
    parser.add_argument("--closed", type=int, default=9_000, help="cases closed in the last 24 h")
    parser.add_argument("--days", type=int, default=110, help="days of reports (~9,000 a day): ~1M in total")
    parser.add_argument("--history", type=int, default=0,
                        help="how many of the cases closed days ago to store too (-1: all, ~3 min more)")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--drill", type=int, default=52, help="drill-down switches")
    parser.add_argument("--chart-runs", type=int, default=20)
    parser.add_argument("--scroll-steps", type=int, default=200)
    parser.add_argument("--batches", type=int, default=5, help="event batches for model.sync()")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--peer-budget", type=float, default=40.0, help="seconds the Python-model peer may sort")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the city-scope refresh")
    args = parser.parse_args()

    from backend.testing import HubThread
    from desktop.app import application

    started = time.perf_counter()
    print(machine_note(), flush=True)
    quiet_qt()
    app = application("zh_CN")  # noqa: F841 (the QApplication lives while we measure)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="gridcc-ui-scale-") as tmp_name:
        tmp = Path(tmp_name)
        store, rules, user_id, token = seed(args, tmp)
        heartbeat = Heartbeat()
        heartbeat.timer.start()
        with HubThread(store, rules=rules) as hub:
            print("opening the console …", flush=True)
            console = open_console(hub.url, token, tmp, heartbeat)
            try:
                print("drill-down …", flush=True)
                drill(console, rng, args.drill)
                print("charts …", flush=True)
                chart_parts(console, args.chart_runs)
                print("events …", flush=True)
                console.controller.choose_queue("all")
                event_batches(console, store, rules, hub, user_id, args.batches, args.batch_size, rng)
                print("table and peers …", flush=True)
                peers(console, args)
                if args.profile:
                    profile(console)
            finally:
                console.close()
        store.close()
    print(f"\n{'section':8} {'measure':70} figure")
    for section, what, figure in ROWS:
        print(f"{section:8} {what:70} {figure}")
    print(f"\ntotal run {time.perf_counter() - started:.0f} s; {machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
