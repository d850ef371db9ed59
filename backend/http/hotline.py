"""The 12345 hotline bridge: tickets in (``POST tickets``), their cases' progress out (``GET updates``).

Both need a ``hotline`` key (``X-Api-Key`` or ``Authorization: Bearer``). A ticket sent
twice makes one case: the second answer names the same case with ``created: false``.
A batch is filed in one transaction: one bad ticket refuses the batch and nothing is stored.
"""

from __future__ import annotations

from aiohttp import web

from backend.http import render
from backend.http.common import HUB, INTAKE, key_of
from domain.intake import IntakeError, tickets_from_json

MAX_TICKETS = 200
MAX_UPDATES = 1000


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_post(f"{prefix}/tickets", post_tickets)
    app.router.add_get(f"{prefix}/updates", get_updates)


async def post_tickets(request: web.Request) -> web.Response:
    key = await key_of(request, None, "hotline")
    if request.content_type != "application/json":
        raise IntakeError(400, f"send tickets as application/json, not {request.content_type!r}")
    tickets = tickets_from_json(await request.read())
    if len(tickets) > MAX_TICKETS:
        raise IntakeError(400, f"at most {MAX_TICKETS} tickets per request")
    hub, intake = request.app[HUB], request.app[INTAKE]
    filed = await hub.write(intake.file_tickets, key, tickets)
    if any(f.created for f in filed):
        hub.wake_pump()
    body = {"tickets": [{"ticket_no": t.ticket_no, "case_id": f.case.id, "created": f.created,
                         "state": f.case.state.value} for t, f in zip(tickets, filed, strict=True)]}
    return render.respond("json", "tickets", body, 201 if any(f.created for f in filed) else 200)


async def get_updates(request: web.Request) -> web.Response:
    key = await key_of(request, None, "hotline")
    after = request.query.get("after", "0")
    limit = request.query.get("limit", str(MAX_UPDATES))
    try:
        after_seq, max_n = int(after), int(limit)
    except ValueError:
        raise IntakeError(400, "after and limit must be integers") from None
    if after_seq < 0 or not 1 <= max_n <= MAX_UPDATES:
        raise IntakeError(400, f"after must be >= 0 and limit 1-{MAX_UPDATES}")
    intake = request.app[INTAKE]
    epoch, updates, following = await request.app[HUB].read(intake.store.hotline_updates, key.source,
                                                            key.jurisdiction, after_seq, max_n)
    body = {"epoch": epoch, "after": after_seq, "next": following,
            "updates": [intake.update_view(u.ticket_no, u.event) for u in updates]}
    return render.respond("json", "updates", body)
