"""domain.intake: states to Open311, service and hotline data files, attributes, urgency, places, times."""

from __future__ import annotations

import pytest

from domain.catalog import load_catalog
from domain.intake import (
    DataError,
    IntakeError,
    check_attributes,
    command_id,
    describe,
    fingerprint,
    iso,
    match_address,
    open311_status,
    parse_hotline_map,
    parse_services,
    parse_time,
    tickets_from_json,
)
from domain.model import State, Urgency

CATALOG = load_catalog()
SERVICES_TOML = """
[service."21101"]
urgency = "urgent"
  [[service."21101".attribute]]
  code = "SRC"
  datatype = "singlevaluelist"
  required = true
  description = "来源"
  values = [{ key = "shop", name = "商铺" }, { key = "other", name = "其他" }]
  [[service."21101".attribute]]
  code = "COUNT"
  datatype = "number"
  description = "次数"
"""
MAP_TOML = """
[urgency]
"紧急" = "urgent"
[deadline]
urgent_within_hours = 24.0
critical_within_hours = 2.0
[[category]]
hotline = "市政/井盖"
code = "10103"
[[category]]
hotline = "住建/电梯困人"
code = "20451"
urgency = "urgent"
"""


def test_terminal_states_are_closed_the_rest_open():
    assert {s for s in State if open311_status(s) == "closed"} == {State.CLOSED, State.REJECTED, State.MERGED}


def test_every_catalog_item_is_a_service_with_the_files_extras():
    services = parse_services(SERVICES_TOML, "t", CATALOG)
    assert set(services) == {c.code for c in CATALOG.active()}  # retired items are not offered
    with pytest.raises(DataError, match="retired"):
        parse_services('[service."01001"]\n', "t", CATALOG)
    noise = services["21101"]
    assert noise.metadata and noise.urgency is Urgency.URGENT and [a.order for a in noise.attributes] == [1, 2]
    assert not services["20102"].metadata and services["20102"].group == "市容环境"
    with pytest.raises(DataError, match="not a catalog item"):
        parse_services('[service."99999"]\n', "t", CATALOG)
    with pytest.raises(DataError, match="needs values"):
        parse_services('[service."21101"]\n[[service."21101".attribute]]\ncode="X"\ndatatype="multivaluelist"\n',
                       "t", CATALOG)
    with pytest.raises(DataError, match="unknown key"):
        parse_services('[service."21101"]\ncolour = "red"\n', "t", CATALOG)


def test_attributes_are_checked_and_described():
    noise = parse_services(SERVICES_TOML, "t", CATALOG)["21101"]
    assert check_attributes(noise, {"SRC": ["shop"], "COUNT": ["3"]}) == {"SRC": "shop", "COUNT": "3"}
    with pytest.raises(IntakeError, match=r"attribute\[SRC\].*required") as missing:
        check_attributes(noise, {"COUNT": ["3"]})
    assert missing.value.code == 400
    with pytest.raises(IntakeError, match="not one of"):
        check_attributes(noise, {"SRC": ["cars"]})
    with pytest.raises(IntakeError, match="number"):
        check_attributes(noise, {"SRC": ["shop"], "COUNT": ["many"]})
    assert describe("吵", noise, {"SRC": "shop", "COUNT": "3"}) == "吵\n【来源】商铺\n【次数】3"


def test_hotline_urgency_is_the_most_urgent_of_floor_word_and_deadline():
    table = parse_hotline_map(MAP_TOML, "t", CATALOG)
    now = 1_800_000_000.0
    assert table.category("市政/井盖") == ("10103", Urgency.NORMAL)
    code, floor = table.category("住建/电梯困人")
    assert table.urgency(floor, None, None, now) is Urgency.URGENT
    assert table.urgency(Urgency.NORMAL, "紧急", None, now) is Urgency.URGENT
    assert table.urgency(Urgency.NORMAL, "critical", None, now) is Urgency.CRITICAL
    assert table.urgency(Urgency.NORMAL, None, now + 20 * 3600, now) is Urgency.URGENT
    assert table.urgency(Urgency.NORMAL, None, now + 3600, now) is Urgency.CRITICAL
    assert table.urgency(Urgency.NORMAL, None, now + 72 * 3600, now) is Urgency.NORMAL
    with pytest.raises(IntakeError, match="unknown hotline category"):
        table.category("别的")
    with pytest.raises(IntakeError, match="unknown urgency"):
        table.urgency(Urgency.NORMAL, "火急", None, now)
    with pytest.raises(DataError, match="mapped twice"):
        parse_hotline_map(MAP_TOML + '[[category]]\nhotline = "市政/井盖"\ncode = "10103"\n', "t", CATALOG)


def test_tickets_parse_from_json_in_three_shapes():
    one = b'{"ticket_no": "A1", "category": "c", "content": "x", "extra": 1}'
    assert [t.ticket_no for t in tickets_from_json(one)] == ["A1"]
    assert len(tickets_from_json(b"[" + one + b"," + one + b"]")) == 2
    assert len(tickets_from_json(b'{"tickets": [' + one + b"]}")) == 1
    for bad, message in ((b"{", "malformed JSON"), (b"[]", "expected a ticket"), (b'{"ticket_no": "A"}', "category"),
                         (b'{"ticket_no": "A", "category": "c", "content": " "}', "content is empty"),
                         (b'{"ticket_no": "A", "category": "c", "content": "x", "lat": 36.0}', "together")):
        with pytest.raises(IntakeError, match=message):
            tickets_from_json(bad)


def test_places_times_and_keys():
    named = [("1", "浮山所社区"), ("2", "浮山所社区第2网格")]
    assert match_address("东海西路 浮山所社区第2网格", named) == "2"
    assert match_address("浮山所社区内", named) == "1" and match_address("别处", named) is None
    assert iso(1773108000.0) == "2026-03-10T10:00:00+08:00"
    assert parse_time("2026-03-10T10:00:00+08:00", "t") == parse_time("2026-03-10 10:00:00", "t") == 1773108000.0
    assert parse_time("2026-03-10T02:00:00Z", "t") == 1773108000.0
    with pytest.raises(IntakeError, match="ISO 8601"):
        parse_time("tomorrow", "t")
    assert fingerprint("a", None, 1) == fingerprint("a", None, "1") != fingerprint("a", "", 1)
    assert len(command_id("hotline", "x" * 64)) <= 64 and command_id("hotline", "A") != command_id("open311", "A")
