"""Uploads survive a hub restart and a client restart, and attach exactly once."""

from __future__ import annotations

import pytest

from backend.testing import HubProcess
from backend_client.attachments import DONE, QUEUED, SENDING, Uploader, UploadQueue
from domain.model import Action, Source, Stage, Urgency
from tests.backend.evidence_files import photo
from tests.backend_client.conftest import GRID, Producer, eventually


@pytest.mark.slow
def test_an_upload_interrupted_by_a_hub_restart_completes_once(tmp_path, hub_store, token):
    case_id = Producer(hub_store, token).run(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL,
                                             source=Source.GRID_WORKER, description="井盖缺失").case_id
    port_file = tmp_path / "http.port"
    hub = HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path, name="evidence-hub",
                     extra=("--http-port", "0", "--http-port-file", str(port_file), "--data", str(tmp_path / "data")))
    hub.start()
    http_port = int(port_file.read_text())
    hub.kill()  # the hub goes away before the file is sent
    source = tmp_path / "IMG_1.jpg"
    source.write_bytes(photo(1200, 900))
    queue = UploadQueue(tmp_path / "uploads.sqlite3")
    uploader = Uploader(queue, f"http://127.0.0.1:{http_port}", token, backoff=(0.05, 0.3))
    seen = []
    uploader.listeners.append(seen.append)
    uploader.start()
    try:
        job = uploader.add(case_id, "before_near", source)
        source.unlink()  # the spool keeps its own copy
        eventually(lambda: uploader.attempts >= 2, what="retries while the hub is down")
        assert queue.jobs()[0].state in (QUEUED, SENDING)
        hub.extra = ("--http-port", str(http_port), "--http-port-file", str(port_file),
                     "--data", str(tmp_path / "data"))
        hub.start()  # same ports, same database, same data folder
        eventually(lambda: queue.jobs()[0].state == DONE, 30, "the upload after the restart")
        assert [j.state for j in queue.jobs()] == [DONE] and job.id == queue.jobs()[0].id
        assert any(j.state == SENDING and j.sent == j.size for j in seen)  # progress reached the end

        # A client killed after sending but before it marked the job done sends it again: still once.
        queue._db.execute("UPDATE uploads SET state = ? WHERE id = ?", (SENDING, job.id))
        uploader.stop()
        queue.close()
        queue = UploadQueue(tmp_path / "uploads.sqlite3")  # a cut-off job is queued again
        assert queue.jobs()[0].state == QUEUED
        (queue.spool / job.sha256).write_bytes(photo(1200, 900))  # the spool copy went with DONE: put it back
        uploader = Uploader(queue, f"http://127.0.0.1:{http_port}", token, backoff=(0.05, 0.3)).start()
        uploader.nudge()
        eventually(lambda: queue.jobs()[0].state == DONE, 30, "the repeated upload")
    finally:
        uploader.stop()
        queue.close()
        hub.stop()
    case = hub_store.case(case_id)
    assert [(a.stage, a.sha256) for a in case.attachments] == [(Stage.BEFORE_NEAR, job.sha256)]
    kinds = [e.event.kind for e in hub_store.case_events(case_id)]
    assert kinds.count(Action.ATTACH) == 1


@pytest.mark.slow
def test_an_upload_cut_mid_stream_by_a_hub_kill_is_sent_again_and_attaches_once(tmp_path, hub_store, token):
    import io

    from PIL import Image

    case_id = Producer(hub_store, token).run(Action.REPORT, node=GRID, category="10103", urgency=Urgency.NORMAL,
                                             source=Source.GRID_WORKER, description="井盖缺失").case_id
    port_file = tmp_path / "http.port"
    data_dir = tmp_path / "data"
    hub = HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path, name="evidence-hub",
                     extra=("--http-port", "0", "--http-port-file", str(port_file), "--data", str(data_dir)))
    hub.start()
    http_port = int(port_file.read_text())
    hub.extra = ("--http-port", str(http_port), "--http-port-file", str(port_file), "--data", str(data_dir))
    big = io.BytesIO()
    Image.effect_noise((2400, 1800), 60).convert("RGB").save(big, "JPEG", quality=95)  # several MB
    source = tmp_path / "big.jpg"
    source.write_bytes(big.getvalue())
    queue = UploadQueue(tmp_path / "uploads.sqlite3")
    uploader = Uploader(queue, f"http://127.0.0.1:{http_port}", token, backoff=(0.05, 0.3))
    killed = []

    def kill_mid_stream(job) -> None:  # on the upload thread, while the body is being sent
        if not killed and job.state == SENDING and job.sent > job.size // 3:
            killed.append(job.sent)
            hub.kill()

    uploader.listeners.append(kill_mid_stream)
    uploader.start()
    try:
        uploader.add(case_id, "before_near", source)
        eventually(lambda: killed and queue.jobs()[0].state == QUEUED, 30, "the cut-off upload queued again")
        assert killed[0] < len(big.getvalue())
        hub.start()
        eventually(lambda: queue.jobs()[0].state == DONE, 60, "the upload after the restart")
    finally:
        uploader.stop()
        queue.close()
        hub.stop()
    case = hub_store.case(case_id)
    assert len(case.attachments) == 1 and case.attachments[0].size == len(big.getvalue())
    assert [e.event.kind for e in hub_store.case_events(case_id)].count(Action.ATTACH) == 1
    assert list((data_dir / "incoming").iterdir()) == []  # the half-received file is gone
