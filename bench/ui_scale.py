"""UI scale benchmark: the operator console at city scale.

A real hub (``HubThread`` over SQLite) holds a Qingdao-sized caseload (``bench/_ui_data.py``):
100k open cases and ~9k closed in the last 24 h, out of ~1M reports of the last 111 days.
A real ``Console`` opens at city scope (3702) against it, offscreen at 1920×1080, and we time:
the first interactive window and the snapshot fully applied (with the longest GUI stall);
drill-down switches at every level; the KPI/chart part of ``refresh()``; ``model.sync()``
after 500 events; table repaint while scrolling; and, in the same run, peers holding the same
rows (a QStandardItemModel and a plain Python model, each behind a QSortFilterProxyModel) for
sort, filter and scroll, with the ratios. Not a test; ``python bench/ui_scale.py`` takes
about 5 minutes on 2 idle cores.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from domain.commands import CommandRequest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import compile_project, machine_note, percentile, rss_bytes  # noqa: E402
from bench._ui_data import peer_model, rows_as_text, seed_hub  # noqa: E402

SCOPE = "3702"  # 青岛市: the city-scope console
SCREEN = (1920, 1080)
ROWS: list[tuple[str, str, str]] = []  # (section, what, figure) for the closing table


def note(section: str, what: str, figure: str) -> None:
    ROWS.append((section, what, figure))
    print(f"  {what}: {figure}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def dist(values: list[float]) -> str:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    return f"p50 {ms(p50)}, p95 {ms(p95)}, max {ms(max(values))} (n={len(values)})"


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def quiet_qt() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()" chatter; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(lambda _m, _c, text: None if "propagateSizeHints" in text else print(text, file=sys.stderr))


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

        self.timer, self.last, self.worst = QTimer(), time.perf_counter(), 0.0
        self.gaps: list[tuple[float, float]] = []  # (start, length) of every gap over 30 ms
        self.timer.timeout.connect(self._tick)
        self.timer.start(10)

    def _tick(self) -> None:
        now = time.perf_counter()
        if now - self.last > 0.03:
            self.gaps.append((self.last, now - self.last))
        self.worst, self.last = max(self.worst, now - self.last), now


class StallSampler:
    """Where the GUI thread is while the heartbeat is late: a sampler thread looks every 2 ms and,
    when the last tick is over ``late`` seconds old, records the GUI thread's innermost frames.
    A sampler that itself wakes late means another thread held the GIL (the hub's, or the client's
    worker): it records that as a "GIL" sample with every thread's frames."""

    def __init__(self, heartbeat: Heartbeat, late: float = 0.03) -> None:
        import threading

        self.heartbeat, self.late, self.gui = heartbeat, late, threading.get_ident()
        self.samples: list[tuple[float, str, str]] = []  # (when, kind, stack text)
        self.on = False
        self.event = ""  # the last Qt event the GUI thread took up: the one in C++ when no Python runs
        self._install_event_filter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-sampler", daemon=True)
        self._thread.start()

    def _install_event_filter(self) -> None:
        from PySide6.QtCore import QObject
        from PySide6.QtWidgets import QApplication

        sampler = self

        class _Last(QObject):
            def eventFilter(self, obj, event) -> bool:
                if sampler.on:
                    sampler.event = f"{_named(obj)} {event.type().name}"
                return False

        self._filter = _Last()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self._filter)

    @staticmethod
    def _stack(frame, depth: int = 7) -> str:
        parts: list[str] = []
        while frame is not None and len(parts) < depth:
            code = frame.f_code
            parts.append(f"{Path(code.co_filename).name}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        return " < ".join(parts)

    def _run(self) -> None:
        import threading

        names = {}
        last = time.perf_counter()
        while not self._stop.wait(0.002):
            now = time.perf_counter()
            if not self.on:
                last = now
                continue
            if now - last > self.late:  # this thread could not run: someone held the GIL
                names = {t.ident: t.name for t in threading.enumerate()}
                frames = sys._current_frames()
                text = " || ".join(f"[{names.get(i, i)}] {self._stack(f, 4)}" for i, f in frames.items()
                                   if i != threading.get_ident())
                self.samples.append((now, f"GIL {ms(now - last)}", text))
            elif now - self.heartbeat.last > self.late:
                frame = sys._current_frames().get(self.gui)
                self.samples.append((now, "GUI", f"{self._stack(frame)} [in {self.event}]"))
            last = now

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def report(self, since: float, top: int = 40) -> None:
        print(f"  stall samples (GUI thread stacks while its heartbeat was > {ms(self.late)} late):")
        seen: dict[tuple[str, str], list[float]] = {}
        for at, kind, text in self.samples:
            seen.setdefault((kind if kind == "GUI" else "GIL", text), []).append(at - since)
        for (kind, text), ats in sorted(seen.items(), key=lambda kv: -len(kv[1]))[:top]:
            print(f"    {len(ats):4d}× {kind} at {ats[0]:.2f}–{ats[-1]:.2f} s: {text}")


def _named(obj) -> str:
    """``Class(name)``, and for an unnamed or Qt-internal object (a scroll area's viewport) the
    nearest named ancestor too, so a sample says whose viewport it was."""
    text = f"{type(obj).__name__}({obj.objectName()})"
    parent = obj
    while (not parent.objectName() or parent.objectName().startswith("qt_")) and parent.parent() is not None:
        parent = parent.parent()
    return text if parent is obj else f"{text} of {type(parent).__name__}({parent.objectName()})"


class PaintWatch:
    """Notes when a widget is first painted (an event filter: Qt virtuals are not to be swapped)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch, self.at = self, None

        class _Filter(QObject):
            def eventFilter(self, obj, event) -> bool:
                if event.type() == QEvent.Type.Paint and watch.at is None:
                    watch.at = time.perf_counter()
                return False

        self._filter = _Filter()
        widget.installEventFilter(self._filter)


class CallTimes:
    """Times calls of chosen Python functions (never Qt virtuals: Shiboken caches those);
    ``undo()`` puts them back."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[float, float]]] = {}  # name -> [(start, duration)]
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, owner, attr: str, name: str, after=None) -> None:
        fn, old = getattr(owner, attr), vars(owner).get(attr)

        def timed_call(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.calls.setdefault(name, []).append((t0, time.perf_counter() - t0))
                if after is not None:
                    after(*a)

        setattr(owner, attr, timed_call)
        self._undo.append((owner, attr, old))

    def first(self, name: str) -> tuple[float, float]:
        return self.calls[name][0]

    def undo(self) -> None:
        for owner, attr, old in reversed(self._undo):
            setattr(owner, attr, old) if old is not None else delattr(owner, attr)


# ---- 1. seeding and opening ---------------------------------------------------------------------
def seed(args, tmp: Path):
    db = args.db if args.db is not None else tmp / "hub.db"
    print(f"seeding a scale-1.0 city and its caseload into {db} …", flush=True)
    hub = seed_hub(db, open_cases=args.open, closed_today=args.closed, days=args.days,
                   history=args.history, seed=args.seed, progress=lambda s: print("  " + s, flush=True))
    f, mb = hub.figures, db.stat().st_size / 1e6
    note("data", "city", f"{hub.nodes} nodes, {hub.grids} grids, {hub.workers} grid workers ({hub.city_s:.1f} s)")
    note("data", "hub database", f"{f.total} cases ({f.open} open, {f.closed_today} closed in the last 24 h, "
                                 f"{f.history} closed earlier), {mb:.0f} MB ({f.events} events built, not "
                                 f"stored); built {f.build_s:.1f} s, inserted {f.insert_s:.1f} s")
    note("data", "in total", f"{f.reports} reports in {args.days + 1} days: the city's hub would hold them all, "
                             f"{f.reports - f.total} closed days ago are not stored here (--history -1 stores them); "
                             f"a snapshot carries only open + closed-in-24 h (docs/protocol.md): "
                             f"{f.open + f.closed_today}, the other {f.reports - f.open - f.closed_today} never "
                             f"reach the console")
    user_id, token = hub.store.add_user("市级值班员", "operator", SCOPE)
    return hub.store, hub.rules, user_id, token


#: (owner path, attribute) timed on the way to the snapshot, for the timeline (--timeline)
TIMELINE = (("backend_client.connection:Connection", "_subscribe", "client: subscribe sent (connection thread)"),
            ("backend_client.replica:Replica", "apply_snapshot_begin", "client: snapshot begin in (worker)"),
            ("domain.protocol", "decode_server", "client: decode a frame (worker)"),
            ("backend_client.connection", "decode_server", "client: decode a frame, chunks a case at a time"),
            ("backend_client.replica:Replica", "apply_snapshot_chunk", "client: stage a chunk (worker)"),
            ("backend_client.replica:Replica", "apply_snapshot_end", "client: end the staged snapshot (worker)"),
            ("backend_client.queue_index:CaseIndex", "load", "client: CaseIndex.load (worker)"),
            ("backend_client.queue_index:CaseIndex", "upsert_many", "client: CaseIndex.upsert_many"),
            ("backend_client.client:GridClient", "_adopt", "GUI: swap the built snapshot in"),
            ("desktop.console.controller:ConsoleController", "_on_changes", "GUI: controller._on_changes"),
            ("desktop.console.controller:ConsoleController", "_seed_alarms", "GUI: controller._seed_alarms"),
            ("desktop.console.controller:ConsoleController", "refresh", "GUI: controller.refresh"),
            ("widgets.console.queue_model:QueueTableModel", "sync", "GUI: model.sync"),
            ("desktop.console.map:ConsoleMap", "refresh", "GUI: map.refresh"),
            ("desktop.console.map:ConsoleMap", "_on_changes", "GUI: map._on_changes"),
            ("desktop.console.controller:figures", "kpis", "GUI: figures.kpis"),
            ("desktop.console.controller:figures", "children", "GUI: figures.children"),
            ("desktop.console.controller:figures", "hourly", "GUI: figures.hourly"),
            ("desktop.console.controller:figures", "sla_shares", "GUI: figures.sla_shares"),
            ("desktop.console.controller:figures", "category_mix", "GUI: figures.category_mix"))


def wrap_timeline(watch: CallTimes) -> None:
    import importlib

    for where, attr, name in TIMELINE:
        module, _, owner = where.partition(":")
        target = importlib.import_module(module)
        for part in owner.split(".") if owner else ():
            target = getattr(target, part)
        if hasattr(target, attr):  # the tree measured may not have it (an A/B against main)
            watch.wrap(target, attr, name)


def print_timeline(watch: CallTimes, t0: float, end: float) -> None:
    print(f"  timeline (s from Console(), until {end - t0:.2f} s): first start – last end, calls, sum, longest")
    for _, _, name in TIMELINE:
        calls = [(a, d) for a, d in watch.calls.get(name, []) if a <= end]
        if calls:
            print(f"    {name:48} {calls[0][0] - t0:6.2f} – {max(a + d for a, d in calls) - t0:6.2f}  "
                  f"{len(calls):5d}× sum {sum(d for _, d in calls):6.2f} s, longest {ms(max(d for _, d in calls))}")


def open_console(url: str, token: str, store, tmp: Path, heartbeat: Heartbeat, args=None):
    import desktop.app as app_module
    from backend_client.client import GridClient

    watch = CallTimes()
    watch.wrap(app_module, "probe", "probe")
    if store is not None:
        watch.wrap(store, "snapshot", "snapshot")  # the hub's reader thread builds it
    if args is not None and args.timeline:
        wrap_timeline(watch)
    sampler = StallSampler(heartbeat) if args is not None and args.stalls else None
    watch.wrap(app_module.Directory, "__init__", "directory")
    watch.wrap(app_module.ConsoleController, "__init__", "controller")
    ready_at: list[float] = []
    cpu_at: list[float] = []  # this process's CPU seconds (every thread) when the snapshot was in

    def check_ready(client, *_):
        if not ready_at and client.replica.ready and not client.indexing:
            ready_at.append(time.perf_counter())
            cpu_at.append(time.process_time())

    watch.wrap(GridClient, "drain", "drain", after=check_ready)  # the bridge's timer calls it on the GUI thread
    heartbeat.worst = 0.0
    t0 = heartbeat.last = time.perf_counter()
    cpu0 = time.process_time()
    try:
        console = app_module.Console(url, token, scope=SCOPE, outbox_path=tmp / "outbox.sqlite3", quiet=True)
        built = time.perf_counter() - t0
        paint = PaintWatch(console.window.table.view.viewport())
        console.window.resize(*SCREEN)
        console.window.show()
        spin(lambda: paint.at is not None, 60, "first paint")
        paint_at = paint.at
        assert paint_at is not None
        # a stall under way at the first paint is the window's being built and shown: it counts there
        spin(lambda: heartbeat.last > paint_at, 60, "first heartbeat after the first paint", step_ms=1)
        stall_first = heartbeat.worst
        heartbeat.worst = 0.0  # from here: the stalls while the snapshot loads
        heartbeat.gaps.clear()
        if sampler is not None:
            sampler.on = True
        client = console.client
        spin(lambda: bool(ready_at), 600, "snapshot")
        loaded, stall_load = ready_at[0] - t0, heartbeat.worst
        # the first display ticks after the swap belong to "getting the snapshot in" too
        settle = time.perf_counter() + 1.5
        spin(lambda: time.perf_counter() > settle, 10, "settle")
    finally:
        watch.undo()
        if sampler is not None:
            sampler.stop()
    c = watch.calls
    settled_worst = max((d for a, d in heartbeat.gaps), default=0.0)
    if args is not None and args.timeline:
        print_timeline(watch, t0, settle)
    if heartbeat.gaps:
        print("  GUI gaps over 30 ms (s from Console(): length): " + ", ".join(
            f"{a - t0:.2f}: {ms(d)}" for a, d in heartbeat.gaps))
    if sampler is not None:
        sampler.report(t0)
    snap_at, snap_s = watch.first("snapshot") if "snapshot" in c else (float("nan"), float("nan"))
    dir_at = watch.first("directory")[0]
    ctl_at, ctl_s = watch.first("controller")
    longest_drain = max(d for _, d in c["drain"])
    note("open", "probe (hello → welcome)", ms(watch.first("probe")[1]))
    if "snapshot" in c:
        note("open", "hub builds the snapshot (store.snapshot, hub reader thread)",
         f"{snap_s:.2f} s, from {snap_at - t0:.2f} s")
    note("open", "directory answer in (Console() waits for it)", f"at {dir_at - t0:.2f} s")
    note("open", "directory + window + controller built", f"{ctl_at + ctl_s - dir_at:.2f} s; Console() returned "
                                                          f"at {built:.2f} s")
    note("open", "first interactive window (first paint of the queue table)",
         f"at {paint_at - t0:.2f} s")
    note("open", "snapshot fully applied (replica ready, queue index filled)",
         f"at {loaded:.2f} s; {len(client.replica)} cases held; this process used {cpu_at[0] - cpu0:.2f} CPU-s "
         f"until then (all threads: window, connection, worker)")
    note("open", "longest GUI-thread stall", f"{ms(stall_first)} until first paint (building the window), "
                                             f"{ms(stall_load)} from then until the snapshot was in (while "
                                             f"it loads); longest drain of the inbox {ms(longest_drain)}")
    note("open", "longest GUI-thread stall from first paint to 1.5 s after the snapshot is in",
         f"{ms(max(heartbeat.worst, settled_worst))} (the first display ticks on the new rows included)")
    return console


# ---- 2–4. the console at scale ---------------------------------------------------------------------
def drill(console, rng: random.Random, n: int) -> None:
    from PySide6.QtCore import QCoreApplication

    from domain.hierarchy import Level

    h = console.directory.hierarchy
    levels = (Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.GRID)
    ctl, switch, painted = console.controller, [], []
    for i in range(n):
        code = rng.choice(h.at_level(levels[i % 4]))
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


def chart_parts(console, runs: int) -> None:
    """Dirty ``refresh()`` calls at city scope, timed whole and by part (each figure + its widget)."""
    from desktop.console import controller as cc
    w, f = console.window, cc.figures
    parts = {"tab counts": [(console.client.index, "counts"), (w.tabs, "set_counts")],
             "KPIs": [(f, "kpis"), (w.kpis, "set_values")], "hourly": [(f, "hourly"), (w.hourly, "update_hourly")],
             "category mix": [(f, "category_mix"), (w.categories, "update_categories")],
             "children": [(f, "children"), (f, "children_alerts"), (w.children_chart, "update_children")],
             "SLA gauge": [(f, "sla_shares"), (w.gauge, "update_sla")]}
    watch, whole = CallTimes(), []
    for part, targets in parts.items():
        for owner, attr in targets:
            watch.wrap(owner, attr, part)
    try:
        for _ in range(runs):
            console.controller._dirty = True
            whole.append(timed(console.controller.refresh))
    finally:
        watch.undo()
    for part, targets in parts.items():
        d = [t for _, t in watch.calls[part]]
        per_refresh = [sum(d[i:i + len(targets)]) for i in range(0, len(d), len(targets))]
        note("charts", f"{part} at city scope", dist(per_refresh))
    note("charts", "whole refresh() with dirty data at city scope", dist(whole))


def event_batches(console, store, rules, hub, user_id: str, batches: int, size: int, rng: random.Random) -> None:
    """Commands through the store's own batch path, fed live; then one model.sync() and one refresh()."""
    from backend.store.bulk import batch
    from domain import protocol as p
    from domain.model import OPEN_STATES, Action, Actor, Args, Role, State
    from domain.transitions import urge_wait

    actor = Actor(id=user_id, role=Role.OPERATOR, scope=SCOPE, name="市级值班员")
    ctl, client, model = console.controller, console.client, console.controller.model
    syncs, refreshes, acked = [], [], 0
    ctl.timer.stop()  # no display tick between the batch and the timed sync
    for b in range(batches):
        now = time.time()
        pool = [c for c in client.replica.cases.values() if c.state in OPEN_STATES and urge_wait(c, now) == 0]
        with batch(store) as bt:
            for i, case in enumerate(rng.sample(pool, size)):
                action, args = Action.URGE, Args(message="请加快处置")
                if case.state is State.REPORTED:
                    action, args = Action.ACCEPT, Args()
                elif case.state is State.ACCEPTED:
                    action, args = Action.DISPATCH, Args(department=rules.catalog.category(case.category)
                                                         .default_department)
                answer = bt.execute(CommandRequest(client_id="bench-ui", id=f"b{b}-{i}", action=action,
                                                   case_id=case.id, expected_version=case.version, args=args,
                                                   actor=actor), now, rules)
                acked += isinstance(answer, p.CommandAck)
        head = store.head()[1]
        hub.loop.call_soon_threadsafe(hub.hub.wake_pump)
        spin(lambda head=head: client.replica.seq >= head and not client.inbox, 60, "batch events")
        syncs.append(timed(model.sync))
        ctl._dirty = True
        refreshes.append(timed(ctl.refresh))
    ctl.timer.start()
    note("events", f"model.sync() after {size} events (city, 全部, {model.rowCount()} rows)", dist(syncs))
    note("events", "whole refresh() after the batch", f"{dist(refreshes)}; {acked} of {batches * size} acked")


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


# ---- 5. the peers ----------------------------------------------------------------------------------
def shown_view(model, size):
    """A bare QTableView of ``size`` on ``model``, exposed and painted once."""
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.setModel(model)
    view.resize(size)
    view.show()
    spin(lambda: view.windowHandle() is not None and view.windowHandle().isExposed(), 30, "peer window shown")
    view.viewport().repaint()
    return view


def measure_peer(kind: str, rows, column: int, text: str, steps: int, size) -> dict[str, Any]:
    from PySide6.QtCore import QSortFilterProxyModel, Qt

    rss0, t0 = rss_bytes(os.getpid()), time.perf_counter()
    source = peer_model(kind, rows)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterKeyColumn(-1)
    view = shown_view(proxy, size)  # the GridCC table's size: as many rows on screen
    out: dict[str, Any] = {"rows": len(rows), "load": time.perf_counter() - t0,
                           "mb": (rss_bytes(os.getpid()) - rss0) / 1e6}

    def sort() -> None:
        proxy.sort(column, Qt.SortOrder.AscendingOrder)
        view.viewport().repaint()

    def filter_() -> None:
        proxy.setFilterFixedString(text)
        view.viewport().repaint()

    out["sort"] = timed(sort)
    out["filter"] = timed(filter_)
    out["shown"] = proxy.rowCount()
    proxy.setFilterFixedString("")
    out["scroll"] = scroll(view, steps)
    view.close()
    return out


def peers(console, args) -> None:
    from PySide6.QtCore import Qt

    from widgets.console.queue_model import COL_CATEGORY

    ctl, table = console.controller, console.window.table
    model, view = ctl.model, table.view
    ctl.choose_node(console.directory.root)
    ours: dict[str, Any] = {"load": timed(ctl.choose_queue, "all"), "rows": model.rowCount(), "mb": float("nan")}
    counts: dict[str, int] = {}
    for r in range(0, model.rowCount(), 7):
        name = model._display(model.case_at(r), COL_CATEGORY)
        counts[name] = counts.get(name, 0) + 1
    text = max(counts, key=lambda name: counts[name])  # filter by the commonest category name
    shown = view.viewport().height() // max(1, view.rowHeight(0))
    in_window = scroll(view, args.scroll_steps)
    note("table", f"scroll {args.scroll_steps} steps through {ours['rows']} rows, {shown} on screen "
                  f"(setValue + viewport repaint, in the console window)", dist(in_window))
    size = view.viewport().size()
    bare = shown_view(model, size)
    ours["scroll"] = scroll(bare, args.scroll_steps)  # what the peers get: a bare view of the same size
    bare.close()
    note("table", "… the same model in a bare QTableView of the same size (as the peers)", dist(ours["scroll"]))
    ours["sort"] = timed(lambda: (model.sort(COL_CATEGORY, Qt.SortOrder.AscendingOrder), view.viewport().repaint()))
    ours["filter"] = timed(lambda: (table.filter_edit.setText(text), view.viewport().repaint()))
    ours["shown"] = model.rowCount()
    table.filter_edit.setText("")
    t0 = time.perf_counter()
    rows = rows_as_text(model)
    print(f"  (peer rows: {len(rows)} × {len(rows[0])} texts in {time.perf_counter() - t0:.1f} s; filter {text!r})")
    results = {"GridCC: custom model on the numpy index": ours,
               "QStandardItemModel + QSortFilterProxyModel": measure_peer("standard", rows, COL_CATEGORY, text,
                                                                          args.scroll_steps, size)}
    pilot_n = min(len(rows), 10_000)  # a Python model behind a proxy: sort O(n log n), filter O(n)
    pilot = measure_peer("python", rows[:pilot_n], COL_CATEGORY, text, 3, size)
    cap = len(rows)
    while cap > pilot_n and (pilot["sort"] * cap * math.log2(cap) / (pilot_n * math.log2(pilot_n))
                             + pilot["filter"] * cap / pilot_n) > args.peer_budget:
        cap = int(cap * 0.9)
    capped = f" (capped at {cap} rows)" if cap < len(rows) else ""
    results["Python table model + QSortFilterProxyModel" + capped] = measure_peer(
        "python", rows[:cap], COL_CATEGORY, text, args.scroll_steps, size)
    print(f"\n{'table':62} {'rows':>7} {'load s':>7} {'MB':>5} {'sort s':>7} {'filter s':>8} {'shown':>6} "
          f"{'scroll p50':>10} {'p95 ms':>7}")
    for name, res in results.items():
        p50, p95 = percentile(res["scroll"], 50) * 1000, percentile(res["scroll"], 95) * 1000
        print(f"{name:62} {res['rows']:7d} {res['load']:7.2f} {res['mb']:5.0f} {res['sort']:7.3f} {res['filter']:8.3f} "
              f"{res['shown']:6d} {p50:10.1f} {p95:7.1f}")
    for name, res in list(results.items())[1:]:
        scale = len(rows) / res["rows"]  # a capped peer is scaled per row (its sort grows a little faster)
        note("ratio", f"{name} / GridCC",
             f"sort {res['sort'] * scale / ours['sort']:.0f}×, filter {res['filter'] * scale / ours['filter']:.0f}×, "
             f"scroll p95 {percentile(res['scroll'], 95) / percentile(ours['scroll'], 95):.2f}×, holds "
             f"{res['mb']:.0f} MB more" + (f" (at {res['rows']} rows, scaled ×{scale:.2f})" if scale > 1 else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default, text in (
        ("--open", 100_000, "open cases"), ("--closed", 9_000, "cases closed in the last 24 h"),
        ("--days", 110, "days of reports (~9,000 a day): ~1M in total"),
        ("--history", 0, "store this many of the cases closed days ago (-1: all, ~2.5 min more)"),
        ("--seed", 2023, "random seed"), ("--drill", 52, "drill-down switches"),
        ("--chart-runs", 20, "dirty refreshes timed"), ("--scroll-steps", 200, "scroll steps"),
        ("--batches", 5, "event batches for model.sync()"), ("--batch-size", 500, "events per batch"),
        ("--peer-budget", 30.0, "seconds the Python-model peer may spend sorting + filtering"),
    ):
        parser.add_argument(flag, type=type(default), default=default, help=text)
    parser.add_argument("--db", type=Path, default=None,
                        help="seed into this file once and reuse it on later runs (seeding takes minutes)")
    parser.add_argument("--only-open", action="store_true", help="stop after the console has the snapshot")
    parser.add_argument("--hub", choices=("thread", "process", "both"), default="thread",
                        help="the hub in this process (HubThread, sharing the GIL) or in its own (HubProcess)")
    parser.add_argument("--cache", choices=("cold", "warm", "cold,warm", "warm,cold"), default="cold,warm",
                        help="open the console against a hub just started (cold: snapshots read the database "
                             "until its snapshot cache is loaded), one whose cache is loaded (warm), or both, "
                             "each on a fresh hub")
    parser.add_argument("--timeline", action="store_true", help="time the snapshot's steps on the way in")
    parser.add_argument("--stalls", action="store_true", help="sample the GUI thread while it stalls")
    args = parser.parse_args()
    print(compile_project(), flush=True)  # before the imports below: they are timed as installed

    from backend.embedded import HubThread
    from desktop.app import application

    started = time.perf_counter()
    print(machine_note(), flush=True)
    quiet_qt()
    app = application("zh_CN")  # noqa: F841 (the QApplication lives while we measure)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="gridcc-ui-scale-") as tmp_name:
        tmp = Path(tmp_name)
        store, rules, user_id, token = reuse(args) if args.db is not None and args.db.exists() else seed(args, tmp)
        heartbeat = Heartbeat()
        if args.hub in ("process", "both"):
            for warm in caches(args):
                open_against_process(args, store, token, tmp, heartbeat, warm)
        if args.hub == "process":
            store.close()
            return report(started)
        if args.only_open:
            for warm in caches(args):
                with HubThread(store, rules=rules) as hub:
                    print(f"opening the console (hub in this process, {cache_label(warm)}) …", flush=True)
                    ROWS.append(("open", f"— the hub in this process (HubThread), {cache_label(warm)} —", ""))
                    if warm:
                        wait_warm_thread(hub)
                    open_console(hub.url, token, store, tmp, heartbeat, args).close()
            store.close()
            return report(started)
        if "warm" in args.cache.split(","):
            with HubThread(store, rules=rules) as hub:
                print("opening the console (hub in this process, warm cache) …", flush=True)
                ROWS.append(("open", f"— the hub in this process (HubThread), {cache_label(True)} —", ""))
                wait_warm_thread(hub)
                open_console(hub.url, token, store, tmp, heartbeat, args).close()
        with HubThread(store, rules=rules) as hub:
            ROWS.append(("open", f"— the hub in this process (HubThread), {cache_label(False)} —", ""))
            print("opening the console …", flush=True)
            console = open_console(hub.url, token, store, tmp, heartbeat, args)
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
            finally:
                console.close()
        store.close()
    return report(started)


def report(started: float) -> int:
    print(f"\n{'section':8} {'measure':72} figure")
    for section, what, figure in ROWS:
        print(f"{section:8} {what:72} {figure}")
    print(f"\ntotal run {time.perf_counter() - started:.0f} s; {machine_note()}")
    return 0


def reuse(args):
    """The store seeded by an earlier run with ``--db``; a fresh operator signs in."""
    from backend.store import Store
    from domain.rules import default_rules

    print(f"reusing the hub database {args.db} …", flush=True)
    store = Store.open(f"sqlite:///{args.db}", require_current=False)
    user_id, token = store.add_user("市级值班员", "operator", SCOPE)
    return store, default_rules(), user_id, token


def caches(args) -> list[bool]:
    """Which hubs to open against: False a cold one (just started), True one whose snapshot cache is warm."""
    return [part == "warm" for part in args.cache.split(",")]


def cache_label(warm: bool) -> str:
    return ("warm snapshot cache (the hub had loaded it before the console opened: a hub that runs)" if warm
            else "cold hub (just started: its snapshot cache still loading, snapshots read the database)")


def wait_warm_thread(hub, timeout: float = 120) -> None:
    """Until the in-process hub's snapshot cache is loaded (``Hub.warm_snapshot_cache``)."""
    cache, deadline, t0 = hub.hub.snapshot_cache, time.monotonic() + timeout, time.perf_counter()
    while cache is None or not cache.warm:
        if cache is None or time.monotonic() > deadline:
            raise TimeoutError("the hub's snapshot cache did not warm")
        time.sleep(0.05)
    print(f"  (snapshot cache warm after {time.perf_counter() - t0:.2f} s of waiting; "
          f"{cache.cases} cases at seq {cache.seq}, loaded in {cache.loaded_in:.2f} s)", flush=True)


def wait_warm_process(log_path: Path, timeout: float = 120) -> None:
    """Until the hub process logs "snapshot cache: N cases at seq S, loaded in T s" (it runs at log level info)."""
    deadline, t0 = time.monotonic() + timeout, time.perf_counter()
    while True:
        text = log_path.read_text(errors="replace") if log_path.exists() else ""
        lines = [line for line in text.splitlines() if "snapshot cache:" in line and "loaded in" in line]
        if lines:
            print(f"  (after {time.perf_counter() - t0:.2f} s of waiting: {lines[-1].split(': ', 1)[-1]})",
                  flush=True)
            return
        if "snapshot cache: loading failed" in text or time.monotonic() > deadline:
            raise TimeoutError(f"the hub's snapshot cache did not warm: {text[-2000:]}")
        time.sleep(0.05)


def open_against_process(args, store, token: str, tmp: Path, heartbeat: Heartbeat, warm: bool) -> None:
    """The console against a hub in its own process (as in production: no GIL shared with it)."""
    from backend.testing import HubProcess

    db = args.db if args.db is not None else tmp / "hub.db"
    name = "ui-scale-hub-warm" if warm else "ui-scale-hub"
    os.environ["GRIDCC_HUB_LOG_LEVEL"] = "info"  # the "snapshot cache: … loaded" line
    hub = HubProcess(f"sqlite:///{db}", tmp, name=name).start()
    try:
        label = cache_label(warm)
        print(f"opening the console (hub in its own process, {label}) …", flush=True)
        ROWS.append(("open", f"— the hub in its own process (HubProcess), {label} —", ""))
        if warm:
            wait_warm_process(tmp / f"{name}.log")
        open_console(hub.url, token, None, tmp, heartbeat, args).close()
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
