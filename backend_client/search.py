"""The client's side of 综合查询, duplicate candidates and a department's users (指派): requests as
Futures of their answers.

Requests ride the client's lookup channel (sent again after a reconnect until answered). A
refusal (``forbidden``, ``invalid``, ``throttled``) fails the Future with ``CommandFailed``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from backend_client.answers import answered
from backend_client.client import CommandFailed
from domain import protocol as p
from domain.model import Case
from domain.search import DUPLICATE_WINDOW_HOURS, SearchFilter


class Search:
    """``Search(client).search(SearchFilter(phone="5678"))`` → a Future of ``p.SearchResult``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def _send(self, msg: p.SearchRequest | p.DuplicatesRequest | p.UsersRequest,
              unwrap: Callable[[Any], Any]) -> Future[Any]:
        return answered(self.client.request_search(msg), unwrap, CommandFailed)

    def search(self, filter_: SearchFilter, offset: int = 0, limit: int = 50) -> Future[p.SearchResult]:
        msg = p.SearchRequest(request_id=f"s-{uuid.uuid4().hex[:12]}", filter=filter_, offset=offset, limit=limit)
        return self._send(msg, lambda answer: answer)

    def duplicates(self, node: str, category: str, hours: float = DUPLICATE_WINDOW_HOURS) -> Future[list[Case]]:
        msg = p.DuplicatesRequest(request_id=f"d-{uuid.uuid4().hex[:12]}", node=node, category=category, hours=hours)
        return self._send(msg, lambda answer: list(answer.cases))

    def users(self, department: str) -> Future[list[p.UserEntry]]:
        """The enabled users of ``department`` by name (a department's user: only its own)."""
        msg = p.UsersRequest(request_id=f"u-{uuid.uuid4().hex[:12]}", department=department)
        return self._send(msg, lambda answer: list(answer.users))
