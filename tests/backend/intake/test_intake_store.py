"""Filing at the store: concurrent senders of one ticket make one case; refusals leave nothing."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from backend.intake.store import IntakeStore, Submission
from backend.store import Store
from backend.store.models import CaseRow, CommandLogRow, IntakeRow
from domain.intake import IntakeError
from domain.model import Urgency
from tests.backend.intake.conftest import GRID_1, OTHER_GRID


def submission(external_id: str = "GD-1", node: str = GRID_1) -> Submission:
    return Submission(channel="hotline", external_id=external_id, node=node, category="10103",
                      urgency=Urgency.NORMAL, description="井盖丢失", contact={"phone": "13600000000"})


def rows(store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (CaseRow, IntakeRow, CommandLogRow))


def test_one_ticket_from_several_connections_at_once_is_one_case(city_store, db_url, rules):
    key = IntakeStore(city_store).add_key("h", "hotline", "qd12345", "3702", 60, time.time())[0]
    stores = [Store.open(db_url) for _ in range(4)]
    results, barrier = [], threading.Barrier(len(stores))

    def send(store) -> None:
        barrier.wait()
        results.append(IntakeStore(store).file(key, submission(), time.time(), rules))

    threads = [threading.Thread(target=send, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert len(results) == 4 and len({r.case.id for r in results}) == 1
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert rows(city_store) == (1, 1, 1)


def test_a_refused_filing_stores_nothing_not_even_the_command_log(city_store, rules):
    intake = IntakeStore(city_store)
    street_key = intake.add_key("h", "hotline", "qd12345", "370202001", 60, time.time())[0]
    with pytest.raises(IntakeError) as refused:  # the command path's own jurisdiction check
        intake.file(street_key, submission(node=OTHER_GRID), time.time(), rules)
    assert refused.value.code == 403
    with pytest.raises(IntakeError, match="does not exist"):
        intake.file(street_key, submission("GD-2", node="370202001001099"), time.time(), rules)
    with pytest.raises(IntakeError):  # a batch with one refusal files none
        intake.file_many(street_key, [submission("GD-3"), submission("GD-4", node=OTHER_GRID)], time.time(), rules)
    assert rows(city_store) == (0, 0, 0)
    # The corrected ticket goes in under the same number.
    assert intake.file(street_key, submission(), time.time(), rules).created
    assert rows(city_store) == (1, 1, 1)


def test_the_token_bucket_refills_at_the_keys_rate():
    from backend.http.common import RateLimiter
    from backend.intake.keys import ApiKey

    now = [0.0]
    limiter = RateLimiter(lambda: now[0])
    key = ApiKey(id="k1", name="k", kind="open311", source="s", jurisdiction="", rate_per_minute=60, created_at=0.0)
    assert all(limiter.take(key) == 0 for _ in range(60))  # a burst up to the rate
    assert limiter.take(key) == pytest.approx(1.0)
    now[0] = 0.5
    assert limiter.take(key) == pytest.approx(0.5)
    now[0] = 1.0
    assert limiter.take(key) == 0 and limiter.take(key) > 0
    now[0] = 1000.0  # a long pause refills to the burst, no further
    assert sum(limiter.take(key) == 0 for _ in range(100)) == 60
