"""The release of this code, one number for the desktop app, the hub and the bundle.

pyproject.toml reads it from here (``[tool.setuptools.dynamic]``), so the wheel, the
PyInstaller bundle (no package metadata needed) and the About dialog agree. The wire
protocol has its own number (``domain.messages.PROTOCOL_VERSION``); see docs/protocol.md §21.
"""

APP_VERSION = "0.1.0"


def version_line(program: str) -> str:
    """What ``--version`` prints: the release and the protocol versions spoken."""
    from domain.messages import PROTOCOL_VERSION, SUPPORTED_VERSIONS

    spoken = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    return f"{program} {APP_VERSION} (protocol {PROTOCOL_VERSION}; speaks {spoken})"
