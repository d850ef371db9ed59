"""Open311 GeoReport v2 against a real hub over real HTTP, in JSON and XML, on SQLite and PostgreSQL.

Every response is checked against the fields of the specification's examples for its endpoint.
"""

from __future__ import annotations

import time
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select

from backend.store.models import CaseRow, CommandLogRow, IntakeRow
from domain.model import Action, Source, State
from tests.backend.conftest import DEPARTMENT, OPERATOR, Driver
from tests.backend.feedclient import FeedClient
from tests.backend.intake.conftest import (
    AT_GRID_1,
    AT_GRID_2,
    AT_OTHER_GRID,
    GRID_1,
    GRID_2,
    NOWHERE,
    STREET,
    tags,
    xml_items,
)

BASE = "/open311/v2"
# The fields of GeoReport v2's examples, in their order.
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
DEFINITION_FIELDS = ["service_code", "attributes"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description",
                    "values"]
VALUE_FIELDS = ["key", "name"]
POST_FIELDS = ["service_request_id", "token", "service_notice", "account_id"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
TOKEN_FIELDS = ["service_request_id", "token"]
ERROR_FIELDS = ["code", "description"]


def elevator(api_key: str, position=AT_GRID_1, **extra) -> dict[str, str]:
    form = {"api_key": api_key, "service_code": "20451", "lat": position[0], "long": position[1],
            "description": "电梯困人，3号楼", "attribute[TRAPPED]": "2", "attribute[BUILDING]": "3号楼1单元",
            "email": "li.ming@example.cn", "phone": "13912345678", "first_name": "明", "last_name": "李",
            "media_url": "https://media.example.cn/p/1.jpg"}
    form.update(extra)
    return form


def counts(store) -> tuple[int, int, int]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (CaseRow, IntakeRow, CommandLogRow))


def assert_error(response, status: int, fmt: str = "json", contains: str = "") -> str:
    assert response.status_code == status, response.text
    if fmt == "json":
        body = response.json()
        assert isinstance(body, list) and len(body) == 1 and list(body[0]) == ERROR_FIELDS
        assert body[0]["code"] == status
        description = body[0]["description"]
    else:
        assert response.headers["content-type"].startswith("text/xml")
        (error,) = xml_items(response.text, "errors", "error")
        assert tags(error) == ERROR_FIELDS and error.findtext("code") == str(status)
        description = error.findtext("description")
    assert contains in description, description
    return description


def test_services_in_json_and_xml(http):
    services = http.get(f"{BASE}/services.json").json()
    assert len(services) >= 40 and all(list(s) == SERVICE_FIELDS for s in services)
    by_code = {s["service_code"]: s for s in services}
    lift = by_code["20451"]
    assert (lift["service_name"], lift["group"], lift["metadata"], lift["type"]) == ("电梯困人", "突发事件", True,
                                                                                      "realtime")
    assert "电梯" in lift["keywords"] and by_code["20102"]["metadata"] is False
    assert all(len(code) == 5 and code.isdigit() for code in by_code)
    xml = http.get(f"{BASE}/services.xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("text/xml")
    items = xml_items(xml.text, "services", "service")
    assert len(items) == len(services) and all(tags(i) == SERVICE_FIELDS for i in items)
    lift_xml = next(i for i in items if i.findtext("service_code") == "20451")
    assert (lift_xml.findtext("metadata"), lift_xml.findtext("service_name")) == ("true", "电梯困人")


def test_service_definitions_in_json_and_xml(http):
    definition = http.get(f"{BASE}/services/21101.json").json()
    assert list(definition) == DEFINITION_FIELDS and definition["service_code"] == "21101"
    (attr,) = definition["attributes"]
    assert list(attr) == ATTRIBUTE_FIELDS
    assert (attr["code"], attr["datatype"], attr["required"], attr["variable"], attr["order"]) == (
        "NOISE_SOURCE", "singlevaluelist", True, True, 1)
    assert all(list(v) == VALUE_FIELDS for v in attr["values"]) and {"key": "shop", "name": "商铺"} in attr["values"]
    root = ET.fromstring(http.get(f"{BASE}/services/21101.xml").text)
    assert root.tag == "service_definition" and tags(root) == DEFINITION_FIELDS
    (attr_xml,) = root.find("attributes")
    assert attr_xml.tag == "attribute" and tags(attr_xml) == ATTRIBUTE_FIELDS
    values = attr_xml.find("values")
    assert all(v.tag == "value" and tags(v) == VALUE_FIELDS for v in values)
    assert [v.findtext("key") for v in values] == [v["key"] for v in attr["values"]]
    # A service without attributes has an empty list; an unknown one is 404 in the spec's error shape.
    assert http.get(f"{BASE}/services/20102.json").json() == {"service_code": "20102", "attributes": []}
    assert_error(http.get(f"{BASE}/services/99999.json"), 404, contains="99999")
    assert_error(http.get(f"{BASE}/services/99999.xml"), 404, "xml", contains="99999")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_request_files_one_reported_case_through_the_command_path(http, keys, city_store, fmt):
    response = http.post(f"{BASE}/requests.{fmt}", data=elevator(keys["app"]))
    assert response.status_code == 201, response.text
    if fmt == "json":
        (answer,) = response.json()
        assert list(answer) == POST_FIELDS
    else:
        (item,) = xml_items(response.text, "service_requests", "request")
        assert tags(item) == POST_FIELDS
        answer = {t: item.findtext(t) for t in POST_FIELDS}
    case = city_store.case(answer["service_request_id"])
    assert (case.state, case.source, case.node, case.category, case.urgency.value) == (
        State.REPORTED, Source.RESIDENT, GRID_1, "20451", "urgent")
    assert "【被困人数】2" in case.description and case.reported_by.startswith("key:")
    assert "处置时限" in answer["service_notice"] and answer["account_id"] in (None, "")
    # The same request again (a retry) is the same case: 200, nothing new stored.
    before = counts(city_store)
    again = http.post(f"{BASE}/requests.json", data=elevator(keys["app"]))
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == case.id
    assert counts(city_store) == before == (1, 1, 1)
    # The command log holds the report under an id derived from the request.
    with city_store.engine.connect() as conn:
        client_id, command_id = conn.execute(select(CommandLogRow.client_id, CommandLogRow.command_id)).one()
    assert client_id == "intake-citizen-app" and command_id.startswith("open311-")


def test_json_and_xml_bodies_are_taken_too(http, keys, city_store):
    json_body = {"api_key": keys["app"], "service_code": "21101", "address_string": "浮山所社区第2网格 东海西路",
                 "description": "夜里商铺音响", "attribute": {"NOISE_SOURCE": "shop"}}
    first = http.post(f"{BASE}/requests.json", json=json_body)
    assert first.status_code == 201, first.text
    assert city_store.case(first.json()[0]["service_request_id"]).node == GRID_2
    xml_body = (f"<request><api_key>{keys['app']}</api_key><service_code>10253</service_code>"
                f"<lat>{AT_GRID_1[0]}</lat><long>{AT_GRID_1[1]}</long><description>路面塌陷</description>"
                "<attribute><HAZARD>vehicles</HAZARD><HAZARD>night</HAZARD></attribute></request>")
    second = http.post(f"{BASE}/requests.xml", content=xml_body.encode(), headers={"Content-Type": "application/xml"})
    assert second.status_code == 201, second.text
    case = city_store.case(xml_items(second.text, "service_requests", "request")[0].findtext("service_request_id"))
    assert "影响车辆通行、夜间无照明" in case.description


def test_get_requests_filters_pages_and_hides_callers(http, keys, city_store, rules):
    ids = {}
    ids["lift"] = http.post(f"{BASE}/requests.json", data=elevator(keys["app"])).json()[0]["service_request_id"]
    ids["noise"] = http.post(f"{BASE}/requests.json", data={
        "api_key": keys["app"], "service_code": "21101", "lat": AT_GRID_2[0], "long": AT_GRID_2[1],
        "description": "施工噪音", "attribute[NOISE_SOURCE]": "construction", "phone": "13700000000"}).json()[0][
        "service_request_id"]
    ids["hole"] = http.post(f"{BASE}/requests.json", data={
        "api_key": keys["app"], "service_code": "10253", "attribute[grid]": GRID_2, "description": "路面坑洼"}).json()[
        0]["service_request_id"]
    ids["theirs"] = http.post(f"{BASE}/requests.json", data={
        "api_key": keys["other"], "service_code": "20102", "lat": AT_OTHER_GRID[0], "long": AT_OTHER_GRID[1],
        "description": "垃圾"}).json()[0]["service_request_id"]
    # A console's own report is not an Open311 request.
    Driver(city_store, rules).report(time.time(), node=GRID_1)
    driver = Driver(city_store, rules, "console")
    rejected = driver.step(city_store.case(ids["hole"]), Action.REJECT, time.time(), reason="重复反映")

    everything = http.get(f"{BASE}/requests.json", params={"api_key": keys["app"]}).json()
    assert {r["service_request_id"] for r in everything} == {ids["lift"], ids["noise"], ids["hole"]}
    assert all(list(r) == REQUEST_FIELDS for r in everything)
    text = http.get(f"{BASE}/requests.json", params={"api_key": keys["app"]}).text
    for secret in ("13912345678", "13700000000", "li.ming@example.cn", "李", "key:"):
        assert secret not in text
    lift = next(r for r in everything if r["service_request_id"] == ids["lift"])
    assert (lift["status"], lift["service_name"], lift["service_code"], lift["lat"], lift["long"],
            lift["media_url"]) == ("open", "电梯困人", "20451", 36.0612, 120.4012, "https://media.example.cn/p/1.jpg")
    assert lift["requested_datetime"].endswith("+08:00") and lift["agency_responsible"] is None
    hole = next(r for r in everything if r["service_request_id"] == ids["hole"])
    assert hole["status"] == "closed" and "重复反映" in hole["status_notes"] and rejected.state is State.REJECTED

    def listed(**params) -> list[str]:
        return [r["service_request_id"] for r in
                http.get(f"{BASE}/requests.json", params={"api_key": keys["app"], **params}).json()]

    assert listed(status="closed") == [ids["hole"]]
    assert set(listed(status="open")) == {ids["lift"], ids["noise"]}
    assert set(listed(service_code="20451,21101")) == {ids["lift"], ids["noise"]}
    assert set(listed(service_request_id=f"{ids['lift']},{ids['theirs']}")) == {ids["lift"]}
    assert listed(start_date="2000-01-01T00:00:00+08:00", end_date="2000-01-02T00:00:00+08:00") == []
    assert len(listed(start_date="2000-01-01T00:00:00Z")) == 3
    pages = [listed(page_size="2", page=str(n)) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 1, 0] and set(pages[0] + pages[1]) == set(listed())
    # The same list in XML.
    items = xml_items(http.get(f"{BASE}/requests.xml", params={"api_key": keys["app"]}).text,
                      "service_requests", "request")
    assert len(items) == 3 and all(tags(i) == REQUEST_FIELDS for i in items)
    # Filters that make no sense are errors in the spec's shape.
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": keys["app"], "status": "pending"}), 400)
    assert_error(http.get(f"{BASE}/requests.xml", params={"api_key": keys["app"], "start_date": "yesterday"}), 400,
                 "xml", contains="ISO 8601")
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": keys["app"], "page_size": "5000"}), 400)
    assert_error(http.get(f"{BASE}/requests.json"), 400, contains="api_key")


def test_one_request_and_its_token_follow_the_lifecycle(http, keys, city_store, rules):
    posted = http.post(f"{BASE}/requests.json", data=elevator(keys["app"])).json()[0]
    case_id, token = posted["service_request_id"], posted["token"]
    for fmt in ("json", "xml"):
        response = http.get(f"{BASE}/tokens/{token}.{fmt}", params={"api_key": keys["app"]})
        if fmt == "json":
            assert response.json() == [{"service_request_id": case_id, "token": token}]
        else:
            (item,) = xml_items(response.text, "service_requests", "request")
            assert tags(item) == TOKEN_FIELDS and item.findtext("service_request_id") == case_id
    driver = Driver(city_store, rules, "console")
    now = time.time()
    case = driver.step(city_store.case(case_id), Action.ACCEPT, now)
    case = driver.step(case, Action.DISPATCH, now, department="szyl")

    def one(fmt: str = "json") -> dict:
        response = http.get(f"{BASE}/requests/{case_id}.{fmt}", params={"api_key": keys["app"]})
        assert response.status_code == 200, response.text
        if fmt == "json":
            (request,) = response.json()
            assert list(request) == REQUEST_FIELDS
            return request
        (item,) = xml_items(response.text, "service_requests", "request")
        assert tags(item) == REQUEST_FIELDS
        return {t: item.findtext(t) for t in REQUEST_FIELDS}

    dispatched = one()
    assert (dispatched["status"], dispatched["agency_responsible"]) == ("open", "市政园林")
    assert dispatched["expected_datetime"] is not None and "派遣" in dispatched["status_notes"]
    assert one("xml")["agency_responsible"] == "市政园林"
    case = driver.step(case, Action.SIGN, now, DEPARTMENT)
    case = driver.step(case, Action.RESOLVE, now, DEPARTMENT, message="已救出被困人员")
    case = driver.step(case, Action.VERIFY, now, OPERATOR, passed=True, message="回访满意")
    closed = one()
    assert closed["status"] == "closed" and "结案" in closed["status_notes"]
    assert one("xml")["status"] == "closed"
    # Unknown ids and tokens, and ids outside the key's jurisdiction, are 404.
    assert_error(http.get(f"{BASE}/requests/QD000.json", params={"api_key": keys["app"]}), 404)
    assert_error(http.get(f"{BASE}/requests/{case_id}.xml", params={"api_key": keys["other"]}), 404, "xml")
    assert_error(http.get(f"{BASE}/tokens/{token}.json", params={"api_key": keys["other"]}), 404)


def test_an_open311_case_enters_the_consoles_reported_queue(hub, http, keys, city_store):
    user_token = city_store.add_user("值班员", "operator", STREET)[1]
    console = FeedClient(hub.url, user_token)
    console.subscribe(STREET)
    case_id = http.post(f"{BASE}/requests.json", data=elevator(keys["app"])).json()[0]["service_request_id"]
    console.pump(lambda: any(e.case.id == case_id for e in console.events))
    event = next(e for e in console.events if e.case.id == case_id)
    assert event.event.kind is Action.REPORT and event.case.state is State.REPORTED
    assert event.case.source is Source.RESIDENT
    console.close()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_requests_get_the_specs_errors_and_store_nothing(http, keys, city_store, fmt):
    url = f"{BASE}/requests.{fmt}"

    def refused(status: int, contains: str = "", **kw) -> None:
        assert_error(http.post(url, **kw), status, fmt, contains)

    refused(400, "malformed JSON", content=b'{"service_code": ', headers={"Content-Type": "application/json"})
    refused(400, "malformed XML", content=b"<request><service_code>", headers={"Content-Type": "application/xml"})
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<request><description>&b;</description></request>")
    refused(400, "malformed XML", content=bomb, headers={"Content-Type": "application/xml"})
    refused(404, "99999", data=elevator(keys["app"], service_code="99999"))
    refused(400, "outside the jurisdiction", data=elevator(keys["app"], position=NOWHERE))
    refused(400, "outside the jurisdiction", data=elevator(keys["app"], position=AT_OTHER_GRID))
    refused(400, "outside the jurisdiction",
            data=elevator(keys["app"], position=AT_OTHER_GRID, address_string="浮山所社区第1网格"))
    refused(400, "outside the jurisdiction", data=elevator(keys["app"], **{"attribute[grid]": "370202002001001"}))
    refused(400, "BUILDING", data={k: v for k, v in elevator(keys["app"]).items() if k != "attribute[BUILDING]"})
    refused(400, "number", data=elevator(keys["app"], **{"attribute[TRAPPED]": "two"}))
    refused(400, "location", data={"api_key": keys["app"], "service_code": "20102", "description": "垃圾"})
    refused(413, "larger", data=elevator(keys["app"], description="x" * 300_000))
    refused(403, "api_key", data=elevator("gk_" + "0" * 43))
    refused(403, "hotline", data=elevator(keys["hotline"]))
    refused(400, "api_key", data={k: v for k, v in elevator(keys["app"]).items() if k != "api_key"})
    assert counts(city_store) == (0, 0, 0)


def test_revoked_keys_stop_at_once_and_floods_get_429(http, keys, city_store, frozen_limits):
    from backend.intake.store import IntakeStore

    intake = IntakeStore(city_store)
    slow = next(k for k in intake.list_keys() if k.name == "slow")
    answers = [http.get(f"{BASE}/requests.json", params={"api_key": keys["slow"]}) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert_error(answers[3], 429, contains="rate limit")
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert_error(http.post(f"{BASE}/requests.xml", data=elevator(keys["slow"])), 429, "xml")
    assert counts(city_store) == (0, 0, 0)
    intake.revoke_key(slow.id, time.time())
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": keys["slow"]}), 403, contains="revoked")
    app = next(k for k in intake.list_keys() if k.name == "app")
    assert http.get(f"{BASE}/requests.json", params={"api_key": keys["app"]}).status_code == 200
    intake.revoke_key(app.id, time.time())
    assert_error(http.post(f"{BASE}/requests.json", data=elevator(keys["app"])), 403, contains="revoked")


def test_an_address_sending_bad_keys_is_slowed_down(http, keys, frozen_limits):
    from backend.http.common import BAD_KEYS_PER_MINUTE

    for _ in range(BAD_KEYS_PER_MINUTE):
        assert_error(http.get(f"{BASE}/requests.json", params={"api_key": "gk_guess"}), 403)
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": "gk_guess"}), 429, contains="rate limit")
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": keys["app"]}), 429)


def test_jurisdiction_id_narrows_within_the_keys_jurisdiction(http, keys):
    first = http.post(f"{BASE}/requests.json", data=elevator(keys["app"], jurisdiction_id="370202001001"))
    assert first.status_code == 201, first.text
    assert_error(http.post(f"{BASE}/requests.json", data=elevator(keys["app"], jurisdiction_id="370202002")), 403)
    assert_error(http.post(f"{BASE}/requests.xml", data=elevator(keys["app"], jurisdiction_id="37020x")), 400, "xml")

    def listed(jurisdiction: str) -> int:
        response = http.get(f"{BASE}/requests.json", params={"api_key": keys["app"], "jurisdiction_id": jurisdiction})
        assert response.status_code == 200, response.text
        return len(response.json())

    assert listed("370202001") == listed("370202001001") == 1
    assert_error(http.get(f"{BASE}/requests.json", params={"api_key": keys["app"], "jurisdiction_id": "370202"}), 403)


def test_unknown_paths_and_formats_answer_in_the_error_shape(http):
    assert_error(http.get(f"{BASE}/services.csv"), 404)
    assert_error(http.get("/nothing.xml"), 404, "xml")
    response = http.delete(f"{BASE}/services.json")
    assert_error(response, 405)
