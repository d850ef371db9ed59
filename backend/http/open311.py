"""Open311 GeoReport v2 endpoints: services, service definitions, requests and tokens.

The response format follows the path's extension (``.json`` or ``.xml``). ``GET services``
and service definitions are public (an api_key, when given, is checked and rate-limited);
everything about requests needs an ``open311`` key and shows only requests filed through
Open311 inside the key's jurisdiction, never who sent them.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec
from aiohttp import web
from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]

from backend.http import render
from backend.http.common import HUB, INTAKE, key_of, optional_key
from backend.intake.store import RequestQuery
from domain.intake import IntakeError, Service, parse_time

FMT = "{fmt:(json|xml)}"
DEFAULT_DAYS = 90
MAX_PAGE = 1000
DEFAULT_PAGE = 100


def add_routes(app: web.Application, prefix: str) -> None:
    app.router.add_get(f"{prefix}/services.{FMT}", get_services)
    app.router.add_get(f"{prefix}/services/{{service_code:[^/.]+}}.{FMT}", get_service)
    app.router.add_post(f"{prefix}/requests.{FMT}", post_request)
    app.router.add_get(f"{prefix}/requests.{FMT}", get_requests)
    app.router.add_get(f"{prefix}/requests/{{request_id:[^/.]+}}.{FMT}", get_request)
    app.router.add_get(f"{prefix}/tokens/{{token:[^/.]+}}.{FMT}", get_token)


def _service_view(s: Service) -> dict[str, Any]:
    return {"service_code": s.code, "service_name": s.name, "description": s.description, "metadata": s.metadata,
            "type": "realtime", "keywords": s.keywords, "group": s.group}


def _definition_view(s: Service) -> dict[str, Any]:
    return {"service_code": s.code, "attributes": [
        {"variable": a.variable, "code": a.code, "datatype": a.datatype, "required": a.required,
         "datatype_description": a.datatype_description, "order": a.order, "description": a.description,
         "values": [{"key": v.key, "name": v.name} for v in a.values]}
        for a in s.attributes]}


async def get_services(request: web.Request) -> web.Response:
    await optional_key(request, request.query.get("api_key"), "open311")
    intake = request.app[INTAKE]
    return render.respond(request.match_info["fmt"], "services",
                          [_service_view(s) for s in intake.services.values()])


async def get_service(request: web.Request) -> web.Response:
    await optional_key(request, request.query.get("api_key"), "open311")
    service = request.app[INTAKE].service(request.match_info["service_code"])
    return render.respond(request.match_info["fmt"], "service_definition", _definition_view(service))


async def _form(request: web.Request) -> list[tuple[str, str]]:
    """The POST's fields as (name, value) pairs: form-encoded (the specification), JSON or XML."""
    ctype = request.content_type
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        data = await request.post()
        return [(k, v) for k, v in data.items() if isinstance(v, str)]
    body = await request.read()
    if ctype == "application/json":
        try:
            data = msgspec.json.decode(body)
        except msgspec.DecodeError as exc:
            raise IntakeError(400, f"malformed JSON: {exc}") from None
        if not isinstance(data, dict):
            raise IntakeError(400, "the JSON body must be an object of request fields")
        return _pairs(data)
    if ctype in ("application/xml", "text/xml"):
        try:
            root = SafeET.fromstring(body)
        except Exception as exc:  # ParseError, and defusedxml's refusals of entities and DTDs
            raise IntakeError(400, f"malformed XML: {exc}") from None
        pairs: list[tuple[str, str]] = []
        for child in root:
            if child.tag == "attribute":
                pairs += [(f"attribute[{a.tag}]", a.text or "") for a in child]
            else:
                pairs.append((child.tag, child.text or ""))
        return pairs
    raise IntakeError(400, f"unsupported Content-Type {ctype!r}: send application/x-www-form-urlencoded")


def _pairs(data: dict) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in data.items():
        if name == "attribute" and isinstance(value, dict):
            for code, v in value.items():
                for one in v if isinstance(v, list) else [v]:
                    pairs.append((f"attribute[{code}]", _scalar(one, f"attribute[{code}]")))
        else:
            pairs.append((name, _scalar(value, name)))
    return pairs


def _scalar(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise IntakeError(400, f"{name} must be a string or a number")
    return str(value)


async def post_request(request: web.Request) -> web.Response:
    form = await _form(request)
    secret = next((v for k, v in form if k == "api_key"), None)
    key = await key_of(request, secret, "open311")
    hub, intake = request.app[HUB], request.app[INTAKE]
    filed = await hub.write(intake.file_open311, key, form)
    if filed.created:
        hub.wake_pump()
    body = [{"service_request_id": filed.case.id, "token": filed.token,
             "service_notice": intake.service_notice(filed.case.category), "account_id": None}]
    return render.respond(request.match_info["fmt"], "service_requests", body, 201 if filed.created else 200)


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise IntakeError(400, f"{name} must be an integer, got {value!r}") from None
    if not low <= number <= high:
        raise IntakeError(400, f"{name} must be {low}-{high}, got {number}")
    return number


async def get_requests(request: web.Request) -> web.Response:
    q = request.query
    key = await key_of(request, q.get("api_key"), "open311")
    intake = request.app[INTAKE]
    scope = intake.scope_of(key, q.get("jurisdiction_id"))
    statuses = set(_list(q.get("status")))
    if statuses - {"open", "closed"}:
        raise IntakeError(400, f"status must be open and/or closed, got {q.get('status')!r}")
    end = parse_time(q["end_date"], "end_date") if q.get("end_date") else None
    start = parse_time(q["start_date"], "start_date") if q.get("start_date") else None
    if start is None and end is None:
        start = time.time() - DEFAULT_DAYS * 86400  # GeoReport v2: the last 90 days by default
    if start is not None and end is not None and start > end:
        raise IntakeError(400, "start_date is after end_date")
    size = _int(q.get("page_size"), "page_size", DEFAULT_PAGE, 1, MAX_PAGE)
    page = _int(q.get("page"), "page", 1, 1, 1_000_000)
    codes = _list(q.get("service_code"))
    for code in codes:
        intake.service(code)
    query = RequestQuery(scope=scope, ids=_list(q.get("service_request_id")), service_codes=codes, start=start,
                         end=end, closed=None if len(statuses) != 1 else "closed" in statuses,
                         offset=(page - 1) * size, limit=size)
    records = await request.app[HUB].read(intake.store.records, query)
    return render.respond(request.match_info["fmt"], "service_requests",
                          [intake.request_view(r) for r in records])


async def get_request(request: web.Request) -> web.Response:
    key = await key_of(request, request.query.get("api_key"), "open311")
    intake = request.app[INTAKE]
    scope = intake.scope_of(key, request.query.get("jurisdiction_id"))
    record = await request.app[HUB].read(intake.store.record, request.match_info["request_id"], scope, "open311")
    if record is None:
        raise IntakeError(404, f"service_request_id {request.match_info['request_id']!r} not found")
    return render.respond(request.match_info["fmt"], "service_requests", [intake.request_view(record)])


async def get_token(request: web.Request) -> web.Response:
    key = await key_of(request, request.query.get("api_key"), "open311")
    intake = request.app[INTAKE]
    record = await request.app[HUB].read(intake.store.by_token, request.match_info["token"], key.jurisdiction)
    if record is None or record.channel != "open311":
        raise IntakeError(404, f"token {request.match_info['token']!r} not found")
    return render.respond(request.match_info["fmt"], "service_requests",
                          [{"service_request_id": record.case.id, "token": record.token}])
