"""The console fits from 1280×720 at 150 % (853×480 logical pixels) up: nothing runs off-screen."""

from __future__ import annotations

from PySide6.QtCore import QRect

from domain.model import Action

SMALL = (round(1280 / 1.5), round(720 / 1.5))  # 853×480 logical pixels


def _rect_in(widget, window) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def test_console_fits_1280x720_at_150_percent_with_every_action_reachable(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    w = console.window
    hint = w.minimumSizeHint()
    assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1], hint
    w.resize(*SMALL)
    qtbot.waitUntil(lambda: w.width() == SMALL[0] and w.height() == SMALL[1])
    window_rect = w.rect()
    for widget in (w.detail_dock, w.tree_dock, w.alarm_dock, w.status, w.table, w.tabs):
        assert widget.isVisible()
        assert window_rect.contains(_rect_in(widget, w)), widget.objectName()
    # the operator's buttons: those of actions the role can never take are hidden (sign, resolve, ...)
    buttons = [b for b in w.detail.buttons.values() if not b.isHidden()]
    assert w.detail.buttons[Action.APPROVE] in buttons and w.detail.buttons[Action.SIGN] not in buttons
    rects = [_rect_in(b, w) for b in buttons]
    for button, rect in zip(buttons, rects, strict=True):
        assert button.isVisible() and window_rect.contains(rect), button.text()
        assert button.width() >= button.sizeHint().width(), button.text()  # the label is not clipped
    for i, a in enumerate(rects):  # no button lies over another
        assert not any(a.intersects(b) for b in rects[i + 1:])
    for label in (w.status.state_label, w.status.time_label):
        assert window_rect.contains(_rect_in(label, w))


def test_console_uses_a_4k_screen(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    w = console.window
    w.resize(3840, 2160)
    qtbot.waitUntil(lambda: w.width() == 3840)
    qtbot.waitUntil(lambda: w.detail.button_columns() == 5)  # the detail takes its share of a wide screen
    assert w.table.width() > 1500


def test_console_fits_with_larger_text_too(qtbot, qapp, city, hub, open_console):
    """Real CJK fonts at 150 % measure larger than the test platform's; English labels are the
    longest. With text a third larger the console still fits 853×480 logical pixels."""
    from PySide6.QtGui import QFont

    old = qapp.font()
    bigger = QFont(old)
    bigger.setPointSizeF(old.pointSizeF() * 1.33)
    qapp.setFont(bigger)
    try:
        console = open_console(hub.url, city.token("operator", city.street))
        w = console.window
        hint = w.minimumSizeHint()
        assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1], hint
        w.resize(*SMALL)
        qtbot.waitUntil(lambda: w.width() == SMALL[0] and w.height() == SMALL[1])
        detail = w.detail
        detail.title.setText("QD202612030005431 · Reported · Urgent")  # an English title wraps to two lines
        qtbot.waitUntil(lambda: detail.title.height() > detail.title.fontMetrics().height() * 1.5)
        below = detail.split.mapTo(detail, detail.split.rect().topLeft()).y()
        for button in detail.buttons.values():  # every action button at its full height, above the fields
            assert button.height() >= button.sizeHint().height(), button.text()
            assert button.mapTo(detail, button.rect().bottomLeft()).y() < below, button.text()
    finally:
        qapp.setFont(old)


def test_the_queue_takes_three_quarters_beside_the_map_at_1080p(qtbot, city, hub, open_console):
    console = open_console(hub.url, city.token("operator", city.street))
    w = console.window
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.width() == 1920 and w.queue_map_split.width() > 900)
    queue, map_ = w.queue_map_split.sizes()
    assert queue > 2.5 * map_ > 0, (queue, map_)
    w.resize(*SMALL)  # 1280×720 at 150 %: a quarter would not show a map; the queue takes it all
    qtbot.waitUntil(lambda: w.width() == SMALL[0])
    queue, map_ = w.queue_map_split.sizes()
    assert queue > 200 and map_ == 0, (queue, map_)
    w.resize(1920, 1080)  # and back on the big screen the map is there again
    qtbot.waitUntil(lambda: w.width() == 1920)
    queue, map_ = w.queue_map_split.sizes()
    assert queue > 2.5 * map_ > 0, (queue, map_)


def test_sizes_the_operator_dragged_are_kept_and_restored(qtbot, city, hub, open_console):
    token = city.token("operator", city.street)
    console = open_console(hub.url, token, name="first")
    w = console.window
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.width() == 1920 and w.queue_map_split.width() > 900)
    total = sum(w.queue_map_split.sizes())
    w.queue_map_split.moveSplitter(total // 2, 1)  # as a drag of the handle does: half and half
    dragged = w.queue_map_split.sizes()
    assert abs(dragged[0] - dragged[1]) < total // 10
    w.resize(1400, 900)  # a resize keeps what the operator chose (no refit to three quarters)
    qtbot.waitUntil(lambda: w.width() == 1400)
    queue, map_ = w.queue_map_split.sizes()
    assert abs(queue - map_) < (queue + map_) // 8, (queue, map_)
    w.resize(1920, 1080)
    qtbot.waitUntil(lambda: w.width() == 1920)
    console.menus.save_layout()

    again = open_console(hub.url, token, name="second").window  # the next console of this user
    again.resize(1920, 1080)
    qtbot.waitUntil(lambda: again.width() == 1920 and again.queue_map_split.width() > 900)
    queue, map_ = again.queue_map_split.sizes()
    assert abs(queue - map_) < (queue + map_) // 8, (queue, map_)
    console.menus.reset_layout()  # 重置布局: three quarters again
    queue, map_ = w.queue_map_split.sizes()
    assert queue > 2.5 * map_, (queue, map_)
