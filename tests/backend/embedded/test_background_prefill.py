"""The demo's last hours simulated behind a serving hub end where the synchronous fast-forward ends."""

from __future__ import annotations

from backend.embedded import DemoCity
from tests.backend.embedded.test_demo import MORNING


def _city(tmp_path, name: str, background: bool) -> DemoCity:
    return DemoCity(db=f"sqlite:///{tmp_path / name}", scale=0.05, speed=1.0, prefill_hours=3.0, evidence=False,
                    human_role="operator", handover_hours=1.5, sim_start=MORNING, paused=True,
                    background_prefill=background, console_token=background)


def _gridwork_counts(city: DemoCity) -> tuple:
    """The grid work simulator's counts, and what the store holds of the register and the visits."""
    from sqlalchemy import func, select

    from backend.gridwork.tables import CarePersonRow, VisitRow

    gw = city.gridwork
    assert gw is not None and city.store is not None
    with city.store.engine.connect() as conn:
        people = conn.execute(select(func.count()).select_from(CarePersonRow)).scalar_one()
        visits = conn.execute(select(func.count()).select_from(VisitRow)).scalar_one()
    return people, visits, gw.visits, gw.meetings, gw.patrols, gw.cases, gw.t


def test_background_prefill_ends_with_the_cases_of_the_synchronous_one(tmp_path):
    synchronous = _city(tmp_path, "sync.db", False).start()
    try:
        assert synchronous.prefilled.is_set()
        expected = (synchronous.prefill_cases, synchronous.prefill_stats, synchronous.human_streets)
        gridwork = _gridwork_counts(synchronous)
    finally:
        synchronous.stop()
    background = _city(tmp_path, "background.db", True)
    background.prefill_go.clear()  # as gridcc demo does until its console is live
    background.start()
    try:
        assert background.hub is not None and background.url.startswith("ws://")  # serving already
        # nothing of the last hours (nor the grid's register) before the go
        assert not background.gridwork_ready.is_set() and background.prefill_done == 0.0
        assert background.gridwork is None
        # the console's token, issued while starting, is the operator's at the default street
        assert background.console is not None
        scope, token = background.console
        actor = background.store.authenticate(token)
        assert actor is not None and actor.role.value == "operator" and actor.scope == scope
        assert scope == background.default_scope("operator") == background.human_scope
        background.prefill_go.set()
        assert background.prefilled.wait(300), "the background prefill never ended"
        assert background.prefill_done == 1.0
        assert expected[0] and expected[0] > 0
        assert (background.prefill_cases, background.prefill_stats, background.human_streets) == expected
        # the register, the month of visits and the last hours of grid work, drawn on the write thread
        assert background.gridwork_ready.is_set()
        assert gridwork[0] > 0 and gridwork[1] > 0
        assert _gridwork_counts(background) == gridwork
        assert background.clock.now() == MORNING  # paused at the live start, where the sync clock starts
        assert background.hub.hub.sweeping
    finally:
        background.stop()


def test_the_evidence_side_listens_from_the_start_and_serves_after_the_go(tmp_path):
    """Its URL is known while starting; a request sent before the go waits and is answered after it,
    and the simulator photographs the fast-forward's cases as in the synchronous start."""
    import concurrent.futures
    import urllib.request

    def photos(city: DemoCity) -> int:
        from sqlalchemy import text

        with city.store.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM case_events WHERE kind = 'attach'")).scalar_one()

    def city(name: str, background: bool) -> DemoCity:
        return DemoCity(db=f"sqlite:///{tmp_path / name}", scale=0.05, speed=1.0, prefill_hours=1.0,
                        human_role="operator", sim_start=MORNING, paused=True, background_prefill=background)

    synchronous = city("sync.db", False).start()
    try:
        expected = photos(synchronous)
    finally:
        synchronous.stop()
    background = city("background.db", True)
    background.prefill_go.clear()
    background.start()
    try:
        assert background.hub is not None and background.hub.hub.http is None  # not served yet
        url = background.http_url
        assert url is not None and url.startswith("http://127.0.0.1:")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            early = pool.submit(lambda: urllib.request.urlopen(url + "/healthz", timeout=120).status)
            assert not early.done()
            background.prefill_go.set()
            assert early.result(timeout=120) == 200
        assert background.prefilled.wait(300)
        assert background.hub.hub.http is not None and background.http_url == url
        assert expected > 0 and photos(background) == expected
    finally:
        background.stop()
