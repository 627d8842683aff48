"""Job-completion webhooks: delivered to a receiver on loopback, signature verified, retried after a failure."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.webhooks import host_allowed, sign, validate_callback, verify
from tests.service.helpers import WEBHOOK_SECRET, Api, bearer, wait_job


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST; the first ``fail_first`` get a 503."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(503 if len(outer.calls) <= outer.fail_first else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def wait(self, n: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < n:
            assert time.monotonic() < deadline, f"{len(self.calls)} calls of {n}"
            time.sleep(0.05)


def test_job_result_is_posted_signed_and_retried(api: Api):
    with Receiver(fail_first=1) as rx:
        r = api.client.post("/api/v1/jobs", files=[("files", ("ad.txt", "零基础包过".encode()))],
                            data={"callback_url": rx.url}, headers=bearer(api.alice))
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        wait_job(api.client, job_id, api.alice)
        rx.wait(2)  # the first delivery got a 503; the retry (after the backoff) succeeds
        time.sleep(0.5)
        assert len(rx.calls) == 2
    first, second = rx.calls
    assert first[0]["x-compliance-delivery"] == second[0]["x-compliance-delivery"]
    headers, body = second
    assert headers["x-compliance-event"] == "job.completed"
    assert headers["x-compliance-signature"].startswith("sha256=")
    assert verify(WEBHOOK_SECRET, headers["x-compliance-timestamp"], body, headers["x-compliance-signature"])
    assert not verify("another-secret", headers["x-compliance-timestamp"], body, headers["x-compliance-signature"])
    assert not verify(WEBHOOK_SECRET, headers["x-compliance-timestamp"], body + b" ", headers["x-compliance-signature"])
    doc = json.loads(body)
    assert doc["event"] == "job.completed" and doc["job"]["id"] == job_id and doc["job"]["status"] == "done"
    (report,) = doc["result"]["reports"]
    assert report["verdict"] == "violation" and doc["result"]["engine"]["lexicon_version"]
    audit = api.client.get("/api/v1/audit?action=webhook.delivered", headers=bearer(api.admin)).json()
    assert any(a["target"] == job_id and a["detail"]["attempts"] == 2 for a in audit)


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    import hashlib
    import hmac

    body = b'{"a":1}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("k", "1700000000", body) == "sha256=" + expected


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http://evil.example/x", "http://user:pw@127.0.0.1/",
                                 "https:///nohost", "javascript:alert(1)", "http://127.0.0.2/"])
def test_callback_urls_refused(url):
    with pytest.raises(ValueError):
        validate_callback(url, ["127.0.0.1", "*.example.org"])


def test_host_patterns():
    assert host_allowed("hooks.example.org", ["*.example.org"])
    assert not host_allowed("example.org", ["*.example.org"])
    assert not host_allowed("badexample.org", ["*.example.org"])
    assert host_allowed("LOCALHOST", ["localhost"])
