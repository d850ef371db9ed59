"""Turning outside requests into submissions and cases into what outsiders may read.

Synchronous, like the store: the HTTP layer runs these on the hub's database threads
(filing on the writer, reads on the readers), the CLI calls them directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from backend.intake.data import shipped
from backend.intake.keys import ApiKey
from backend.intake.places import Locator, Places
from backend.intake.store import Filed, IntakeRecord, IntakeStore, Submission
from domain.hierarchy import is_within
from domain.intake import (
    HotlineMap,
    IntakeError,
    Service,
    Ticket,
    check_attributes,
    check_node,
    describe,
    fingerprint,
    iso,
    open311_status,
    parse_time,
    status_notes,
)
from domain.model import Action, ClockKind, SlaLimit
from domain.protocol import FeedEvent
from domain.rules import Rules

_ATTR = re.compile(r"attribute\[([A-Za-z0-9_]{1,32})\](\[\])?")
_UNITS = {ClockKind.NATURAL_HOURS: "自然小时", ClockKind.WORKING_HOURS: "工作时", ClockKind.WORKING_DAYS: "工作日"}
MAX_DESCRIPTION = 4000
#: Open311 fields a POST may carry besides attribute[...] (api_key is read by the HTTP layer).
POST_FIELDS = frozenset({
    "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email",
    "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
})


def limit_text(limit: SlaLimit) -> str:
    return f"处置时限 {limit.amount:g} {_UNITS[limit.kind]}"


class Intake:
    """Outside intake over one store: services, hotline map, places and the filing path."""

    def __init__(self, store, rules: Rules, clock: Callable[[], float], *, locator: Locator | None = None,
                 services: dict[str, Service] | None = None, hotline_map: HotlineMap | None = None) -> None:
        self.store = IntakeStore(store)
        self.rules = rules
        self.now = clock
        default_services, default_map = shipped(rules.catalog)
        self.services = services if services is not None else default_services
        self.hotline_map = hotline_map if hotline_map is not None else default_map
        self.places = Places(self.store.places, locator)

    # ---- where -------------------------------------------------------------------------------------
    def _grid(self, key: ApiKey, scope: str, grid: str | None, lat: float | None, lon: float | None,
              address: str) -> str:
        """The grid of a request inside ``scope``: explicit grid, else position, else address."""
        if grid:
            check_node(grid, "grid")
            if not self.places.is_grid(grid):
                raise IntakeError(400, f"grid {grid} is not a grid of this city")
            if not is_within(grid, scope):
                raise IntakeError(400, f"grid {grid} is outside the jurisdiction {scope or 'of this key'}")
            return grid
        if lat is not None and lon is not None:
            found = self.places.locate(lat, lon)
            if found is not None and is_within(found, scope):
                return found
            if found is not None or not address:  # in another grid: the address cannot overrule the position
                raise IntakeError(400, f"position {lat}, {lon} is outside the jurisdiction {scope or 'of this key'}")
        if address:
            found = self.places.match(address, scope)
            if found is not None:
                return found
            raise IntakeError(400, f"address {address!r} names no grid or community in the jurisdiction "
                                   f"{scope or 'of this key'}; send lat/long or attribute[grid]")
        raise IntakeError(400, "a location is required: lat and long, address_string, or attribute[grid]")

    def scope_of(self, key: ApiKey, jurisdiction_id: str | None) -> str:
        if not jurisdiction_id:
            return key.jurisdiction
        check_node(jurisdiction_id, "jurisdiction_id")
        if not is_within(jurisdiction_id, key.jurisdiction):
            raise IntakeError(403, f"jurisdiction_id {jurisdiction_id} is outside this key's jurisdiction")
        return jurisdiction_id

    # ---- Open311 -------------------------------------------------------------------------------------
    def service(self, code: str) -> Service:
        service = self.services.get(code)
        if service is None:
            raise IntakeError(404, f"service_code {code!r} not found")
        return service

    def open311_submission(self, key: ApiKey, form: list[tuple[str, str]]) -> Submission:
        """Check a POST requests form (field, value pairs as sent) and make its submission; IntakeError if bad."""
        fields: dict[str, str] = {}
        attrs: dict[str, list[str]] = {}
        for name, value in form:
            m = _ATTR.fullmatch(name)
            if m:
                attrs.setdefault(m.group(1), []).append(value)
            elif name in POST_FIELDS:
                if name in fields:
                    raise IntakeError(400, f"{name} is given twice")
                fields[name] = value.strip()
            else:
                raise IntakeError(400, f"unknown field {name!r}")
        code = fields.get("service_code", "")
        if not code:
            raise IntakeError(400, "service_code is required")
        service = self.service(code)
        scope = self.scope_of(key, fields.get("jurisdiction_id"))
        lat, lon = _position(fields.get("lat"), fields.get("long"))
        grids = attrs.pop("grid", [])
        grid = grids[0] if grids else None
        typed = check_attributes(service, attrs)
        unknown = sorted(set(attrs) - {a.code for a in service.attributes})
        if unknown:
            raise IntakeError(400, f"attribute[{unknown[0]}] is not an attribute of service {code}")
        address = fields.get("address_string", "")[:500]
        node = self._grid(key, scope, grid, lat, lon, address)
        description = fields.get("description", "")
        if len(description) > MAX_DESCRIPTION:
            raise IntakeError(400, f"description is longer than {MAX_DESCRIPTION} characters")
        media = fields.get("media_url") or None
        if media is not None and (len(media) > 2048 or not media.lower().startswith(("http://", "https://"))):
            raise IntakeError(400, "media_url must be an http(s) URL of at most 2048 characters")
        contact = {k: fields[k] for k in ("first_name", "last_name", "email", "phone", "device_id", "account_id")
                   if fields.get(k)}
        text = describe(description, service, typed)
        if not text:
            raise IntakeError(400, "description is required (or attributes that describe the problem)")
        external = fingerprint(key.source, code, scope, lat, lon, address, grid, description, media,
                               sorted((k, str(v)) for k, v in typed.items()), sorted(contact.items()))
        return Submission(channel="open311", external_id=external, node=node, category=code,
                          urgency=service.urgency, description=text, address=address, lat=lat, lon=lon,
                          media_url=media, attributes=typed, contact=contact)

    def file(self, key: ApiKey, sub: Submission) -> Filed:
        return self.store.file(key, sub, self.now(), self.rules)

    def file_tickets(self, key: ApiKey, tickets: list[Ticket]) -> list[Filed]:
        """Check every ticket, then file them all in one transaction (a resent ticket finds its case)."""
        subs = [self.hotline_submission(key, t) for t in tickets]
        return self.store.file_many(key, subs, self.now(), self.rules)

    def file_open311(self, key: ApiKey, form: list[tuple[str, str]]) -> Filed:
        return self.file(key, self.open311_submission(key, form))

    def service_notice(self, record_or_code: IntakeRecord | str) -> str:
        if isinstance(record_or_code, str):
            return limit_text(self.rules.limit(record_or_code, self.services[record_or_code].urgency))
        case = record_or_code.case
        return limit_text(case.sla_limit or self.rules.limit(case.category, case.urgency))

    def department_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        dept = self.rules.catalog.departments.get(code)
        return dept.name if dept is not None else code

    def request_view(self, record: IntakeRecord) -> dict[str, Any]:
        """One request as Open311's GET requests shows it: no reporter, no contact data."""
        case = record.case
        category = self.rules.catalog.categories.get(case.category)
        return {
            "service_request_id": case.id,
            "status": open311_status(case.state),
            "status_notes": status_notes(case),
            "service_name": category.name if category else None,
            "service_code": case.category,
            "description": case.description,
            "agency_responsible": self.department_name(case.department),
            "service_notice": self.service_notice(record),
            "requested_datetime": iso(case.reported_at),
            "updated_datetime": iso(case.updated_at or case.reported_at),
            "expected_datetime": iso(case.deadline),
            "address": record.address or case.address,
            "address_id": None,
            "zipcode": None,
            "lat": record.lat,
            "long": record.lon,
            "media_url": record.media_url,
        }

    # ---- 12345 hotline ----------------------------------------------------------------------------------
    def hotline_submission(self, key: ApiKey, ticket: Ticket) -> Submission:
        now = self.now()
        category, floor = self.hotline_map.category(ticket.category)
        deadline = parse_time(ticket.deadline, "deadline") if ticket.deadline else None
        if ticket.received_at:
            parse_time(ticket.received_at, "received_at")
        urgency = self.hotline_map.urgency(floor, ticket.urgency, deadline, now)
        lat, lon = _position(None if ticket.lat is None else str(ticket.lat),
                             None if ticket.long is None else str(ticket.long))
        node = self._grid(key, key.jurisdiction, ticket.grid, lat, lon, ticket.address.strip())
        text = "\n".join(t for t in (ticket.title.strip(), ticket.content.strip()) if t)
        lines = [f"【12345工单】{ticket.ticket_no}", text]
        if deadline is not None:
            lines.append(f"【热线办结时限】{iso(deadline)}")
        contact = {k: v for k, v in (("name", ticket.caller_name), ("phone", ticket.caller_phone)) if v}
        return Submission(channel="hotline", external_id=ticket.ticket_no.strip(), node=node, category=category,
                          urgency=urgency, description="\n".join(lines)[:MAX_DESCRIPTION],
                          address=ticket.address.strip()[:500], lat=lat, lon=lon, contact=contact,
                          external_category=ticket.category.strip(), deadline=deadline,
                          attributes={"received_at": ticket.received_at} if ticket.received_at else {})

    def update_view(self, ticket_no: str, fe: FeedEvent) -> dict[str, Any]:
        """One hotline update: what happened to the ticket's case, its state, result and callback answer."""
        event, case = fe.event, fe.case
        detail: Mapping[str, Any] = event.detail or {}
        view: dict[str, Any] = {
            "seq": fe.seq, "ticket_no": ticket_no, "case_id": case.id, "kind": event.kind.value,
            "at": iso(event.at), "state": case.state.value, "status": open311_status(case.state),
            "status_notes": status_notes(case), "department": self.department_name(case.department),
            "deadline": iso(case.deadline), "message": detail.get("message"), "reason": detail.get("reason"),
            "result": None, "callback": None,
        }
        if event.kind in (Action.RESOLVE, Action.SELF_RESOLVE):
            view["result"] = detail.get("message")  # 处置结果
        if event.kind is Action.VERIFY:
            view["callback"] = {"passed": detail.get("passed"), "answer": detail.get("message")}  # 回访
        return view


def _position(lat_text: str | None, lon_text: str | None) -> tuple[float | None, float | None]:
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        raise IntakeError(400, "lat and long must be given together")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise IntakeError(400, f"lat/long must be numbers, got {lat_text!r}, {lon_text!r}") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise IntakeError(400, f"lat/long {lat_text}, {lon_text} is not a position on Earth")
    return lat, lon

