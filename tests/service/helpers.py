"""Helpers for the service tests: a real app on a real SQLite file in tmp_path, driven over httpx.

``AppServer``: the app served by uvicorn on a loopback port from a thread of this process (its lifespan runs:
migrations, the job runner, the webhook sender; the test can reach its services). ``ServerProcess``:
``compliance serve`` in a subprocess, for what needs a separate process (a browser, a kill -9 mid-job).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from service.auth import Role, create_key
from service.db.session import make_engine, make_sessionmaker, migrate
from service.settings import ServiceSettings

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "fixtures" / "samples"
WEBHOOK_SECRET = "test-webhook-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_key(settings: ServiceSettings, role: Role = Role.INSPECTOR, name: str = "") -> str:
    engine = make_engine(settings.sqlalchemy_url)
    migrate(engine)
    with make_sessionmaker(engine)() as s, s.begin():
        _, key = create_key(s, role, name)
    engine.dispose()
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def wait_job(client: httpx.Client, job_id: str, key: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(key))
        assert r.status_code == 200, r.text
        doc = r.json()
        if doc["status"] in ("done", "failed"):
            return doc
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {doc['status']} after {timeout}s: {doc['progress']}")
        time.sleep(0.1)


def service_settings(data_dir: Path, **overrides: object) -> ServiceSettings:
    values: dict[str, object] = {
        "data_dir": data_dir, "workers": 1, "webhook_allowed_hosts": ["127.0.0.1"],
        "webhook_secret": WEBHOOK_SECRET, "webhook_backoff_seconds": 0.2, "max_upload_bytes": 4 * 1024 * 1024,
    }
    values.update(overrides)
    return ServiceSettings(**values)


class AppServer:
    """``app`` served by uvicorn on 127.0.0.1:<free port> in a thread; a context manager."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> AppServer:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=60)


class Api:
    """A running app with an admin and two inspector keys, and an httpx client for it."""

    def __init__(self, server: AppServer, settings: ServiceSettings) -> None:
        self.server = server
        self.client = httpx.Client(base_url=server.url, timeout=120)
        self.settings = settings
        self.admin = make_key(settings, Role.ADMIN, "admin")
        self.alice = make_key(settings, Role.INSPECTOR, "alice")
        self.bob = make_key(settings, Role.INSPECTOR, "bob")

    @property
    def services(self):
        return self.server.app.state.services


class ServerProcess:
    """``compliance serve`` on 127.0.0.1:<free port> with its own data directory."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
        self.env.update({"COMPLIANCE_DATA_DIR": str(data_dir), "COMPLIANCE_WORKERS": "1", **env})
        self.env.pop("DATABASE_URL", None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"serve-{self.port}.log"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "compliance.cli", *args], env=self.env, text=True,
                              capture_output=True, timeout=120, check=True, cwd=REPO)

    def start(self, timeout: float = 90.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "compliance.cli", "serve", "--port", str(self.port)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready in {timeout}s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the server and its worker processes: a crash, with no shutdown code run."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def certificate_png(lines: list[str], *, width: int = 1000, line_height: int = 90, seed: int = 0) -> bytes:
    """A certificate-like picture rendered with Pillow and the WenQuanYi font (Debian fonts-wqy-zenhei)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 44)
    img = Image.new("RGB", (width, 120 + line_height * len(lines)), (250, 246, 235))
    draw = ImageDraw.Draw(img)
    draw.rectangle((12, 12, width - 12, img.height - 12), outline=(150, 30, 30), width=6)
    for i, line in enumerate(lines):
        draw.text((70 + (seed % 5) * 4, 60 + i * line_height), line, font=font, fill=(20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()
