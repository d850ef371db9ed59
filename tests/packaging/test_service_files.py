"""The files an administrator installs: the systemd unit, the nginx site, the desktop entry, the example settings."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
UNIT = PACKAGING / "systemd" / "gridcc-hub.service"


def unit_sections(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # systemd keys are case-sensitive
    parser.read_string(path.read_text())
    return parser


def test_the_unit_runs_the_hub_hardened_under_its_own_user():
    service = unit_sections(UNIT)["Service"]
    assert service["User"] == "gridcc" and service["Group"] == "gridcc"
    assert service["ExecStart"].endswith("gridcc-hub --config /etc/gridcc/hub.toml serve")
    assert "check-config" in service["ExecStartPre"]
    expected = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
                "Restart": "on-failure", "ReadWritePaths": "/var/lib/gridcc", "StateDirectory": "gridcc"}
    assert {key: service.get(key) for key in expected} == expected


def test_the_unit_passes_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine (no systemd)")
    # ExecStart must name an existing executable: this environment's gridcc-hub stands in for /opt/gridcc/bin.
    hub = Path(sys.executable).with_name("gridcc-hub")
    if not hub.exists():
        pytest.skip(f"no installed gridcc-hub next to {sys.executable} to stand in for /opt/gridcc/bin/gridcc-hub")
    copy = tmp_path / "gridcc-hub.service"
    copy.write_text(UNIT.read_text().replace("/opt/gridcc/bin/gridcc-hub", str(hub)))
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=120)
    # verify only warns (exit 0) about unknown keys and bad values: any output is a finding.
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), \
        result.stdout + result.stderr


def test_the_unit_check_fails_on_a_typo(tmp_path):
    """The verify test above can fail: a misspelt hardening key is reported."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine (no systemd)")
    copy = tmp_path / "bad.service"
    copy.write_text(UNIT.read_text().replace("/opt/gridcc/bin/gridcc-hub", "/bin/true")
                    .replace("NoNewPrivileges=", "NoNewPrivilege="))
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=120)
    assert "NoNewPrivilege" in result.stderr


def test_the_nginx_site_parses(tmp_path):
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if nginx is None:
        pytest.skip("nginx is not installed here; the site file is checked where it is (nginx -t)")
    key, cert = tmp_path / "gridcc.key", tmp_path / "gridcc.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=gridcc.test",
                    "-keyout", str(key), "-out", str(cert), "-days", "1"], check=True, capture_output=True)
    site = (PACKAGING / "nginx" / "gridcc.conf").read_text().replace("/etc/gridcc/tls/gridcc.key", str(key)) \
        .replace("/etc/gridcc/tls/gridcc.crt", str(cert))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n")
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_nginx_site_upgrades_the_feed_to_websockets():
    site = (PACKAGING / "nginx" / "gridcc.conf").read_text()
    feed = site[site.index("location = /v1/feed"):]
    feed = feed[:feed.index("}")]
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $gridcc_connection_upgrade;", "proxy_read_timeout 3600s;"):
        assert line in feed


def test_the_desktop_entry_names_the_app_and_its_icon():
    entry = unit_sections(PACKAGING / "linux" / "gridcc.desktop")["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Icon"] == "gridcc" and entry["Exec"].startswith("gridcc ")
    assert entry["Name[zh_CN]"] and entry["Categories"].endswith(";")
    assert (PACKAGING / "linux" / "gridcc.svg").read_text().startswith("<svg")
    assert (PACKAGING / "linux" / "gridcc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_example_settings_pass_check_config():
    result = subprocess.run([sys.executable, "-m", "backend.cli", "--config", str(PACKAGING / "hub.toml.example"),
                             "check-config"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "CHANGE-ME" not in result.stdout and "configuration OK" in result.stdout
