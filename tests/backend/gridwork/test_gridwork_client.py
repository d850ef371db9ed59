"""backend_client.gridwork against a real hub: results as Futures, refusals as GridworkFailed."""

from __future__ import annotations

import pytest

from backend_client.client import GridClient
from backend_client.gridwork import Gridwork, GridworkFailed
from domain import protocol as p
from domain.gridwork import wire as gw
from tests.backend.gridwork.conftest import DAY, GRID, STREET


def test_client_queries_and_logs_a_visit(hub, tokens, clock, tmp_path):
    client = GridClient(hub.url, tokens["worker"], GRID, outbox_path=tmp_path / "outbox.db").start()
    try:
        work = Gridwork(client)
        portrait = work.portrait(GRID).result(15)
        assert isinstance(portrait, gw.PortraitView) and portrait.name == "浮山所社区第1网格"
        assert {x.name for x in portrait.people} == {"张三明", "李桂英", "王小宝"}  # a grid worker sees names
        clock.advance(7 * DAY)
        queue = work.visit_queue(GRID, overdue_only=True).result(15)
        assert {t.person_id for t in queue.tasks} == {"p-1", "p-3"}
        done = work.log_visit("p-1", "已探访").result(15)
        assert done.op == "log_visit"
        assert {t.person_id for t in work.visit_queue(GRID, True).result(15).tasks} == {"p-3"}
        with pytest.raises(GridworkFailed) as refused:
            work.portrait(STREET).result(15)
        assert refused.value.code == p.ErrorCode.FORBIDDEN
    finally:
        client.close()
