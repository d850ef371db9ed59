"""The hub thread, named here for the desktop (its one door into the backend); it lives in backend.hub_thread."""

from backend.hub_thread import HubThread

__all__ = ["HubThread"]
