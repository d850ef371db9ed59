"""The console's display tick on a long queue: what repainting the countdowns costs the GUI thread.

Four times a second the console's display timer moves the queue's countdown column
(``QueueTableModel.tick``). A table of ``--rows`` dispatched cases (each with a deadline)
is shown at ``--size`` offscreen, and ``--ticks`` display ticks run, the clock 250 ms on
each, every one followed by the paint it caused. Measured the same way, in the same run:

- the console's queue table (``widgets.console.queue_table.QueueTable``): the column is
  repainted once its second moves, and only that column;
- the peer: the same table told of the change on every tick and repainted as Qt's
  ``QAbstractItemView.dataChanged`` repaints a column longer than the view (every visible
  cell), which is what the console did before.

Prints the GUI thread's CPU per tick and the model's ``data()`` calls per tick, with ratios.
Not a test.

    python bench/queue_tick.py [--rows 100000] [--ticks 80] [--size 1400x900]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import machine_note  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ticks", type=int, default=80, help="display ticks, 250 ms of clock each")
    parser.add_argument("--size", default="1400x900")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    from PySide6.QtWidgets import QApplication

    from domain.model import State
    from tests.widgets.list_source import T0, ListQueueSource, make_case
    from widgets.common import roles as R
    from widgets.common.names import MappingNames
    from widgets.console.queue_model import COL_DEADLINE, QueueTableModel
    from widgets.console.queue_table import QueueTable

    app = QApplication.instance() or QApplication(sys.argv)
    cases = [make_case(f"C{i:06d}", reported_at=T0 + i, state=State.DISPATCHED, deadline=T0 + 3600 + i)
             for i in range(args.rows)]

    class Counting(QueueTableModel):
        calls = 0

        def data(self, index, role=R.DISPLAY):
            Counting.calls += 1
            return super().data(index, role)

    def run(as_qt: bool) -> tuple[float, float]:
        now = [T0]
        model = Counting(ListQueueSource(cases), MappingNames(), clock=lambda: now[0])
        view = QueueTable(model)
        view.resize(width, height)
        view.show()
        for _ in range(10):
            app.processEvents()
        Counting.calls = 0
        start = time.thread_time()
        for _ in range(args.ticks):
            now[0] += 0.25
            if as_qt:
                model.dataChanged.emit(model.index(0, COL_DEADLINE), model.index(model.rowCount() - 1, COL_DEADLINE))
                view.view.viewport().update()
            else:
                model.tick()
            app.processEvents()  # the paint the tick asked for
        spent = (time.thread_time() - start) / args.ticks
        calls = Counting.calls / args.ticks
        view.close()
        view.deleteLater()
        app.processEvents()
        return spent, calls

    print(f"{args.rows:,} rows at {width}×{height}, {args.ticks} ticks of 250 ms; {machine_note()}", flush=True)
    ours, ours_calls = run(as_qt=False)
    peer, peer_calls = run(as_qt=True)
    print(f"{'':28}{'CPU ms/tick':>12}{'data()/tick':>13}")
    print(f"{'queue table (console)':28}{ours * 1000:>12.2f}{ours_calls:>13.0f}")
    print(f"{'as Qt repaints it (peer)':28}{peer * 1000:>12.2f}{peer_calls:>13.0f}")
    print(f"ratio: {ours / peer:.3f}× the peer's CPU, {ours_calls / max(peer_calls, 1):.3f}× its calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
