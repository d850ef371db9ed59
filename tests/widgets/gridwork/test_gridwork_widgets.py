"""The grid-work views over plain data: overdue rows in red, the log-visit dialog's values."""

from __future__ import annotations

from domain.gridwork import wire as gw
from domain.gridwork.visits import VisitRate, VisitTask
from widgets.gridwork.tables import ALERT
from widgets.gridwork.visits import LogVisitDialog, VisitQueuePanel

NOW = 1773108000.0


def test_visit_queue_marks_overdue_rows_and_asks_to_log(qtbot):
    panel = VisitQueuePanel(lambda code: {"g1": "第1网格"}.get(code, code))
    qtbot.addWidget(panel)
    panel.set_may_log(True)
    view = gw.VisitQueueView(scope="s", now=NOW, overdue=1, tasks=[
        VisitTask(id=1, person_id="p-1", person_name="张*明", grid="g1", groups=("elderly_alone",),
                  due_at=NOW - 86400, worker="gw-1", worker_name="陈芳", overdue=True, days_overdue=1.0),
        VisitTask(id=2, person_id="p-2", person_name="李*英", grid="g1", groups=("disabled",), due_at=NOW + 3600)],
        rates=[VisitRate(key="g1", name="", due=20, done_on_time=19, overdue_open=1)],
        rate=VisitRate(key="s", name="", due=20, done_on_time=19, overdue_open=1))
    panel.set_queue(view)
    assert panel.tasks.rowCount() == 2 and panel.tasks.item(0, 2).text() == "第1网格"
    assert panel.tasks.item(0, 0).foreground().color() == ALERT
    assert panel.tasks.item(1, 0).foreground().color() != ALERT
    assert panel.tiles.tiles["rate"].value.text() == "95.0%" and panel.tiles.tiles["overdue"].value.text() == "1"
    assert not panel.log_button.isEnabled()
    panel.tasks.selectRow(0)
    assert panel.log_button.isEnabled()
    with qtbot.waitSignal(panel.log_requested) as asked:
        panel.log_button.click()
    assert asked.args == ["p-1"]


def test_log_visit_dialog_reports_a_problem_only_when_ticked(qtbot):
    dialog = LogVisitDialog("张*明", [("21201", "特殊人群需帮扶"), ("21204", "困难群众救助")])
    qtbot.addWidget(dialog)
    dialog.notes.setPlainText("身体良好")
    assert dialog.values() == ("身体良好", None)
    assert not dialog.category.isEnabled()
    dialog.problem.setChecked(True)
    dialog.category.setCurrentIndex(1)
    dialog.description.setPlainText("需要救助")
    notes, problem = dialog.values()
    assert notes == "身体良好" and problem == gw.ProblemIn(category="21204", description="需要救助")
