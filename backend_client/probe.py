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


class VersionMismatch(ProbeError):
    """The hub and this client share no protocol version; the desktop shows it translated.

    ``hub_versions`` is what the hub speaks, when it said so (its Server header or welcome);
    ``client_newer`` tells which side to upgrade."""

    def __init__(self, client_version: int, hub_versions: tuple[int, ...], hub_release: str = "") -> None:
        self.client_version = client_version
        self.hub_versions = hub_versions
        self.hub_release = hub_release
        spoken = ", ".join(str(v) for v in hub_versions) or "an unknown version"
        side = "upgrade the hub" if self.client_newer else "upgrade this console"
        super().__init__(f"the hub speaks protocol {spoken}{f' (release {hub_release})' if hub_release else ''}, "
                         f"this console speaks {client_version}: {side}")

    @property
    def client_newer(self) -> bool:
        return bool(self.hub_versions) and max(self.hub_versions) < self.client_version


def hub_protocol_from_header(server: str | None) -> tuple[int, ...]:
    """The protocol in the hub's ``Server: GridCC-hub/2`` header, or () when it does not say."""
    name, _, version = (server or "").partition("/")
    return (int(version),) if name == "GridCC-hub" and version.isdigit() else ()


def check_welcome(welcome: p.Welcome, client_version: int = p.PROTOCOL_VERSION) -> None:
    """Refuse a hub whose welcome names a protocol this client does not speak."""
    if welcome.protocol not in p.SUPPORTED_VERSIONS:
        raise VersionMismatch(client_version, (welcome.protocol,), welcome.server_version)


def probe(url: str, token: str, timeout: float = 10.0, *, protocol: int = p.PROTOCOL_VERSION) -> p.Welcome:
    """The hub's welcome for this token; ``protocol`` is what the hello claims (tests name others)."""
    headers = {"Authorization": f"Bearer {token}"}
    header_versions: tuple[int, ...] = ()
    try:
        with connect(url, additional_headers=headers, compression=None, proxy=None, open_timeout=timeout,
                     max_size=p.MAX_SERVER_FRAME_BYTES) as ws:
            header_versions = hub_protocol_from_header(ws.response.headers.get("Server") if ws.response else None)
            ws.send(p.encode(p.Hello(protocol=protocol, client_id="probe", client_name="GridCC")).decode())
            answer = p.decode_server(ws.recv(timeout=timeout))
    except InvalidStatus as exc:
        status = exc.response.status_code
        if status == 401:
            raise ProbeError("the hub refused the token (HTTP 401)") from None
        raise ProbeError(f"the hub answered HTTP {status}") from None
    except (OSError, TimeoutError, WebSocketException) as exc:
        raise ProbeError(f"cannot reach the hub at {url}: {exc}") from None
    except p.ProtocolError as exc:
        if header_versions and header_versions[0] not in p.SUPPORTED_VERSIONS:
            raise VersionMismatch(protocol, header_versions) from None
        raise ProbeError(f"the hub sent something this client does not understand: {exc.message}") from None
    if isinstance(answer, p.Error):
        if answer.code is p.ErrorCode.UNSUPPORTED_VERSION:
            raise VersionMismatch(protocol, header_versions)
        raise ProbeError(f"the hub refused the hello: {answer.message}")
    if not isinstance(answer, p.Welcome):
        raise ProbeError(f"expected welcome, got {type(answer).__name__}")
    check_welcome(answer, protocol)
    return answer
