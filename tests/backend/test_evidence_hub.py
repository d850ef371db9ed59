"""Evidence against a real hub: upload → event with the reference → another user downloads the same bytes.

Every test runs with files under the data folder and with an S3-compatible store (a moto
server on loopback started by the tests), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import os
import secrets

import pytest
from PIL import Image

from backend.embedded import HubThread
from backend.evidence.blobs import FileBlobs, S3Blobs
from backend.evidence.server import HttpSide
from backend.evidence.service import Evidence
from backend_client.attachments import TransferError, download, upload
from domain import protocol as p
from domain.model import Action, Attachment, Source, Stage, State, Urgency
from domain.rules import evidence_rules
from tests.backend.evidence_files import pdf, photo, png_claiming, truncated_jpeg
from tests.backend.feedclient import FeedClient

STREET_A, STREET_B = "370202001", "370202002"
GRID_A = "370202001001001"
MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def s3_url():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["files", "s3"])
def blobs(request, tmp_path):
    if request.param == "files":
        return FileBlobs(tmp_path / "blobs")
    url = request.getfixturevalue("s3_url")
    return S3Blobs.from_url(f"{url}/gridcc-{secrets.token_hex(4)}", "testing", "testing", region="us-east-1")


@pytest.fixture
def hub(store, blobs, tmp_path):
    evidence = Evidence(blobs, tmp_path / "work", max_bytes=MAX_BYTES)
    with HubThread(store, rules=evidence_rules(), heartbeat_interval=0.5, sweep_interval=0.2,
                   http=HttpSide(evidence)) as running:
        yield running


@pytest.fixture
def tokens(store):
    made = {}
    for key, (role, scope, dept) in {
        "op": ("operator", STREET_A, None), "op_b": ("operator", STREET_B, None),
        "district": ("operator", "370202", None), "dept": ("department", "3702", "szyl"),
        "worker": ("grid_worker", GRID_A, None),
    }.items():
        made[key] = store.add_user(f"user-{key}", role, scope, dept)[1]
    return made


def base(hub) -> str:
    return hub.hub.http.url


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reported(client: FeedClient, category: str = "10103") -> str:
    answer = client.command(Action.REPORT, node=GRID_A, category=category, urgency=Urgency.NORMAL,
                            source=Source.GRID_WORKER, description="井盖缺失")
    assert isinstance(answer, p.CommandAck), answer
    return answer.case_id


def test_upload_event_and_download_of_the_same_bytes(hub, tokens, blobs, tmp_path):
    op = FeedClient(hub.url, tokens["op"])
    watcher = FeedClient(hub.url, tokens["district"])
    watcher.subscribe("370202")
    case_id = reported(op)
    data = photo(1600, 1200, orientation=6)
    answer = upload(base(hub), tokens["op"], case_id, "before_near", write(tmp_path, "IMG_0012.jpg", data))
    assert answer["created"] is True
    ref = answer["attachment"]
    assert ref["sha256"] == __import__("hashlib").sha256(data).hexdigest()
    assert (ref["mime"], ref["size"], ref["stage"], ref["by"]) == ("image/jpeg", len(data), "before_near",
                                                                   op.welcome.user.id)
    assert (ref["width"], ref["height"]) == (1200, 1600)  # EXIF orientation 6: turned upright
    assert ref["lat"] == pytest.approx(36.0671, abs=1e-4) and ref["lon"] == pytest.approx(120.3826, abs=1e-4)
    assert ref["taken_at"] == pytest.approx(1773106200.0)  # 2026-03-10 09:30 CST
    assert ref["name"] == "IMG_0012.jpg"

    # The event stream carries the reference, not the bytes.
    event = watcher.pump(lambda: next((e for e in watcher.events if e.event.kind is Action.ATTACH), None))
    assert event.event.detail["attachment"]["sha256"] == ref["sha256"]
    assert [a.sha256 for a in event.case.attachments] == [ref["sha256"]]
    assert event.case.attachments[0].thumb == ref["thumb"]

    # Another user in the jurisdiction downloads the same bytes; ETag, 304 and Range work.
    status, body, headers = download(base(hub), tokens["district"], case_id, ref["sha256"])
    assert (status, body, headers["Content-Type"]) == (200, data, "image/jpeg")
    assert headers["ETag"] == f'"{ref["sha256"]}"' and headers["Accept-Ranges"] == "bytes"
    assert download(base(hub), tokens["district"], case_id, ref["sha256"], etag=headers["ETag"])[0] == 304
    status, part, headers = download(base(hub), tokens["district"], case_id, ref["sha256"], byte_range=(10, 109))
    assert (status, part, headers["Content-Range"]) == (206, data[10:110], f"bytes 10-109/{len(data)}")
    status, thumb, _ = download(base(hub), tokens["district"], case_id, ref["thumb"])
    with Image.open(io.BytesIO(thumb)) as img:
        assert img.format == "JPEG" and max(img.size) == 320 and img.size[0] < img.size[1]

    # The same bytes again: the same reference, stored once, attached once.
    stored = blobs.count()
    again = upload(base(hub), tokens["op"], case_id, "before_near", write(tmp_path, "copy.jpg", data))
    assert again["created"] is False and again["attachment"]["sha256"] == ref["sha256"]
    assert blobs.count() == stored == 2  # the photo and its thumbnail
    # The same bytes at another stage of another case are still one stored file.
    other = reported(op)
    upload(base(hub), tokens["op"], other, "before_far", write(tmp_path, "far.jpg", data))
    assert blobs.count() == stored
    op.close()
    watcher.close()


def test_jurisdiction_and_tokens(hub, tokens, tmp_path):
    op = FeedClient(hub.url, tokens["op"])
    case_id = reported(op)
    ref = upload(base(hub), tokens["op"], case_id, "before_near", write(tmp_path, "a.jpg", photo()))["attachment"]
    for who in ("op_b",):  # another street: the attachment is forbidden like the case
        with pytest.raises(TransferError) as refused:
            download(base(hub), tokens[who], case_id, ref["sha256"])
        assert (refused.value.status, refused.value.code) == (403, "forbidden")
        with pytest.raises(TransferError) as refused:
            upload(base(hub), tokens[who], case_id, "before_near", write(tmp_path, "b.jpg", photo(seed=1)))
        assert (refused.value.status, refused.value.code) == (403, "forbidden")
    with pytest.raises(TransferError) as refused:
        download(base(hub), "not-a-token", case_id, ref["sha256"])
    assert refused.value.status == 401
    with pytest.raises(TransferError) as refused:  # a hash the case does not hold
        download(base(hub), tokens["op"], case_id, "0" * 64)
    assert refused.value.status == 404
    # A reference sent as a websocket command is refused: only an upload attaches.
    forged = Attachment(sha256="1" * 64, mime="image/jpeg", size=10, stage=Stage.AFTER)
    answer = op.command(Action.ATTACH, case_id, attachment=forged)
    assert isinstance(answer, p.CommandError) and answer.code is p.ErrorCode.FORBIDDEN
    op.close()



def act(client: FeedClient, hub, action: Action, case_id: str, **args):
    """A command at the case's current version, as a console sends it from its replica."""
    version = hub.hub.store.case(case_id).version
    return client.command(action, case_id, expected_version=version, **args)


def test_resolve_and_verification_need_the_catalogs_photos(hub, tokens, tmp_path):
    op = FeedClient(hub.url, tokens["op"])
    dept = FeedClient(hub.url, tokens["dept"])
    case_id = reported(op)
    assert isinstance(act(op, hub, Action.ACCEPT, case_id), p.CommandAck)
    assert isinstance(act(op, hub, Action.DISPATCH, case_id, department="szyl"), p.CommandAck)
    assert isinstance(act(dept, hub, Action.SIGN, case_id), p.CommandAck)
    refused = act(dept, hub, Action.RESOLVE, case_id, message="已补装")
    assert isinstance(refused, p.CommandError) and refused.code is p.ErrorCode.EVIDENCE_REQUIRED
    assert refused.detail["missing"] == ["after"]
    upload(base(hub), tokens["dept"], case_id, "after", write(tmp_path, "after.jpg", photo(seed=2)))
    assert isinstance(act(dept, hub, Action.RESOLVE, case_id, message="已补装"), p.CommandAck)
    refused = act(op, hub, Action.VERIFY, case_id, passed=True)
    assert isinstance(refused, p.CommandError) and refused.code is p.ErrorCode.EVIDENCE_REQUIRED
    assert refused.detail["missing"] == ["verification"]
    upload(base(hub), tokens["worker"], case_id, "verification", write(tmp_path, "v.jpg", photo(seed=3)))
    upload(base(hub), tokens["op"], case_id, "document", write(tmp_path, "notice.pdf", pdf()))
    closed = act(op, hub, Action.VERIFY, case_id, passed=True)
    assert isinstance(closed, p.CommandAck) and closed.case.state is State.CLOSED
    assert [a.stage for a in closed.case.attachments] == [Stage.AFTER, Stage.VERIFICATION, Stage.DOCUMENT]
    assert closed.case.attachments[2].mime == "application/pdf" and closed.case.attachments[2].thumb is None
    with pytest.raises(TransferError) as late:  # a closed case takes no more files
        upload(base(hub), tokens["op"], case_id, "after", write(tmp_path, "late.jpg", photo(seed=4)))
    assert late.value.status == 409
    op.close()
    dept.close()


BAD_FILES = {
    "bomb.png": (png_claiming(100_000, 100_000), 422, "too_many_pixels"),
    "truncated.jpg": (truncated_jpeg(), 422, "malformed"),
    "notes.jpg": (b"meeting notes, not a photo\n" * 50, 415, "unsupported_type"),
    "huge.jpg": (b"\xff\xd8\xff\xe0" + os.urandom(MAX_BYTES), 413, "too_large"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_refused_files_leave_nothing_stored(hub, tokens, blobs, tmp_path, name):
    data, status, code = BAD_FILES[name]
    op = FeedClient(hub.url, tokens["op"])
    case_id = reported(op)
    with pytest.raises(TransferError) as refused:
        upload(base(hub), tokens["op"], case_id, "before_near", write(tmp_path, name, data))
    assert (refused.value.status, refused.value.code) == (status, code), refused.value.message
    assert refused.value.message
    assert blobs.count() == 0
    assert list((tmp_path / "work" / "incoming").iterdir()) == []
    case = hub.hub.store.case(case_id)
    assert case.attachments == () and case.version == 1
    op.close()


def test_daily_quota_per_user(hub, tokens, tmp_path):
    hub.hub.http.evidence.quotas.files = 2
    op = FeedClient(hub.url, tokens["op"])
    case_id = reported(op)
    for i in range(2):
        upload(base(hub), tokens["op"], case_id, "before_near", write(tmp_path, f"{i}.jpg", photo(seed=i)))
    with pytest.raises(TransferError) as refused:
        upload(base(hub), tokens["op"], case_id, "before_far", write(tmp_path, "3.jpg", photo(seed=3)))
    assert (refused.value.status, refused.value.code) == (429, "quota_exceeded")
    # Another user has a quota of their own.
    upload(base(hub), tokens["district"], case_id, "before_far", write(tmp_path, "4.jpg", photo(seed=4)))
    op.close()
