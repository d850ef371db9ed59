"""The 12345 hotline bridge over real HTTP: tickets in once, their progress and callback answer polled back."""

from __future__ import annotations

import json
import threading
import time

import httpx
from sqlalchemy import func, select

from backend import cli
from backend.intake.store import IntakeStore
from backend.store.models import CaseRow, IntakeRow
from domain.model import Action, Source, State, Urgency
from tests.backend.conftest import DEPARTMENT, OPERATOR, Driver
from tests.backend.intake.conftest import GRID_1, GRID_2

TICKETS = "/v1/hotline/tickets"
UPDATES = "/v1/hotline/updates"
UPDATE_FIELDS = ["seq", "ticket_no", "case_id", "kind", "at", "state", "status", "status_notes", "department",
                 "deadline", "message", "reason", "result", "callback"]


def ticket(no: str = "GD20261203000001", **kw) -> dict:
    body = {"ticket_no": no, "category": "市政设施/井盖", "title": "井盖丢失", "content": "东海西路井盖丢失，夜间危险",
            "address": "浮山所社区第2网格 东海西路12号", "caller_name": "王女士", "caller_phone": "13600000000",
            "urgency": "一般", "deadline": "2027-01-10T18:00:00+08:00", "received_at": "2026-12-03T09:12:00+08:00"}
    body.update(kw)
    return body


def cases(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(CaseRow)).scalar_one()


def post(http, key: str, body, **kw):
    return http.post(TICKETS, json=body, headers={"X-Api-Key": key}, **kw)


def test_a_ticket_sent_twice_makes_one_case(http, keys, city_store):
    first = post(http, keys["hotline"], ticket())
    assert first.status_code == 201, first.text
    (filed,) = first.json()["tickets"]
    assert filed["created"] is True and filed["state"] == "reported"
    again = post(http, keys["hotline"], ticket())
    assert again.status_code == 200 and again.json()["tickets"][0] == {**filed, "created": False}
    assert cases(city_store) == 1
    case = city_store.case(filed["case_id"])
    assert (case.source, case.node, case.category, case.state) == (Source.HOTLINE, GRID_2, "10103", State.REPORTED)
    assert "GD20261203000001" in case.description and "13600000000" not in case.description
    contact = IntakeStore(city_store).contact_of(case.id)
    assert contact == {"name": "王女士", "phone": "13600000000"}
    # The case carries the caller and the ticket (masked per role by the hub; searchable by phone).
    assert (case.caller_name, case.caller_phone, case.ticket_no) == ("王女士", "13600000000", "GD20261203000001")
    # Another platform may use the same ticket number for its own ticket.
    theirs = post(http, keys["hotline_b"], ticket())
    assert theirs.status_code == 201 and theirs.json()["tickets"][0]["case_id"] != filed["case_id"]


def test_the_same_ticket_sent_concurrently_makes_one_case(hub, keys, city_store):
    url = f"http://127.0.0.1:{hub.hub.http_port}{TICKETS}"
    answers = []

    def send() -> None:
        answers.append(httpx.post(url, json=ticket("GD-RACE"), headers={"X-Api-Key": keys["hotline"]}, timeout=30))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [200] * 5 + [201]
    assert len({a.json()["tickets"][0]["case_id"] for a in answers}) == 1 and cases(city_store) == 1


def test_categories_urgency_and_deadline_map_through_the_table(http, keys, city_store):
    soon = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 3600))
    answers = post(http, keys["hotline"], {"tickets": [
        ticket("T-1", category="住房建设/电梯困人", address="浮山所社区第1网格"),  # floor: urgent
        ticket("T-2", urgency="特急"),
        ticket("T-3", deadline=soon),  # due within 2 hours: critical
        ticket("T-4", grid=GRID_1, address=""),
    ]}).json()["tickets"]
    got = {a["ticket_no"]: city_store.case(a["case_id"]) for a in answers}
    assert (got["T-1"].category, got["T-1"].urgency, got["T-1"].node) == ("20451", Urgency.URGENT, GRID_1)
    assert got["T-2"].urgency is Urgency.CRITICAL and got["T-3"].urgency is Urgency.CRITICAL
    assert got["T-4"].node == GRID_1 and got["T-4"].urgency is Urgency.NORMAL


def test_progress_result_and_callback_are_polled_back_without_gaps(http, keys, city_store, rules):
    case_id = post(http, keys["hotline"], ticket()).json()["tickets"][0]["case_id"]
    other_id = post(http, keys["hotline_b"], ticket("B-1")).json()["tickets"][0]["case_id"]
    driver = Driver(city_store, rules, "console")
    console_case = driver.report(time.time(), node=GRID_1)  # not a hotline case: never in the updates
    now = time.time()
    case = driver.step(city_store.case(case_id), Action.ACCEPT, now)
    case = driver.step(case, Action.DISPATCH, now, department="szyl", message="请尽快补装")
    driver.step(city_store.case(other_id), Action.ACCEPT, now)
    case = driver.step(case, Action.SIGN, now, DEPARTMENT)
    case = driver.step(case, Action.RESOLVE, now, DEPARTMENT, message="已补装新井盖")
    case = driver.step(case, Action.VERIFY, now, OPERATOR, passed=True, message="回访：群众满意")
    assert case.state is State.CLOSED

    headers = {"X-Api-Key": keys["hotline"]}
    page = http.get(UPDATES, params={"after": 0}, headers=headers).json()
    assert list(page) == ["epoch", "after", "next", "updates"]
    updates = page["updates"]
    assert all(list(u) == UPDATE_FIELDS for u in updates)
    assert [u["kind"] for u in updates] == ["report", "accept", "dispatch", "sign", "resolve", "verify"]
    assert {u["case_id"] for u in updates} == {case_id} and {u["ticket_no"] for u in updates} == {"GD20261203000001"}
    dispatch, resolve, verify = updates[2], updates[4], updates[5]
    assert dispatch["department"] == "市政园林" and dispatch["message"] == "请尽快补装" and dispatch["deadline"]
    assert resolve["result"] == "已补装新井盖" and resolve["status"] == "open"
    assert verify["callback"] == {"passed": True, "answer": "回访：群众满意"}
    assert (verify["status"], verify["state"]) == ("closed", "closed")
    seqs = [u["seq"] for u in updates]
    assert seqs == sorted(seqs) and page["next"] >= seqs[-1] and console_case.id not in str(page)
    # Nothing new: the same point comes back; paging by 2 walks the same updates, none skipped.
    assert http.get(UPDATES, params={"after": page["next"]}, headers=headers).json()["updates"] == []
    walked, after = [], 0
    while True:
        chunk = http.get(UPDATES, params={"after": after, "limit": 2}, headers=headers).json()
        walked += chunk["updates"]
        if not chunk["updates"]:
            break
        after = chunk["next"]
    assert walked == updates
    # The other platform sees only its own ticket.
    theirs = http.get(UPDATES, params={"after": 0}, headers={"X-Api-Key": keys["hotline_b"]}).json()["updates"]
    assert [(u["ticket_no"], u["kind"]) for u in theirs] == [("B-1", "report"), ("B-1", "accept")]


def test_bad_tickets_store_nothing(http, keys, city_store):
    def refused(status: int, contains: str, body=None, key: str | None = None, **kw) -> None:
        headers = {"X-Api-Key": key if key is not None else keys["hotline"], "Content-Type": "application/json"}
        if body is not None:
            kw["content"] = json.dumps(body).encode()
        response = http.post(TICKETS, headers=kw.pop("headers", headers), **kw)
        assert response.status_code == status, response.text
        (error,) = response.json()
        assert error["code"] == status and contains in error["description"], error

    refused(400, "malformed JSON", content=b'{"ticket_no": "x",')
    refused(400, "application/json", content=b"ticket_no=x", key=keys["hotline"],
            headers={"X-Api-Key": keys["hotline"], "Content-Type": "text/plain"})
    refused(400, "unknown hotline category", ticket(category="其他/不存在"))
    refused(400, "content", ticket(content=" "))
    refused(400, "deadline", ticket(deadline="next week"))
    refused(400, "received_at", ticket(received_at="this morning"))
    refused(400, "names no grid", ticket(address="火星路1号"))
    refused(400, "unknown hotline category", {"tickets": [ticket("OK-1"), ticket("BAD-1", category="?")]})
    refused(413, "larger", {"tickets": [ticket(f"N-{i}", content="x" * 3000) for i in range(100)]})
    refused(403, "open311", ticket(), key=keys["app"])
    refused(403, "invalid api_key", ticket(), key="gk_nope")
    refused(400, "api_key", ticket(), key="")
    assert cases(city_store) == 0
    with city_store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(IntakeRow)).scalar_one() == 0
    response = http.get(UPDATES, params={"after": "x"}, headers={"X-Api-Key": keys["hotline"]})
    assert response.status_code == 400
    response = http.get(UPDATES, params={"after": 10**9}, headers={"X-Api-Key": keys["hotline"]})
    assert response.status_code == 400 and "ahead" in response.json()[0]["description"]


def test_cli_manages_keys_and_imports_ticket_files(city_store, db_url, tmp_path, capsys):
    assert cli.main(["apikey", "add", "--db", db_url, "--name", "12345平台", "--kind", "hotline", "--source",
                     "qd12345", "--jurisdiction", "3702", "--rate", "120"]) == 0
    out = capsys.readouterr().out
    key_id = out.split()[1]
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("gk_")
    assert cli.main(["apikey", "list", "--db", db_url]) == 0
    listing = capsys.readouterr().out
    assert key_id in listing and "qd12345" in listing and "120" in listing and secret not in listing
    rows = [ticket("CSV-1"), ticket("CSV-2", category="市政设施/路灯", address="浮山所社区第1网格")]
    csv_file = tmp_path / "export.csv"
    fields = list(rows[0])
    csv_file.write_text(",".join(fields) + "\n" + "\n".join(",".join(r[f] for f in fields) for r in rows) + "\n",
                        encoding="utf-8")
    assert cli.main(["hotline", "import", "--db", db_url, "--key-id", key_id, str(csv_file)]) == 0
    assert "2 new cases" in capsys.readouterr().out
    json_file = tmp_path / "export.json"
    json_file.write_text(json.dumps({"tickets": rows + [ticket("JSON-3")]}, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["hotline", "import", "--db", db_url, "--key-id", key_id, str(json_file)]) == 0
    assert "1 new cases, 2 already filed" in capsys.readouterr().out
    assert cases(city_store) == 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([ticket("B-1"), ticket("B-2", category="??")], ensure_ascii=False), encoding="utf-8")
    assert cli.main(["hotline", "import", "--db", db_url, "--key-id", key_id, str(bad)]) == 2
    assert "nothing was filed" in capsys.readouterr().err and cases(city_store) == 3
    assert cli.main(["apikey", "revoke", "--db", db_url, key_id]) == 0
    assert cli.main(["hotline", "import", "--db", db_url, "--key-id", key_id, str(json_file)]) == 2
    assert "no live hotline key" in capsys.readouterr().err
    assert cli.main(["apikey", "add", "--db", db_url, "--name", "x", "--kind", "open311", "--source", "Bad Name",
                     "--jurisdiction", "3702"]) == 2
