"""One frame serialized once for many sockets (backend.socket_write) is what each connection's
own ``send()`` would have written; closed connections are skipped, the rest still get it.

Real websockets server on port 0 and real clients."""

from __future__ import annotations

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from backend.socket_write import send_text


async def _exchange() -> tuple[list[str], list[str]]:
    held: list = []
    ready = asyncio.Event()

    async def handler(ws) -> None:
        held.append(ws)
        if len(held) == 3:
            ready.set()
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        clients = [await connect(f"ws://127.0.0.1:{port}/", compression=None) for _ in range(3)]
        await asyncio.wait_for(ready.wait(), 10)
        gone = held[1]
        await clients[1].close()
        await asyncio.wait_for(gone.wait_closed(), 10)
        payload = "事件 ✓ events".encode()
        send_text(held, payload)
        send_text(held, b"x" * 70_000)  # a 64-bit length header
        got = [[await asyncio.wait_for(c.recv(), 10) for _ in range(2)] for c in (clients[0], clients[2])]
        for c in clients:
            await c.close()
    return got[0], got[1]


def test_every_open_connection_gets_the_frames_whole_and_a_closed_one_is_skipped():
    first, third = asyncio.run(_exchange())
    assert first == third == ["事件 ✓ events", "x" * 70_000]
