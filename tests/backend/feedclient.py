"""A small synchronous protocol client for hub tests: real websockets, real frames."""

from __future__ import annotations

import itertools
import socket
import time
from urllib.parse import urlparse

from websockets.sync.client import connect

from domain import protocol as p
from domain.model import Action, Args

_ids = itertools.count(1)


class FeedClient:
    def __init__(self, url: str, token: str | None, client_id: str | None = None, hello: bool = True,
                 rcvbuf: int | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        sock = None
        if rcvbuf is not None:  # a small fixed receive buffer (set before connect: no autotuning)
            parsed = urlparse(url)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            sock.connect((parsed.hostname, parsed.port))
        self._cm = connect(url, sock=sock, additional_headers=headers, compression=None, proxy=None,
                           max_size=p.MAX_SERVER_FRAME_BYTES, open_timeout=10)
        self.ws = self._cm.__enter__()
        self.client_id = client_id or f"test-client-{next(_ids)}"
        self.events: list[p.FeedEvent] = []
        self.answers: dict[str, object] = {}
        self.other: list[object] = []
        self.upto = 0
        self.welcome: p.Welcome | None = None
        if hello:
            self.send(p.Hello(protocol=p.PROTOCOL_VERSION, client_id=self.client_id, client_name="pytest"))
            msg = self.recv()
            assert isinstance(msg, p.Welcome), msg
            self.welcome = msg

    def send(self, msg) -> None:
        self.ws.send(p.encode(msg).decode())

    def send_raw(self, data) -> None:
        self.ws.send(data)

    def recv(self, timeout: float = 10.0):
        return p.decode_server(self.ws.recv(timeout=timeout))

    def close(self) -> None:
        self.ws.close()

    # ---- helpers that keep the stream's bookkeeping ---------------------------------------
    def _take(self, msg) -> None:
        if isinstance(msg, p.Events):
            self.events.extend(msg.events)
            self.upto = max(self.upto, msg.upto)
        elif isinstance(msg, (p.CommandAck, p.CommandError)):
            self.answers[msg.command_id] = msg
        elif isinstance(msg, p.Heartbeat):
            self.upto = max(self.upto, msg.head_seq)
        else:
            self.other.append(msg)

    def pump(self, until, timeout: float = 15.0):
        """Read frames until ``until()`` is true; returns what it returns."""
        deadline = time.monotonic() + timeout
        while True:
            result = until()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("condition not reached; last messages: %r" % (self.other[-3:],))
            try:
                self._take(self.recv(timeout=left))
            except TimeoutError:
                continue

    def subscribe(self, scope: str, resume: p.Resume | None = None):
        """Subscribe; returns (begin, chunks, end) for a snapshot, or the Resumed/SnapshotRequired message."""
        self.send(p.Subscribe(scope=scope, resume=resume))
        first = self.recv()
        while isinstance(first, (p.Heartbeat, p.Events)):
            self._take(first)
            first = self.recv()
        if not isinstance(first, p.SnapshotBegin):
            return first
        chunks = []
        while True:
            msg = self.recv()
            if isinstance(msg, p.SnapshotChunk):
                chunks.append(msg)
            elif isinstance(msg, p.SnapshotEnd):
                self.upto = msg.seq
                return first, chunks, msg
            else:
                self._take(msg)

    def command(self, action: Action, case_id: str | None = None, expected_version: int | None = None,
                command_id: str | None = None, **args):
        cid = command_id or f"cmd-{next(_ids)}"
        self.answers.pop(cid, None)
        self.send(p.Command(id=cid, action=action, case_id=case_id, expected_version=expected_version,
                            args=Args(**args)))
        return self.pump(lambda: self.answers.get(cid))

    def seqs(self) -> list[int]:
        return [e.seq for e in self.events]
