"""A submitted file is never lost: the server killed (SIGKILL) or stopped mid-job, then started again on the
same database and data directory, finishes every file with exactly one report."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from tests.service.helpers import ServerProcess, bearer, certificate_png

pytestmark = pytest.mark.slow

LINES = ["职业技能等级证书", "中华人民共和国人力资源和社会保障部监制", "零基础包过 全国联网可查"]


def progress(url: str, key: str, job_id: str) -> dict:
    r = httpx.get(f"{url}/api/v1/jobs/{job_id}", headers=bearer(key), timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_restart_mid_job_loses_nothing(tmp_path):
    data_dir = tmp_path / "var"
    srv = ServerProcess(data_dir)
    key = srv.cli("admin", "create-key", "--role", "inspector").stdout.strip().splitlines()[-1]
    files = [("files", (f"cert-{i:02d}.png", certificate_png(LINES, seed=i))) for i in range(10)]
    srv.start()
    try:
        r = httpx.post(f"{srv.url}/api/v1/jobs", files=files, headers=bearer(key), timeout=60)
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]

        # Crash: once at least one file is done and the job is not finished, kill -9 the whole process group.
        wait_until(lambda: progress(srv.url, key, job_id)["progress"]["done"] >= 1, 180, "a first file")
        before = progress(srv.url, key, job_id)
        assert before["status"] == "running" and before["progress"]["done"] < len(files), before["progress"]
        srv.kill()
        db = sqlite3.connect(data_dir / "compliance.db")
        left = db.execute("SELECT count(*) FROM job_files WHERE job_id = ? AND status IN ('queued', 'running')",
                          (job_id,)).fetchone()[0]
        db.close()
        assert left > 0

        # Start again: files left running are requeued; then a graceful stop (SIGINT) mid-job, and again.
        srv.start()
        done_then = before["progress"]["done"]
        wait_until(lambda: progress(srv.url, key, job_id)["progress"]["done"] > done_then, 180, "progress")
        srv.stop()
        srv.start()
        doc = wait_until(lambda: (d := progress(srv.url, key, job_id))["status"] in ("done", "failed") and d,
                         300, "the job to finish")
    finally:
        srv.stop()
    assert doc["status"] == "done"
    assert doc["progress"] == {"done": len(files), "total": len(files)}
    assert [f["source"] for f in doc["files"]] == [f"cert-{i:02d}.png" for i in range(len(files))]
    for f in doc["files"]:
        assert f["status"] == "done", f
        assert f["report"]["verdict"] == "violation", f["report"]
    db = sqlite3.connect(data_dir / "compliance.db")
    try:
        # Exactly one report per file: a requeued file's second run did not leave a second report behind.
        n_reports = db.execute("SELECT count(*) FROM reports r JOIN job_files f ON f.report_id = r.id "
                               "WHERE f.job_id = ?", (job_id,)).fetchone()[0]
        assert n_reports == len(files)
    finally:
        db.close()
