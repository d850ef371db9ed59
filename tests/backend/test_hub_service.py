"""The hub as an administrator runs it as a service: settings file, check-config, logs, health, status, migrate.

Real `gridcc-hub` processes on real databases; HTTP probes over a real socket.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from backend.store import Store
from domain.version import APP_VERSION


def hub_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **(env or {})))


def write_config(path: Path, **values) -> Path:
    lines = [f"{k} = {json.dumps(str(v)) if isinstance(v, Path | str) else json.dumps(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


class ServedHub:
    """`gridcc-hub --config FILE serve` in a child process, as systemd's ExecStart runs it."""

    def __init__(self, tmp: Path, config: Path, env: dict | None = None) -> None:
        self.tmp = tmp
        self.err = tmp / "hub.err"
        self.port_file, self.http_port_file = tmp / "feed.port", tmp / "http.port"
        with open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "backend.cli", "--config", str(config), "serve", "--port-file",
                 str(self.port_file), "--http-port-file", str(self.http_port_file)],
                stdout=subprocess.DEVNULL, stderr=err, env=dict(os.environ, **(env or {})))
        deadline = time.monotonic() + 60
        while not self.port_file.exists():
            assert self.proc.poll() is None, self.err.read_text()
            assert time.monotonic() < deadline, "the hub did not start"
            time.sleep(0.05)
        self.http = f"http://127.0.0.1:{int(self.http_port_file.read_text())}"

    def wait_presence(self, state_dir: Path) -> None:
        deadline = time.monotonic() + 30
        while not list((state_dir / "hubs").glob("*.json")):
            assert time.monotonic() < deadline, "no presence file"
            time.sleep(0.05)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert hub_cli("migrate", "--db", url).returncode == 0
    return url


# ---- settings ----------------------------------------------------------------------------------------
def test_check_config_shows_every_value_with_its_source_and_masks_secrets(tmp_path):
    config = write_config(tmp_path / "hub.toml", db="postgresql+psycopg://gridcc:s3cret-pw@db.internal/gridcc",
                          port=9100, s3_secret_key="very-secret", log_format="json")
    out = hub_cli("--config", str(config), "check-config", env={"GRIDCC_HUB_PORT": "9200"})
    assert out.returncode == 0, out.stderr
    assert "s3cret-pw" not in out.stdout and "very-secret" not in out.stdout
    lines = {line.split(" =")[0].strip(): line for line in out.stdout.splitlines() if " = " in line}
    assert "postgresql+psycopg://gridcc:***@db.internal/gridcc  # file" in lines["db"]
    assert lines["port"].endswith("= 9200  # env GRIDCC_HUB_PORT")  # the environment beats the file
    assert lines["log_format"].endswith("= json  # file")
    assert lines["host"].endswith("= 127.0.0.1  # default")
    assert lines["s3_secret_key"].endswith("= ********  # file")
    assert out.stdout.rstrip().endswith("configuration OK")


@pytest.mark.parametrize(("content", "env", "expected"), [
    ('prot = 8765\n', {}, "unknown key(s) prot"),
    ('port = "eighty"\n', {}, "`port` must be an integer, not 'eighty'"),
    ('port = 70000\n', {}, "`port` must be between 0 and 65535, not 70000"),
    ('log_format = "xml"\n', {}, "`log_format` must be one of text, json, not 'xml'"),
    ('port = 8765\nport = 1\n', {}, "is not valid TOML"),
    ('port = 8765\n', {"GRIDCC_HUB_SWEEP_INTERVAL": "often"}, "environment GRIDCC_HUB_SWEEP_INTERVAL: "
                                                              "`sweep_interval` must be a number, not 'often'"),
])
def test_a_bad_setting_is_named_with_where_it_came_from(tmp_path, content, env, expected):
    config = tmp_path / "hub.toml"
    config.write_text(content, encoding="utf-8")
    for command in (["check-config"], ["serve"]):
        out = hub_cli("--config", str(config), *command, env=env)
        assert out.returncode == 2, out.stdout
        assert expected in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


def test_a_named_config_file_must_exist_but_the_default_one_may_not(tmp_path):
    out = hub_cli("--config", str(tmp_path / "nope.toml"), "check-config")
    assert out.returncode == 2 and "nope.toml does not exist" in out.stderr
    out = hub_cli("check-config", env={"GRIDCC_HUB_CONFIG": ""})
    assert out.returncode == 0 and "# config file: (none)" in out.stdout


def test_check_config_refuses_an_unusable_database_url(tmp_path):
    config = write_config(tmp_path / "hub.toml", db="mysql://x@y/z")
    out = hub_cli("--config", str(config), "check-config")
    assert out.returncode == 2 and "`db` (file): unsupported database 'mysql'" in out.stderr


# ---- a served hub: logs, health, status, migrate -----------------------------------------------------
def test_a_served_hub_logs_json_answers_health_and_blocks_migrate(tmp_path, sqlite_db):
    state = tmp_path / "state"
    config = write_config(tmp_path / "hub.toml", db=sqlite_db, name="hub-svc", port=0, http_port=0,
                          data=tmp_path / "data", state_dir=state, log_format="json", log_level="info")
    hub = ServedHub(tmp_path, config)
    try:
        status, body = get(hub.http + "/healthz")
        assert status == 200 and body["status"] == "alive" and body["name"] == "hub-svc"
        assert body["version"] == APP_VERSION and body["protocol"] == 2
        status, body = get(hub.http + "/readyz")
        assert status == 200 and body["status"] == "ready" and body["schema"] == "current", body

        hub.wait_presence(state)
        shown = hub_cli("--config", str(config), "status")
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert "schema: current" in shown.stdout and "hubs running: 1" in shown.stdout
        assert "hub-svc" in shown.stdout and " alive " in shown.stdout and f"{hub.http}/readyz" in shown.stdout
        assert shown.stdout.rstrip().endswith("ready")

        refused = hub_cli("--config", str(config), "migrate")
        assert refused.returncode == 2
        assert "refusing to migrate" in refused.stderr and "hub-svc" in refused.stderr
        assert "Stop them first" in refused.stderr

        # A database a newer hub has migrated: still alive, no longer ready, and the reason says why.
        store = Store.open(sqlite_db, require_current=False)
        try:
            with store.engine.begin() as conn:
                conn.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
        finally:
            store.close()
        status, body = get(hub.http + "/readyz")
        assert status == 503 and body["status"] == "not ready" and "schema is ahead" in body["reason"]
        assert get(hub.http + "/healthz")[0] == 200
        shown = hub_cli("--config", str(config), "status")
        assert shown.returncode == 1 and "NOT READY" in shown.stdout
    finally:
        assert hub.stop() == 0
    records = [json.loads(line) for line in hub.err.read_text().splitlines() if line.strip()]
    assert records and all({"ts", "level", "logger", "message"} <= set(r) for r in records)
    assert any("listening" in r["message"] and r["level"] == "info" for r in records)


def test_migrate_runs_once_the_hub_has_stopped(tmp_path, sqlite_db):
    state = tmp_path / "state"
    config = write_config(tmp_path / "hub.toml", db=sqlite_db, name="hub-x", port=0, http_port=0,
                          data=tmp_path / "data", state_dir=state)
    hub = ServedHub(tmp_path, config)
    try:
        hub.wait_presence(state)
        assert hub_cli("--config", str(config), "migrate").returncode == 2
    finally:
        hub.stop()
    done = hub_cli("--config", str(config), "migrate")
    assert done.returncode == 0, done.stderr
    assert "(head)" in done.stdout


def test_a_hub_on_another_database_does_not_block_migrate(tmp_path, sqlite_db):
    state = tmp_path / "state"
    config = write_config(tmp_path / "hub.toml", db=sqlite_db, port=0, http_port=0, data=tmp_path / "data",
                          state_dir=state)
    hub = ServedHub(tmp_path, config)
    try:
        hub.wait_presence(state)
        other = f"sqlite:///{tmp_path / 'other.db'}"
        out = hub_cli("--config", str(config), "migrate", "--db", other)
        assert out.returncode == 0, out.stderr
    finally:
        hub.stop()


@pytest.mark.postgres
def test_migrate_sees_a_hub_on_another_machine_through_postgresql(tmp_path, pg_session_url):
    """The hub's presence file is in another state folder (as on another machine): PostgreSQL still shows it."""
    from tests.backend.conftest import _reset_pg

    _reset_pg(pg_session_url)
    assert hub_cli("migrate", "--db", pg_session_url).returncode == 0
    config = write_config(tmp_path / "hub.toml", db=pg_session_url, name="hub-remote", port=0, http_port=0,
                          data=tmp_path / "data", state_dir=tmp_path / "machine-a")
    hub = ServedHub(tmp_path, config)
    try:
        assert get(hub.http + "/readyz")[0] == 200
        out = hub_cli("migrate", "--db", pg_session_url, env={"GRIDCC_STATE_DIR": str(tmp_path / "machine-b")})
        assert out.returncode == 2, out.stdout
        assert "hub-remote (connected from" in out.stderr and "gridcc:***@" in out.stderr
    finally:
        hub.stop()
    out = hub_cli("migrate", "--db", pg_session_url, env={"GRIDCC_STATE_DIR": str(tmp_path / "machine-b")})
    assert out.returncode == 0, out.stderr
