"""The outbox is a real SQLite file: it keeps order, survives reopening, settles each id once."""

from __future__ import annotations

import threading

import pytest

from backend_client.outbox import Outbox, OutboxError, default_path
from domain import protocol as p
from domain.model import Action, Args


def command(n: int, case_id: str = "E00000001") -> p.Command:
    return p.Command(id=f"cmd-{n}", action=Action.REJECT, case_id=case_id, expected_version=n,
                     args=Args(reason=f"重复上报 {n}"))


def test_commands_survive_reopening_in_the_order_they_were_made(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    for n in (3, 1, 2):
        box.put(command(n))
    box.put(command(1))  # the same id again is not a second command
    assert len(box) == 3
    box.close()
    again = Outbox(path)
    assert len(again) == 3
    assert again.pending() == [command(3), command(1), command(2)]
    assert again.remove("cmd-1") and not again.remove("cmd-1")
    assert [c.id for c in again.pending()] == ["cmd-3", "cmd-2"] and len(again) == 2
    assert "cmd-3" in again and "cmd-1" not in again
    again.close()


def test_send_attempts_are_counted(tmp_path):
    box = Outbox(tmp_path / "o.sqlite3")
    box.put(command(1))
    assert box.attempts("cmd-1") == 0
    box.mark_sent("cmd-1")
    box.mark_sent("cmd-1")
    assert box.attempts("cmd-1") == 2 and box.attempts("missing") == 0
    box.close()


def test_threads_putting_and_removing_at_once_keep_the_count_exact(tmp_path):
    box = Outbox(tmp_path / "o.sqlite3")

    def work(base: int) -> None:
        for n in range(base, base + 40):
            box.put(command(n))
            if n % 2:
                assert box.remove(f"cmd-{n}")

    threads = [threading.Thread(target=work, args=(b,)) for b in (0, 1000, 2000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(box) == 60 == len(box.pending())
    box.close()


def test_unopenable_path_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutboxError, match="cannot open the command outbox .*file"):
        Outbox(blocker / "outbox.sqlite3")


def test_default_path_is_per_client_under_the_user_data_dir():
    path = default_path("console-1")
    assert path.name == "outbox-console-1.sqlite3" and "gridcc" in str(path)
