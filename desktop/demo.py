"""`gridcc demo`: the console, wall or trainer panel over an embedded demo city."""

from __future__ import annotations

import concurrent.futures
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from backend_client import heap

if TYPE_CHECKING:
    from backend.embedded import DemoCity
    from desktop.app import Console
    from desktop.wall.launch import WallDisplay


def real_data_folder(given: str | None) -> Path | None:
    """The real-data folder: as given, else ../shared/data next to the project when it holds both files."""
    if given:
        return Path(given)
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    names = ("qingdao_divisions.csv", "qingdao_districts.geojson")
    return folder if all((folder / n).is_file() for n in names) else None


def _sim_start(args) -> float | None:
    """``--hour``: the simulated clock starts at that hour of today (CST); None: now."""
    hour = getattr(args, "hour", None)
    if hour is None:
        return None
    from domain.calendar import hour_today

    return hour_today(hour, time.time())


def show_map(console, big: bool, node: str | None) -> None:
    """Give the map the console's centre (``big``) and open it at ``node``."""
    if big:
        console.window.restore_queue_map([1, 3])  # kept on show, as a size the operator chose
        centre = console.window.queue_map_split.parent()
        if hasattr(centre, "setSizes"):
            centre.setSizes([3, 1])
    if node:
        console.controller.choose_node(node)


#: Seconds the last hours wait for the console to go live before they are simulated anyway.
PREFILL_WAIT_S = 20


def announce_usable(console, demo=None) -> None:
    """Print "GridCC demo usable" once the city's snapshot is in: tree and queues filled from the hub;
    then let the demo simulate the last hours (``demo.prefill_go``), which waited for it."""

    from backend_client.connection import LinkState

    def usable(*_) -> None:
        console.bridge.live.disconnect(usable)
        print(f"GridCC demo usable: {len(console.client.replica.cases)} cases", flush=True)
        if demo is not None:
            demo.prefill_go.set()

    console.bridge.live.connect(usable)
    if console.client.state.state is LinkState.LIVE:  # live already while the window was being built
        usable()


def show_prefill(console, demo) -> None:
    """While the last hours are simulated behind the open window, say so in its status bar.

    Alarms are held meanwhile: those hours are history, not news (an overdue tick of a case
    closed an hour later must not ring); once caught up, the outstanding ones are shown quietly.
    """
    from PySide6.QtCore import QCoreApplication, QTimer

    window = console.window
    timer = QTimer(window)
    console.controller.hold_alerts(not demo.prefilled.is_set())

    def tick() -> None:
        if demo.prefilled.is_set():
            timer.stop()
            window.statusBar().clearMessage()
            console.controller.hold_alerts(False)
            caught_up(console)
            return
        text = QCoreApplication.translate("Demo", "Simulating the last hours… %1%")  # 正在模拟最近几小时… %1%
        window.statusBar().showMessage(text.replace("%1", str(int(demo.prefill_done * 100))))

    timer.timeout.connect(tick)
    timer.start(500)
    tick()


def caught_up(console) -> None:
    """The last hours are in: give the heap's free pages back (the prefill's temporaries lie
    freed between live blocks; ~12 MB), and say so for scripts waiting on it."""
    started = time.perf_counter()
    heap.trim()
    took = (time.perf_counter() - started) * 1000
    print(f"GridCC demo caught up: {len(console.client.replica.cases)} cases (heap trimmed in {took:.1f} ms)",
          flush=True)


class DemoStart:
    """The demo city imported and started on a thread of its own, at once: the GUI thread
    meanwhile imports Qt and the widgets and builds the application. ``stop()`` stops the city
    whatever the start has reached (a SIGTERM may come while it is still importing)."""

    def __init__(self, args, role: str) -> None:
        self.args, self.role = args, role
        self.future: concurrent.futures.Future[DemoCity] = concurrent.futures.Future()
        self._lock = threading.Lock()
        self._stopping = False
        self._demo: DemoCity | None = None
        threading.Thread(target=self._run, name="demo-start", daemon=True).start()

    def _run(self) -> None:
        args = self.args
        try:
            from backend.embedded import DemoCity

            # The simulator leaves the operator's own streets to the operator.
            demo = DemoCity(db=args.db, seed=args.seed, scale=args.scale, scenario=args.scenario, speed=args.speed,
                            human_role=self.role, human_scope=args.scope, sim_start=_sim_start(args),
                            real_data=real_data_folder(getattr(args, "real_data", None)),
                            background_prefill=not args.wall,  # the wall keeps the whole history before it shows
                            console_token=True)  # issued before the hub serves and the last hours run
            if not args.wall:  # the window opens and goes live first, with the interpreter to itself
                demo.prefill_go.clear()
            demo._start_thread = threading.current_thread()  # type: ignore[attr-defined]  # stop() waits for it
            with self._lock:
                if self._stopping:
                    demo.stop()
                    raise RuntimeError("the demo was stopped while starting")
                self._demo = demo
            self.future.set_result(demo.start())
        except BaseException as exc:
            self.future.set_exception(exc)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            demo = self._demo
        if demo is not None:
            demo.stop()


def run_demo(args, lang: str) -> int:
    if args.role == "trainer" and not args.wall:  # the trainer panel over a training session
        from desktop.trainer.launch import run_trainer_panel

        return run_trainer_panel(lang, scenario=args.scenario, scale=args.scale, seed=args.seed, speed=args.speed,
                                 port=0, home=args.scope)
    role = "wall" if args.wall else args.role
    # The city may create its folder before Qt is imported and application() takes SIGTERM/SIGINT over:
    # a signal meanwhile is held and acted on as soon as the application exists (stopped while starting).
    early_quit = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: early_quit.set())
    starting = DemoStart(args, role)
    opened: Console | WallDisplay | None = None
    try:
        from PySide6.QtCore import QTimer

        from desktop.app import Console, application, exec_unless_quit, show_full, wait_for

        app = application(lang, "dark" if args.wall else "light")
        if early_quit.is_set():
            app._gridcc_quit_requested = True  # type: ignore[attr-defined]
        demo = wait_for(starting.future, 600, app.translate("Demo", "Starting the demo city…"))  # 正在启动演示城市…
        assert demo.console is not None
        scope, token = demo.console
        if args.wall:
            from desktop.wall.launch import open_wall

            if getattr(args, "map", False):  # the map page, held still
                opened = open_wall(demo.url, token, scope=scope, screen=args.screen, rotate_seconds=0,
                                   http_url=demo.http_url)
                opened.controller.show_map()
            else:
                opened = open_wall(demo.url, token, scope=scope, screen=args.screen, http_url=demo.http_url)
        else:
            opened = Console(demo.url, token, scope=scope, http_url=demo.http_url)
            show_map(opened, getattr(args, "map", False), getattr(args, "map_node", None))
            show_full(opened.window)
            show_prefill(opened, demo)
            QTimer.singleShot(PREFILL_WAIT_S * 1000, demo.prefill_go.set)  # should the link never go live
            if getattr(args, "view", None):
                view, _, node = args.view.partition("@")
                if view in opened.desk.VIEWS:  # 新建事件 or 综合查询, filled in as an operator would
                    opened.desk.open_view(view)
                else:
                    opened.gridwork.open_view(view, node or None, tall=True)
        # One line for the trainer (other consoles can join with a token) and for scripts waiting on it.
        print(f"GridCC demo ready: {demo.url} ({role}, {scope})", flush=True)
        if isinstance(opened, Console):
            announce_usable(opened, demo)  # after the ready line: scripts wait for that one first
        return exec_unless_quit(app)
    finally:
        if opened is not None:
            opened.close()
        starting.stop()
