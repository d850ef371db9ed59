"""docs/intake.md's examples, sent to a real hub: every answer has the shape the document shows.

Each ```http block that starts with a method is a request; the ```http block after it, starting
with ``HTTP/1.1``, is its answer: the status must match, and the body the same fields (JSON keys
in the same order, XML tags in the same order), element by element. Example keys, ids and
tokens are replaced by the real ones as the answers bring them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

DOC = Path(__file__).resolve().parents[3] / "docs" / "intake.md"
_BLOCK = re.compile(r"```http\n(.*?)```", re.S)


def blocks() -> list[tuple[dict, dict]]:
    """(request, answer) pairs from the document."""
    parsed = []
    for raw in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        head, _, body = raw.partition("\n\n")
        lines = head.strip().splitlines()
        headers = dict(line.split(": ", 1) for line in lines[1:])
        parsed.append({"first": lines[0], "headers": headers, "body": body.strip()})
    pairs = []
    for request, answer in zip(parsed[::2], parsed[1::2], strict=True):
        assert not request["first"].startswith("HTTP/") and answer["first"].startswith("HTTP/1.1 "), request
        pairs.append((request, answer))
    return pairs


def same_json_shape(doc, got, where: str = "$") -> None:
    if isinstance(doc, dict):
        assert isinstance(got, dict) and list(got) == list(doc), f"{where}: {list(got)} != {list(doc)}"
        for key in doc:
            if doc[key] is not None and got[key] is not None:
                same_json_shape(doc[key], got[key], f"{where}.{key}")
    elif isinstance(doc, list):
        assert isinstance(got, list), where
        assert bool(got) == bool(doc), f"{where}: {len(got)} items, the document shows {len(doc)}"
        for i, item in enumerate(got):
            same_json_shape(doc[min(i, len(doc) - 1)], item, f"{where}[{i}]")
    else:
        assert not isinstance(got, (dict, list)), where


def same_xml_shape(doc: ET.Element, got: ET.Element, where: str = "") -> None:
    where = f"{where}/{doc.tag}"
    assert got.tag == doc.tag, where
    doc_children, got_children = list(doc), list(got)
    if len({c.tag for c in doc_children}) == 1 and len(doc_children) >= 1 and len(got_children) != len(doc_children):
        # A list: every element has the shape of the document's first one.
        assert got_children, where
        for child in got_children:
            same_xml_shape(doc_children[0], child, where)
        return
    assert [c.tag for c in got_children] == [c.tag for c in doc_children], where
    for d, g in zip(doc_children, got_children, strict=True):
        same_xml_shape(d, g, where)


def learn(doc_text: str, got_text: str, subs: dict[str, str]) -> None:
    """Map the document's ids and tokens to the real ones in the same places."""
    for field in ("service_request_id", "token", "case_id"):
        doc_values = re.findall(rf'"{field}":"([^"]+)"|<{field}>([^<]+)</{field}>', doc_text)
        got_values = re.findall(rf'"{field}":\s*"([^"]+)"|<{field}>([^<]+)</{field}>', got_text)
        for d, g in zip(doc_values, got_values, strict=False):
            subs.setdefault("".join(d), "".join(g))


def test_every_example_request_gets_the_documented_answer(http, keys):
    subs = {"gk_EXAMPLE_OPEN311_KEY": keys["app"], "gk_EXAMPLE_HOTLINE_KEY": keys["hotline"]}

    def fill(text: str) -> str:
        for doc_value, real in subs.items():
            text = text.replace(doc_value, real)
        return text

    pairs = blocks()
    assert len(pairs) >= 14
    for request, answer in pairs:
        method, target = fill(request["first"]).split(" ", 1)
        headers = {k: fill(v) for k, v in request["headers"].items()}
        body = fill(request["body"])
        kwargs: dict = {"headers": headers}
        if headers.get("Content-Type") == "application/x-www-form-urlencoded":
            kwargs["data"] = dict(pair.split("=", 1) for pair in body.split("&"))
            del headers["Content-Type"]
        elif body:
            kwargs["content"] = body.encode()
        response = http.request(method, target, **kwargs)
        status = int(answer["first"].split()[1])
        assert response.status_code == status, (request["first"], response.text)
        ctype = answer["headers"]["Content-Type"]
        assert response.headers["content-type"].split(";")[0] == ctype.split(";")[0], request["first"]
        if ctype.startswith("text/xml"):
            same_xml_shape(ET.fromstring(answer["body"].encode()), ET.fromstring(response.content))
        else:
            same_json_shape(json.loads(answer["body"]), response.json())
        learn(answer["body"], response.text, subs)
