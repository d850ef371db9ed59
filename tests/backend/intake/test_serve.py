"""`gridcc-hub serve --http-port 0` runs the HTTP intake beside the feed, in its own process."""

from __future__ import annotations

import re
import time

import httpx

from backend.testing import HubProcess


def test_serve_with_http_port_answers_open311(city_store, keys, db_url, tmp_path):
    with HubProcess(db_url, tmp_path, name="intake-hub", extra=("--http-port", "0")) as hub:
        log = tmp_path / "intake-hub.log"
        deadline = time.monotonic() + 30
        found = None
        while found is None and time.monotonic() < deadline:
            found = re.search(r"intake \(Open311, 12345 hotline\) on (http://127\.0\.0\.1:\d+)", log.read_text())
            time.sleep(0.05)
        assert found, log.read_text()
        base = found.group(1)
        assert f":{hub.port}" not in base
        services = httpx.get(f"{base}/open311/v2/services.json", timeout=30)
        assert services.status_code == 200 and len(services.json()) >= 40
        listed = httpx.get(f"{base}/open311/v2/requests.json", params={"api_key": keys["app"]}, timeout=30)
        assert listed.status_code == 200 and listed.json() == []
