"""``compliance admin``: keys printed once, alone on the last line; ``--if-none`` for ``make run``."""

from __future__ import annotations

import httpx

from service.app import create_app
from tests.service.helpers import AppServer, ServerProcess, bearer, service_settings


def test_create_key_prints_it_once_on_its_last_line(tmp_path):
    srv = ServerProcess(tmp_path / "var")
    out = srv.cli("admin", "create-key", "--role", "admin", "--name", "first").stdout
    key = out.strip().splitlines()[-1]
    assert key.startswith("cmp_") and " " not in key
    again = srv.cli("admin", "create-key", "--role", "admin", "--if-none")
    assert again.stdout.strip() == "" and "exists" in again.stderr
    inspector = srv.cli("admin", "create-key", "--role", "inspector").stdout.strip().splitlines()[-1]
    listed = srv.cli("admin", "list-keys").stdout
    assert "admin" in listed and "inspector" in listed and key not in listed
    with AppServer(create_app(service_settings(tmp_path / "var"))) as server:
        with httpx.Client(base_url=server.url) as client:
            assert client.get("/api/v1/keys", headers=bearer(key)).status_code == 200
            assert client.get("/api/v1/keys", headers=bearer(inspector)).status_code == 403
            key_id = listed.splitlines()[-1].split("\t")[0]
            assert srv.cli("admin", "revoke-key", key_id).returncode == 0
            server.app.state.services.verifier.forget(int(key_id))  # the CLI is another process
            assert client.get("/api/v1/rules", headers=bearer(inspector)).status_code == 401
