"""A training session: one scenario on an embedded hub, with the clock in the trainer's hands.

No Qt here: the trainer panel's controller calls these methods from a worker thread, and
the tests call them directly. A session is a run of :class:`backend.embedded.demo.DemoCity`
started paused at the scenario's start time (today, China Standard Time) with its store
in a session folder that outlives it (``backend.training.record``). Trainees are users
of that store; their streets are left to humans by the simulator. Reset finishes the run
and starts a fresh store from the same seed and scenario on the same port, with the same
accounts, so trainee consoles reconnect, see the new epoch and take a snapshot.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import msgspec

from backend.embedded.demo import DemoCity, Running, wait_until_started
from backend.sim.scenario import load_scenario
from backend.store import Store
from backend.training import command_log, record
from backend.training.export import write_csv
from backend.training.inject import Schedule, Upcoming, inject, injection_args
from backend.training.roster import copy_users
from backend.training.scorecard import ScoreBook, Trainee, TraineeScore
from domain.hierarchy import Level, level_of
from domain.model import Actor, Role, Source, State, Urgency
from domain.protocol import CommandAck
from domain.rules import default_rules

_CST = datetime.timezone(datetime.timedelta(hours=8))
MIN_SPEED, MAX_SPEED = 1.0, 600.0
HOME_DISTRICT = "370202"  # 市南区: the demo's home, where trainees sit by default
TRAINEE_NAMES = ("学员一", "学员二", "学员三", "学员四", "学员五", "学员六", "学员七", "学员八")


class SessionError(ValueError):
    """Something the trainer asked that cannot be done; the message says why."""


@dataclass(frozen=True)
class TraineeAccount:
    trainee: Trainee
    token: str  # shown to the trainer once per session; never stored

    @property
    def user_id(self) -> str:
        return self.trainee.user_id


def scenario_start(start_of_day: float, today: datetime.date | None = None) -> float:
    """Today's (CST) date at the scenario's time of day, as POSIX seconds."""
    today = today or datetime.datetime.now(_CST).date()
    return datetime.datetime.combine(today, datetime.time(0, 0), _CST).timestamp() + start_of_day


class TrainingSession:
    def __init__(self, *, scenario: str = "normal_day", seed: int = 2023, scale: float = 0.2, speed: float = 60.0,
                 host: str = "127.0.0.1", port: int = 0, sessions_dir: Path | str | None = None,
                 trainees: int = 2, auto_operator_delay: float = 15.0, home: str = HOME_DISTRICT) -> None:
        """``home``: the node whose streets the first trainees sit at (default 市南区)."""
        self.rules = default_rules()
        self._set_scenario(scenario)
        self.home = home
        self._check_speed(speed)
        if not 0 <= trainees <= len(TRAINEE_NAMES):
            raise SessionError(f"trainees must be 0–{len(TRAINEE_NAMES)}, got {trainees}")
        self.seed, self.scale, self.speed = seed, scale, float(speed)
        self.host, self.port, self.auto_operator_delay = host, port, auto_operator_delay
        self.root = record.sessions_root(sessions_dir)
        self.initial_trainees = trainees
        self.demo: DemoCity | None = None
        self.schedule: Schedule | None = None
        self.folder: Path | None = None
        self.record: record.SessionRecord | None = None
        self.trainer: Actor | None = None
        self.accounts: list[TraineeAccount] = []
        self.started = False  # the trainer pressed start at least once in this run
        self._book: ScoreBook | None = None
        self._owners: dict[str, str] = {}  # client id -> user id
        self.signed_in: frozenset[str] = frozenset()  # user ids on the hub when last looked
        self._lock = threading.RLock()

    # ---- life ------------------------------------------------------------------------------
    def start(self, progress=lambda text: None) -> TrainingSession:
        """Build the first run, paused at the scenario's start, with the trainer and the trainees."""
        with self._lock:
            self._launch(progress, *self._new_folder(users_from=None))
            self.trainer = self._new_user("培训师", Role.TRAINER, self._require().default_scope("trainer"))[0]
            streets = self.streets()
            home = [s for s in streets if s.startswith(self.home)] or streets
            for i in range(self.initial_trainees):
                self.add_trainee(TRAINEE_NAMES[i], home[i % len(home)])
            self._save()
            return self

    def _new_folder(self, users_from: Store | None) -> tuple[Path, float]:
        """A session folder with a migrated store holding ``users_from``'s accounts (if any)."""
        created = time.time()
        folder = record.new_session_folder(self.root, created)
        if users_from is not None:
            with Store.open(record.store_url(folder), require_current=False) as fresh:
                fresh.migrate()
                copy_users(users_from, fresh)
        return folder, created

    def _launch(self, progress, folder: Path, created: float) -> None:
        demo = DemoCity(db=record.store_url(folder), seed=self.seed, scale=self.scale, scenario=self.scenario_ref,
                        speed=self.speed, prefill_hours=0, host=self.host, port=self.port,
                        auto_operator_delay=self.auto_operator_delay,
                        human_streets=tuple(sorted({a.trainee.scope[:9] for a in self.accounts})),
                        sim_start=self.sim_start, paused=True, enforce_evidence=False)
        demo.start(progress)
        self.demo, self.folder = demo, folder
        self.schedule = Schedule(demo.running().sim)
        self.port = demo.running().hub.hub.port  # a reset listens where trainees already connect
        self.started = False
        self._book = ScoreBook([a.trainee for a in self.accounts], self.rules.catalog)
        self.record = record.SessionRecord(
            scenario=self.scenario_ref, scenario_name=self.scenario.name, seed=self.seed, scale=self.scale,
            sim_start=self.sim_start, created_at=created, trainer_id=self.trainer.id if self.trainer else "",
            trainees=[a.trainee for a in self.accounts], clients=dict(self._owners),
            sim_client=demo.running().sim.client_id, injector_client=f"trainer-{uuid.uuid4().hex[:12]}")

    def _set_scenario(self, scenario: str) -> None:
        scenario_ref = str(scenario)
        loaded = load_scenario(scenario_ref, self.rules.catalog)  # ScenarioError names the file and field
        self.scenario_ref, self.scenario = scenario_ref, loaded
        self.sim_start = scenario_start(loaded.start)

    def switch_scenario(self, scenario: str, progress=lambda text: None) -> None:
        """Finish this run and start ``scenario`` (a shipped name or a file) with the same trainees."""
        with self._lock:
            self._set_scenario(scenario)
            self.reset(progress)

    def reset(self, progress=lambda text: None) -> None:
        """Finish this run (kept for replay) and start the scenario again from its start."""
        with self._lock:
            old = self._require()
            self._finish()
            folder, created = self._new_folder(users_from=old.store)
            old.stop()  # frees the port the new run's hub takes over
            self.demo = None
            self._launch(progress, folder, created)
            self._save()

    def stop(self) -> None:
        wait_until_started(self)
        with self._lock:
            if self.demo is not None:
                try:
                    self._finish()
                finally:
                    self.demo.stop()
                    self.demo = None

    def _finish(self) -> None:
        clock = self._run().clock
        assert self.record is not None and self.folder is not None  # _launch set them with the demo
        clock.pause()
        self.record.ended_at = clock.now()
        try:
            write_csv(self.folder / "scorecard.csv", self.scores())
        finally:
            self._save()

    def _save(self) -> None:
        if self.record is not None and self.folder is not None:
            self.record.trainer_id = self.trainer.id if self.trainer else ""
            self.record.trainees = [a.trainee for a in self.accounts]
            self.record.clients = dict(self._owners)
            record.save(self.folder, self.record)

    def _require(self) -> DemoCity:
        if self.demo is None:
            raise SessionError("the session is not running: start it first")
        return self.demo

    def _run(self) -> Running:
        demo = self._require()
        try:
            return demo.running()
        except RuntimeError:  # its city is being built or torn down (start, reset): no clock to read yet
            raise SessionError("the session is between two runs: starting or resetting") from None

    # ---- the clock -----------------------------------------------------------------------------
    @staticmethod
    def _check_speed(speed: float) -> None:
        if not isinstance(speed, (int, float)) or not MIN_SPEED <= speed <= MAX_SPEED:
            raise SessionError(f"speed must be within {MIN_SPEED:g}–{MAX_SPEED:g}×, got {speed!r}")

    def now(self) -> float:
        return self._run().clock.now()

    @property
    def paused(self) -> bool:
        return self._run().clock.paused

    def resume(self) -> None:
        """Start (the first time) or resume the scenario's clock."""
        self._run().clock.resume()
        self.started = True

    def pause(self) -> float:
        """Stop the clock, then let the hub finish what was due up to that moment; returns the time.

        Once this returns, neither the simulator nor the SLA sweeper has anything left to do
        at the frozen time, so the stream stands still until someone acts or the clock moves.
        """
        run = self._run()
        run.clock.pause()
        run.hub.call(self._settle())
        return run.clock.now()

    async def _settle(self) -> None:
        run = self._run()
        hub, sim = run.hub.hub, run.sim
        now = hub.clock.now()
        await hub.write(sim.run_due, now)
        await self._grid_work_until(now)
        while await hub.sweep():
            pass
        hub.wake_pump()

    async def _grid_work_until(self, t: float) -> None:
        """The grid's own work (visits, patrols and the cases they report) up to ``t`` too: its live
        loop catches up once a second, and after a jump or a pause it must have nothing left to do."""
        gridwork = self._require().gridwork
        if gridwork is not None:
            await self._run().hub.hub.write(gridwork.run_until, t)

    def set_speed(self, speed: float) -> None:
        self._check_speed(speed)
        self._run().clock.set_speed(float(speed))
        self.speed = float(speed)

    def jump(self, seconds: float) -> float:
        """Skip ahead ``seconds`` of simulated time (paused or running); returns the new time."""
        if not isinstance(seconds, (int, float)) or seconds <= 0:
            raise SessionError(f"a jump goes forward by a positive number of seconds, got {seconds!r}")
        return self.jump_to(self.now() + seconds)

    def jump_to(self, target: float) -> float:
        """Fast-forward the simulator to ``target`` with every step at its own time, then set the clock there.

        The steps skipped run as in fast-forward (reports at their own minute, the SLA sweep
        at each simulated minute it is due), not all at the moment of the jump.
        """
        run = self._run()
        clock = run.clock
        was_paused = clock.paused
        clock.pause()
        try:
            if target > clock.now():
                run.hub.call(self._fast_forward(target), timeout=600)
                clock.reset(target)
        finally:
            if not was_paused:
                clock.resume()
        return clock.now()

    async def _fast_forward(self, target: float) -> None:
        run = self._run()
        hub, sim = run.hub.hub, run.sim
        await hub.write(sim.run_until, target)
        await self._grid_work_until(target)
        hub.wake_pump()

    def next_event(self) -> Upcoming | None:
        """The next scheduled injection or critical case, or None within two simulated days."""
        self._require()
        assert self.schedule is not None  # _launch made it with the demo
        return self.schedule.next_of_interest(self.now())

    def jump_to_next_event(self) -> Upcoming | None:
        """Jump to just after the next event of interest arrives; returns it (None: nothing ahead)."""
        upcoming = self.next_event()
        if upcoming is not None:
            self.jump_to(upcoming.at + 1.0)
        return upcoming

    def scheduled(self) -> list[Upcoming]:
        self._require()
        assert self.schedule is not None  # _launch made it with the demo
        return self.schedule.scheduled()

    # ---- people --------------------------------------------------------------------------------
    def streets(self) -> list[str]:
        return sorted(n.code for n in self._run().store.nodes(with_geometry=False, level=int(Level.STREET)))

    def node_name(self, code: str) -> str:
        return self._run().sim.city.names.get(code, code)

    def grids_of(self, street: str) -> list[str]:
        city = self._run().sim.city
        return [city.grids[i] for i in city.grids_under(street)]

    def _new_user(self, name: str, role: Role, scope: str) -> tuple[Actor, str]:
        user_id, token = self._run().store.add_user(name, role, scope)
        return Actor(id=user_id, role=role, scope=scope, name=name), token

    def add_trainee(self, name: str, street: str) -> TraineeAccount:
        """A new operator account at ``street``; the simulator leaves that street's operator work to humans."""
        with self._lock:
            run = self._run()
            name = (name or "").strip()
            if not name:
                raise SessionError("trainee name is empty")
            try:
                if level_of(street) != Level.STREET:
                    raise SessionError(f"a trainee sits at a street (9 digits), not {street!r}")
            except ValueError as exc:
                raise SessionError(f"street: {exc}") from None
            if street not in self.streets():
                raise SessionError(f"street {street} is not in this city")
            actor, token = self._new_user(name, Role.OPERATOR, street)
            account = TraineeAccount(Trainee(user_id=actor.id, name=name, scope=street), token)
            self.accounts.append(account)
            assert self._book is not None  # _launch made it with the demo
            self._book.add_trainee(account.trainee)
            humans = frozenset(a.trainee.scope[:9] for a in self.accounts)
            run.hub.call(run.hub.hub.write(setattr, run.sim.actors, "human_streets", humans))
            self._save()
            return account

    def note_client(self, client_id: str, user_id: str) -> None:
        """A console the trainer opened for ``user_id`` (its client id is known before it connects)."""
        with self._lock:
            self._owners[client_id] = user_id

    def online(self) -> set[str]:
        """User ids signed in on the hub now; remembers which client each one uses."""
        hub = self._run().hub

        async def sessions() -> list[tuple[str, str]]:
            return [(s.client_id, s.actor.id) for s in hub.hub.sessions if s.client_id]

        seen = hub.call(sessions())
        with self._lock:
            trainees = {a.user_id for a in self.accounts}
            for client, user in seen:
                if user in trainees:
                    self._owners.setdefault(client, user)
            self.signed_in = frozenset(user for _, user in seen)
        return set(self.signed_in)

    # ---- injections ----------------------------------------------------------------------------
    def inject(self, *, grid: str, category: str, urgency: Urgency | str, description: str = "",
               source: Source | str = Source.HOTLINE) -> CommandAck:
        """Report a case by hand as the trainer, now; InjectionError names a bad field."""
        run = self._run()
        assert self.trainer is not None and self.record is not None  # start() made them
        # city.names holds every node; injection_args checks the code is a grid's
        args = injection_args(self.rules.catalog, run.sim.city.names, grid=grid, category=category,
                              urgency=urgency, description=description, source=source)
        return run.hub.call(inject(run.hub.hub, self.trainer, args, self.record.injector_client))

    # ---- the scorecard -------------------------------------------------------------------------
    def scores(self) -> list[TraineeScore]:
        """Every trainee's figures from this run's event log and command log, up to now."""
        with self._lock:
            store = self._run().store
            self.online()  # learn the clients of trainees signed in now (some may have only refusals)
            book = self._book
            assert book is not None and self.record is not None  # _launch made them with the demo
            while True:
                events = store.events_after(book.last_seq, 5000)
                book.feed(events)
                if len(events) < 5000:
                    break
            skip = {self.record.sim_client, self.record.injector_client, *self._owners}
            unknown = command_log.client_ids(store) - skip
            if unknown:
                self._owners.update(command_log.owners_from_acks(store, unknown))
            trainees = [a.user_id for a in self.accounts]
            scores = book.scores(command_log.refusals_by_user(store, self._owners, trainees))
            return [msgspec.structs.replace(score, backlog=self._backlog(store, score.scope)) for score in scores]

    def _backlog(self, store, street: str) -> int:
        """Cases of ``street`` waiting for its operator now (what a trainee has left to do).

        待受理, 待派遣, 退回, and a department's request awaiting the operator's decision (待审批).
        """
        waiting = (State.REPORTED, State.ACCEPTED, State.RETURNED)
        return sum(1 for case in store.snapshot(street, self.now()).cases
                   if case.state in waiting or (case.request is not None and case.request.approved is None))

    def export_csv(self, path: Path | str, headers=None) -> Path:
        return write_csv(path, self.scores(), headers)

    # ---- where trainees connect ----------------------------------------------------------------
    @property
    def url(self) -> str:
        return self._require().url

    def local_url(self) -> str:
        """The address consoles on this machine use (loopback when the hub listens on every interface)."""
        return self._with_host("127.0.0.1")

    def connect_url(self) -> str:
        """The address trainees' machines use: the listening host, or this machine's name for 0.0.0.0."""
        import socket

        return self._with_host(socket.gethostname())

    def _with_host(self, name: str) -> str:
        port = self._run().hub.hub.port
        host = self.host if self.host not in ("0.0.0.0", "::", "") else name
        host = f"[{host}]" if ":" in host else host
        return f"ws://{host}:{port}/v1/feed"
