"""Open311 bodies in JSON and XML, following GeoReport v2's shapes (docs/intake.md)."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import msgspec
from aiohttp import web

FORMATS = ("json", "xml")
#: Tag of each element of a list, by the list's own tag.
ITEM_TAGS = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
             "values": "value", "updates": "update", "tickets": "ticket"}
_json = msgspec.json.Encoder()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, (list, tuple)):
        item_tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")


def respond(fmt: str, root: str, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """``value`` as JSON, or as XML under ``root`` (a list's items tagged by ``ITEM_TAGS``)."""
    if fmt == "xml":
        return web.Response(body=to_xml(root, value), status=status, headers=headers,
                            content_type="text/xml", charset="utf-8")
    return web.Response(body=_json.encode(value), status=status, headers=headers,
                        content_type="application/json", charset="utf-8")


def errors(fmt: str, status: int, description: str, headers: dict[str, str] | None = None) -> web.Response:
    """GeoReport v2's error body: a list of {code, description}, with the same HTTP status."""
    return respond(fmt, "errors", [{"code": status, "description": description}], status, headers)
