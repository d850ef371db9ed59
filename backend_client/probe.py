"""Ask a hub who we are before opening the console: one hello, one welcome, close.

The console needs the user's role and jurisdiction to choose its scope and layout;
a wrong token or an old hub is reported here in one clear sentence.
"""

from __future__ import annotations

from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from domain import protocol as p


class ProbeError(RuntimeError):
    """The hub could not be reached or refused us; the message says which."""


def probe(url: str, token: str, timeout: float = 10.0) -> p.Welcome:
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with connect(url, additional_headers=headers, compression=None, proxy=None, open_timeout=timeout,
                     max_size=p.MAX_SERVER_FRAME_BYTES) as ws:
            ws.send(p.encode(p.Hello(protocol=p.PROTOCOL_VERSION, client_id="probe", client_name="GridCC")).decode())
            answer = p.decode_server(ws.recv(timeout=timeout))
    except InvalidStatus as exc:
        status = exc.response.status_code
        if status == 401:
            raise ProbeError("the hub refused the token (HTTP 401)") from None
        raise ProbeError(f"the hub answered HTTP {status}") from None
    except (OSError, TimeoutError, WebSocketException) as exc:
        raise ProbeError(f"cannot reach the hub at {url}: {exc}") from None
    except p.ProtocolError as exc:
        raise ProbeError(f"the hub sent something this client does not understand: {exc.message}") from None
    if isinstance(answer, p.Error):
        raise ProbeError(f"the hub refused the hello: {answer.message}")
    if not isinstance(answer, p.Welcome):
        raise ProbeError(f"expected welcome, got {type(answer).__name__}")
    return answer
