"""The wall display: layout at each resolution, live figures, rotation, alarms, read-only, reconnect."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QRectF, Qt

from backend.testing import HubProcess
from backend_client.client import CommandFailed, GridClient
from backend_client.connection import Backoff, LinkState
from desktop.wall.controller import HALVES, check_rotation
from desktop.wall.figures import Alarm, RankRow, TickerEntry
from desktop.wall.launch import WallDisplay
from desktop.wall.window import STANDARD, WIDE, WallWindow
from domain import protocol as p
from domain.commands import CommandRequest
from domain.hierarchy import Level
from domain.model import Action, Actor, Args, Role, Source, Urgency
from tests.desktop.conftest import settle
from widgets.common.theme import apply_theme
from widgets.wall.paint import advance, overflow
from widgets.wall.tiles import TILE_KEYS

CITY = "3702"
FAST = Backoff(base=0.05, factor=2.0, cap=0.5)
BLANK = Qt.CursorShape.BlankCursor


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def dark(qapp):
    previous = qapp.styleSheet()
    settle(qapp)
    apply_theme(qapp, "dark")
    yield
    settle(qapp)
    qapp.setStyleSheet(previous)


@pytest.fixture
def open_wall(qtbot, tmp_path, dark):
    opened = []

    def _open(url: str, token: str, size=(1920, 1080), **options) -> WallDisplay:
        clock = FakeClock()
        display = WallDisplay(url, token, show=False, outbox_path=tmp_path / f"wall-{len(opened)}.db", clock=clock,
                              backoff=FAST, **options)
        display.fake_clock = clock
        qtbot.addWidget(display.window)
        display.window.resize(*size)
        display.window.show()
        opened.append(display)
        return display

    yield _open
    for display in opened:
        display.close()


def report(city, grid: str, urgency=Urgency.NORMAL, category="10103", n=[0]):
    n[0] += 1
    actor = Actor(id="gw-1", role=Role.GRID_WORKER, scope=grid[:9], name="网格员")
    answer = city.store.execute(CommandRequest(client_id="grid-worker", id=f"w{n[0]}-{time.time()}",
                                               action=Action.REPORT, case_id=None, expected_version=None,
                                               args=Args(node=grid, category=category, urgency=urgency,
                                                         source=Source.GRID_WORKER, description="井盖缺失"),
                                               actor=actor), time.time(), city.rules)
    assert isinstance(answer, p.CommandAck), answer
    return answer.case


def wake(hub) -> None:
    hub.loop.call_soon_threadsafe(hub.hub.wake_pump)


def grid_in(city, district: str) -> str:
    return min(n.code for n in city.data.nodes if n.level == Level.GRID and n.code.startswith(district))


def districts(city) -> list[str]:
    return sorted(n.code for n in city.data.nodes if n.level == Level.DISTRICT)


# ---- layout -----------------------------------------------------------------------------------
def fill_worst_case(window: WallWindow) -> None:
    """Long names and wide numbers: what must still fit at every resolution."""
    now = time.time()
    window.header.set_titles("即墨区", "网格化服务管理指挥中心 · 青岛市")
    window.header.set_rotation(10, 11, False)
    window.header.set_time(now)
    window.tiles.set_values({"reported": 12345, "closed": 11888, "due": 10987, "on_time_rate": 0.854,
                             "open": 23456, "overdue_open": 1234, "supervised": 888})
    window.hourly.update_hourly(list(range(0, 240, 10)), list(range(240, 0, -10)))
    window.categories.update_categories([("违规户外广告牌匾设置", 12345), ("暴露垃圾", 900), ("楼道电动车充电", 80),
                                         ("邻里纠纷", 7), ("井盖缺失", 6), ("路灯不亮", 5), ("占道经营", 4),
                                         ("道路破损", 3), ("其他", 2)])
    names = ["市南区", "市北区", "黄岛区", "崂山区", "李沧区", "城阳区", "即墨区", "胶州市", "平度市", "莱西市"]
    window.ranking.set_ranking([RankRow(str(i), n, i + 1 if i < 8 else None, 99.9 - i * 3.1, 1.0 - i * 0.031, 9999, 50)
                                for i, n in enumerate(names)], 5)
    window.ticker.set_entries([TickerEntry(str(i), now - 60 * i, list(Urgency)[i % 3], "违规户外广告牌匾设置",
                                           "黄岛区 · 灵山卫街道 · 某某某某某社区居民委员会第十二网格")
                               for i in range(30)], now)
    window.alarm.set_alarms([Alarm("a", "critical", now, "电梯困人", "市南区 · 八大关街道 · 湛山社区"),
                             Alarm("b", "overdue", now, "井盖缺失", "市北区 · 台东街道")])
    window.banner.set_message("Reconnecting…", "Connection lost; trying again in 15 s")
    window.banner.show()


def inside(inner: QRectF, outer: QRectF) -> bool:
    return outer.adjusted(-0.5, -0.5, 0.5, 0.5).contains(inner)


@pytest.mark.parametrize("size, mode", [((1920, 1080), STANDARD), ((3840, 2160), STANDARD), ((3840, 1080), WIDE)])
def test_layout_fits_at_each_resolution(qtbot, dark, size, mode):
    window = WallWindow("wall")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    fill_worst_case(window)
    qtbot.waitUntil(lambda: window.categories.labels() != [])
    window.grab()  # one full paint: pyqtgraph places its text items while painting
    scale = size[1] / 1080
    assert window.mode == mode and window.scale == scale
    whole = QRectF(window.rect())
    panels = window.panels()
    for name, widget in panels.items():
        assert widget.isVisible() and widget.width() > 100 * scale and widget.height() > 40 * scale, name
        assert inside(QRectF(widget.geometry()), whole), name
    rects = {name: QRectF(w.geometry()) for name, w in panels.items()}
    for a in rects:
        for b in rects:
            assert a == b or not rects[a].intersects(rects[b]), f"{a} overlaps {b}"
    for widget in window.painted():
        for box in widget.text_boxes():
            assert overflow(box) is None, f"{type(widget).__name__}: {overflow(box)}"
            assert inside(box.rect, QRectF(widget.rect())), f"{type(widget).__name__}: {box.text!r} leaves the widget"
    for key, box in window.tiles.value_boxes().items():  # headline numbers readable at 8 m
        assert box.font.pixelSize() >= 72 * scale, (key, box.text, box.font.pixelSize())
    assert window.ranking.shown_rows == 10 and window.ticker.shown_rows >= 4
    for chart in (window.hourly, window.categories):
        plot = chart.plot_item
        assert inside(plot.sceneBoundingRect(), QRectF(chart.rect())), type(chart).__name__
        assert plot.titleLabel.itemRect().width() <= plot.vb.width() + 1, type(chart).__name__
    vb = window.categories.plot_item.vb.sceneBoundingRect()
    for label in window.categories._value_labels:  # each bar's number is right of it, inside the plot
        if label.isVisible():
            box = label.sceneBoundingRect()
            assert vb.left() <= box.left() and box.right() <= vb.right() + 0.5, label.textItem.toPlainText()
            assert vb.top() <= box.center().y() <= vb.bottom(), label.textItem.toPlainText()
    widest = max(advance(window.categories._font, name) for name in window.categories.labels())
    assert window.categories.plot_item.getAxis("left").width() >= widest
    # No mouse on a wall: the cursor is blank on the window and inside the charts.
    assert window.cursor().shape() == BLANK
    for chart in (window.hourly, window.categories):
        assert chart.viewport().cursor().shape() == BLANK


def test_bad_settings_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="rotate_seconds must be a number of seconds ≥ 0"):
        check_rotation(-5)
    with pytest.raises(ValueError, match="rotate_seconds"):
        check_rotation("20")
    window = WallWindow("wall")
    with pytest.raises(ValueError, match="unknown tile \\['speed'\\]"):
        window.tiles.set_values({"speed": 3})
    with pytest.raises(ValueError, match="row 0 has 2 cells; the table has 4 columns"):
        window.ticker.set_rows([[None, None]])
    with pytest.raises(ValueError, match="unknown wall arrangement 'round'"):
        window.arrange("round")
    window.deleteLater()


# ---- against a real hub -----------------------------------------------------------------------
def test_live_figures_ticker_and_ranking(qtbot, city, hub, open_wall):
    wall = open_wall(hub.url, city.token("wall", CITY))
    w, ctl = wall.window, wall.controller
    qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE and not w.banner.isVisible(), timeout=15000)
    assert ctl.pages == [CITY] + districts(city) and ctl.node == CITY
    assert w.header.title == "青岛市"
    first, second = districts(city)[:2]
    cases = [report(city, grid_in(city, first)), report(city, grid_in(city, first)),
             report(city, grid_in(city, second), category="20501")]
    wake(hub)
    qtbot.waitUntil(lambda: w.tiles.value_text("reported") == "3", timeout=10000)
    assert w.tiles.value_text("open") == "3" and w.tiles.value_text("overdue_open") == "0"
    qtbot.waitUntil(lambda: w.ticker.case_ids[:3] == [c.id for c in reversed(cases)])
    assert w.ranking.codes == districts(city)  # nothing closed yet: nobody ranked, code order
    assert [row[0].text for row in w.ranking.rows] == ["—"] * len(districts(city))
    assert "not ranked" in w.ranking.footer
    place = w.ticker.rows[0][3].text
    assert place.startswith(wall.directory.node_name(second))
    for key in TILE_KEYS:
        assert w.tiles.value_text(key)  # every tile shows something ("—" for no rate yet)


def spying(log: list[str], name: str, real):
    def spy(*args):
        log.append(name)
        return real(*args)
    return spy


def test_a_due_refresh_feeds_half_the_panels_on_this_tick_and_the_rest_on_the_next(qtbot, city, hub, open_wall):
    wall = open_wall(hub.url, city.token("wall", CITY))
    w, ctl = wall.window, wall.controller
    qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE and not w.banner.isVisible(), timeout=15000)
    ctl.timer.stop()  # the ticks are driven here
    fed: list[str] = []
    for name, panel, setter in (("tiles", w.tiles, "set_values"), ("hourly", w.hourly, "update_hourly"),
                                ("categories", w.categories, "update_categories"),
                                ("ranking", w.ranking, "set_ranking"), ("ticker", w.ticker, "set_entries"),
                                ("alarms", w.alarm, "set_alarms")):
        setattr(panel, setter, spying(fed, name, getattr(panel, setter)))
    assert sorted(HALVES[0] + HALVES[1]) == sorted(["tiles", "hourly", "categories", "ranking", "ticker", "alarms"])

    ctl.refresh(force=True)  # on show and on a move: every panel at once
    assert sorted(fed) == sorted(HALVES[0] + HALVES[1])
    fed.clear()
    case = report(city, grid_in(city, districts(city)[0]))
    wake(hub)
    qtbot.waitUntil(lambda: case.id in wall.client.replica.cases, timeout=10000)
    ctl.refresh()  # changed, but within a second of the last refresh: the clock only
    assert fed == []
    ctl._full_mark -= 1.0  # the second has passed
    ctl.refresh()
    assert sorted(fed) == sorted(HALVES[0]) and w.tiles.value_text("reported") == "1"
    assert case.id not in w.ticker.case_ids  # the ticker is in the other half
    fed.clear()
    ctl.refresh()  # the next tick feeds the rest, though its second has not passed
    assert sorted(fed) == sorted(HALVES[1]) and w.ticker.case_ids[0] == case.id
    fed.clear()
    ctl.refresh()
    assert fed == []  # nothing changed since: nothing fed


def test_rotation_names_each_district_and_keeps_going_with_alarms_on_the_strip(qtbot, city, hub, open_wall,
                                                                              tmp_path):
    wall = open_wall(hub.url, city.token("wall", CITY), rotate_seconds=20)
    w, ctl, clock = wall.window, wall.controller, wall.fake_clock
    qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE, timeout=15000)
    first = districts(city)[0]
    clock.t += 19.5
    ctl.tick()
    assert ctl.node == CITY  # not yet
    clock.t += 0.5
    ctl.tick()
    assert ctl.node == first and w.header.title == wall.directory.node_name(first)
    assert w.header.status == "Rotating 2 / 12"  # the city, its 10 districts and the map
    for _ in range(ctl.page_count - 1):  # round the city and back to the top
        clock.t += 20
        ctl.tick()
    assert ctl.node == CITY

    critical = report(city, city.grids[0], urgency=Urgency.CRITICAL)
    wake(hub)
    qtbot.waitUntil(lambda: w.alarm.shown_case() == critical.id, timeout=10000)
    assert ctl.alarming and not ctl.paused and w.header.status == f"Rotating 1 / {ctl.page_count}"
    assert "Critical" in w.alarm.texts()
    clock.t += 20
    ctl.tick()
    assert ctl.node == first  # the rotation goes on; the alarm stays on the strip
    home = city.grids[0][:6]
    other = next(d for d in districts(city) if d != home)
    def show(code):
        while ctl.node != code:
            ctl.rotate()

    show(other)  # another district's page shows neither its alarm nor its report
    qtbot.waitUntil(lambda: w.alarm.shown_case() is None)
    assert critical.id not in w.ticker.case_ids
    show(home)
    qtbot.waitUntil(lambda: w.alarm.shown_case() == critical.id)
    assert critical.id in w.ticker.case_ids

    operator = GridClient(hub.url, city.token("operator", city.street), city.street,
                          outbox_path=tmp_path / "operator.db", backoff=FAST)
    try:  # acknowledged at a console, gone from the wall
        operator.start()
        assert operator.wait_until(lambda c: critical.id in c.replica.cases, 15)
        ack = operator.acknowledge(critical.id).result(15)
        assert ack.case.acknowledged_by is not None
    finally:
        operator.close()
    qtbot.waitUntil(lambda: not w.alarm.active, timeout=10000)
    assert not ctl.alarming and w.alarm.texts() == ["No unacknowledged alarms"]


def test_the_wall_cannot_act(qtbot, city, hub, open_wall):
    wall = open_wall(hub.url, city.token("wall", CITY))
    qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE, timeout=15000)
    case = report(city, city.grids[0], urgency=Urgency.CRITICAL)
    wake(hub)
    qtbot.waitUntil(lambda: wall.client.replica.get(case.id) is not None, timeout=10000)
    forced = wall.client.acknowledge(case.id)
    qtbot.waitUntil(forced.done, timeout=10000)
    with pytest.raises(CommandFailed) as refused:
        forced.result()
    assert refused.value.code is p.ErrorCode.FORBIDDEN
    assert wall.client.replica.get(case.id).acknowledged_by is None
    assert wall.controller.alarming  # still alarming: a wall's refusal changes nothing


@pytest.mark.slow
def test_reconnect_banner_while_the_hub_restarts(qtbot, city, tmp_path, open_wall):
    token = city.token("wall", CITY)
    hub = HubProcess(city.db, tmp_path, name="wall-hub").start()
    try:
        wall = open_wall(hub.url, token)
        banner = wall.window.banner
        qtbot.waitUntil(lambda: wall.client.state.state is LinkState.LIVE and not banner.isVisible(), timeout=15000)
        hub.kill()
        qtbot.waitUntil(banner.isVisible, timeout=15000)
        assert banner.title == "Reconnecting…" and banner.detail
        for box in banner.text_boxes():
            assert overflow(box) is None
        case = report(city, city.grids[0])  # work goes on while the wall is cut off
        hub.start()  # same port, same database
        qtbot.waitUntil(lambda: not banner.isVisible() and wall.client.state.state is LinkState.LIVE, timeout=30000)
        qtbot.waitUntil(lambda: case.id in wall.window.ticker.case_ids, timeout=10000)
    finally:
        hub.stop()
