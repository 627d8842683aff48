"""API v1 against the real app and a real SQLite file: every endpoint, every error code, auth, ownership."""

from __future__ import annotations

import base64
import csv
import gzip
import io
import sqlite3

import pytest
from sqlalchemy import select

from service.db.models import AuditEntry, ImmutableRecordError, JobFile, ReportRow
from service.ratelimit import RateLimiter
from tests.docs_render import make_zip, text_pdf
from tests.service.helpers import SAMPLES, Api, bearer, wait_job

AD = "零基础包过，七天拿证！本中心颁发国家认可的职业资格证书，全国联网可查。"


def error_of(r) -> dict:
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


# -- health, docs, JSON errors for routing --------------------------------------------------------------


def test_health_and_ready(api: Api):
    assert api.client.get("/healthz").json() == {"status": "ok"}
    r = api.client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"]["migrations"] == "ok"


def test_openapi_lists_every_endpoint(api: Api):
    paths = api.client.get("/openapi.json").json()["paths"]
    for p in ("/api/v1/check", "/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/report.csv",
              "/api/v1/jobs/{job_id}/report.html", "/api/v1/complaints", "/api/v1/rules", "/healthz", "/readyz"):
        assert p in paths
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()  # the regulators' machines have no internet
    bundle = api.client.get("/docs-static/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


def test_unknown_path_and_method_are_json(api: Api):
    assert error_of(api.client.get("/api/v1/nothing"))["code"] == "not_found"
    r = api.client.put("/api/v1/check", headers=bearer(api.alice))
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"


# -- auth ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer cmp_wrong"}, {"Authorization": "Basic abc"}])
def test_missing_or_wrong_key_is_401(api: Api, headers):
    r = api.client.post("/api/v1/check", json={"text": AD}, headers=headers)
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_rate_limit_per_key(api: Api):
    services = api.services
    saved = services.limiter
    services.limiter = RateLimiter(3)
    try:
        codes = [api.client.post("/api/v1/check", json={"text": "x"}, headers=bearer(api.bob)).status_code
                 for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = api.client.post("/api/v1/check", json={"text": "x"}, headers=bearer(api.bob))
        assert error_of(r)["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
        # Another key has its own budget.
        assert api.client.post("/api/v1/check", json={"text": "x"}, headers=bearer(api.alice)).status_code == 200
    finally:
        services.limiter = saved


# -- /check ---------------------------------------------------------------------------------------------------


def test_check_text_returns_the_contract(api: Api):
    r = api.client.post("/api/v1/check", json={"text": AD, "source": "poster-1"}, headers=bearer(api.alice))
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"engine", "reports"}
    assert body["engine"]["name"] == "compliance" and body["engine"]["lexicon_version"]
    (report,) = body["reports"]
    assert report["source"] == "poster-1" and report["verdict"] == "violation"
    cats = {f["category"] for f in report["findings"]}
    assert {"guarantee_pass", "qualification_term"} <= cats
    for f in report["findings"]:
        assert AD[f["location"]["start"]:f["location"]["end"]] == f["evidence"]


def test_check_is_recorded_as_evidence(api: Api):
    text = "本机构保过，不过全额退款。"
    r = api.client.post("/api/v1/check", json={"text": text}, headers=bearer(api.alice))
    digest = r.json()["reports"][0]["sha256"]
    api.services.recorder.flush()
    with api.services.sessions() as s:
        row = s.scalars(select(ReportRow).where(ReportRow.sha256 == digest)).first()
        assert row is not None and row.kind == "check"
        assert row.engine_name == "compliance" and row.lexicon_version == r.json()["engine"]["lexicon_version"]
        assert row.contract == r.text  # exactly what the caller got
        assert len(row.findings) == len(r.json()["reports"][0]["findings"])
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "check", AuditEntry.target == digest)).first()
    assert api.services.store.get(digest) == text.encode()


def test_check_file_upload(api: Api):
    data = (SAMPLES / "poster_gbk.txt").read_bytes()
    r = api.client.post("/api/v1/check", files={"file": ("poster.txt", data)}, headers=bearer(api.alice))
    assert r.status_code == 200, r.text
    (report,) = r.json()["reports"]
    assert report["source"] == "poster.txt" and report["verdict"] == "violation" and report["encoding"]


def test_check_pdf_upload(api: Api):
    pdf = text_pdf([[(72, 72, "培训中心招生简章"), (72, 120, "本班包过，国家认可证书")]])
    r = api.client.post("/api/v1/check", files={"file": ("a.pdf", pdf, "application/pdf")},
                        headers=bearer(api.alice))
    assert r.status_code == 200, r.text
    report = r.json()["reports"][0]
    assert report["media_type"] == "application/pdf" and report["verdict"] == "violation"
    assert all(f["location"]["page"] == 1 and f["location"]["bbox"] for f in report["findings"])


def test_check_unsupported_media_is_415(api: Api):
    for data in (gzip.compress(b"hello"), make_zip({"a.txt": b"x"}), bytes(range(256)) * 8):
        r = api.client.post("/api/v1/check", files={"file": ("x.bin", data)}, headers=bearer(api.alice))
        assert r.status_code == 415, r.text
        assert error_of(r)["code"] == "unsupported_media_type"
    r = api.client.post("/api/v1/check", content=b"text=abc", headers={**bearer(api.alice),
                                                                        "Content-Type": "text/plain"})
    assert r.status_code == 415 and error_of(r)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("body", [b"{", b"{\"text\": }", b"\xff\xfe", b"[1, 2", b"null"])
def test_malformed_json_is_422(api: Api, body):
    r = api.client.post("/api/v1/check", content=body,
                        headers={**bearer(api.alice), "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert error_of(r)["code"] in ("malformed_json", "validation_error")


def test_schema_mismatch_is_422(api: Api):
    for payload in ({}, {"text": 5}, {"text": "x", "extra": 1}):
        r = api.client.post("/api/v1/check", json=payload, headers=bearer(api.alice))
        assert r.status_code == 422 and error_of(r)["code"] == "validation_error"
    r = api.client.post("/api/v1/check", files={"other": ("a.txt", b"x")}, headers=bearer(api.alice))
    assert r.status_code == 422


def test_too_large_is_413(api: Api):
    big = "包过" * (api.settings.max_upload_bytes // 4 + 10)
    r = api.client.post("/api/v1/check", json={"text": big}, headers=bearer(api.alice))
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"
    blob = b"a" * (api.settings.max_upload_bytes + 1)
    r = api.client.post("/api/v1/jobs", files={"files": ("a.txt", blob)}, headers=bearer(api.alice))
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"


def test_chunked_body_over_the_limit_is_413(api: Api):
    def chunks():
        for _ in range(6):
            yield b"x" * (1024 * 1024)

    r = api.client.post("/api/v1/check", content=chunks(),
                        headers={**bearer(api.alice), "Content-Type": "application/json"})
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"


def test_hostile_inputs_never_500(api: Api):
    cases = [
        {"content": b'{"text": "\\ud800\\u5305\\u8fc7"}', "headers": {"Content-Type": "application/json"}},
        {"json": {"text": "\x00" * 1000}},
        {"json": {"text": "包" * 100_000}},
        {"files": {"file": ("e.txt", b"")}},
        {"files": {"file": ("bad.pdf", b"%PDF-1.7\n garbage")}},
        {"files": {"file": ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)}},
        {"files": {"file": ("x.docx", make_zip({"word/document.xml": b"<not xml"}))}},
        {"content": b"--x\r\nbroken", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
    ]
    for case in cases:
        headers = {**bearer(api.alice), **case.pop("headers", {})}
        r = api.client.post("/api/v1/check", headers=headers, **case)
        assert r.status_code < 500, (case, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/json")


# -- jobs -----------------------------------------------------------------------------------------------------


def submit(api: Api, key: str, files: list[tuple[str, bytes]], **data) -> str:
    r = api.client.post("/api/v1/jobs", files=[("files", f) for f in files], data=data, headers=bearer(key))
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "running", "done", "failed")
    return r.json()["id"]


def test_job_with_many_files_and_a_broken_one(api: Api):
    files = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.iterdir())]
    files.append(("broken.pdf", b"%PDF-1.4\n this is not a PDF"))
    files.append(("brochure.pdf", text_pdf([[(72, 72, "包过班 火热招生")]])))
    job_id = submit(api, api.alice, files)
    doc = wait_job(api.client, job_id, api.alice)
    assert doc["status"] == "done"
    assert doc["progress"] == {"done": len(files), "total": len(files)}
    by_name = {f["source"]: f for f in doc["files"]}
    assert [f["source"] for f in doc["files"]] == [n for n, _ in files]
    assert by_name["broken.pdf"]["status"] == "error"
    assert by_name["broken.pdf"]["report"]["verdict"] == "error" and by_name["broken.pdf"]["report"]["error"]
    assert by_name["landing_page.txt"]["report"]["verdict"] == "violation"
    assert by_name["lawful_course.md"]["report"]["verdict"] == "clean"
    # A PDF with boxed findings gets an evidence picture of its page.
    (url,) = by_name["brochure.pdf"]["images"]
    img = api.client.get(url, headers=bearer(api.alice))
    assert img.status_code == 200 and img.content.startswith(b"\x89PNG")
    assert doc["engine"]["lexicon_version"]
    page = api.client.get(f"/api/v1/jobs/{job_id}?files_offset=1&files_limit=2", headers=bearer(api.alice)).json()
    assert [f["seq"] for f in page["files"]] == [1, 2] and page["progress"]["total"] == len(files)


def test_job_archive_is_expanded_safely(api: Api):
    archive = make_zip({"ads/a.txt": "包过班".encode(), "ads/b.html": b"<p>\xe5\x9b\xbd\xe5\xae\xb6\xe7\xba\xa7</p>",
                        "../evil.txt": b"x"})
    job_id = submit(api, api.alice, [("campaign.zip", archive)])
    doc = wait_job(api.client, job_id, api.alice)
    sources = {f["source"]: f for f in doc["files"]}
    assert set(sources) == {"campaign.zip!/ads/a.txt", "campaign.zip!/ads/b.html", "campaign.zip!/../evil.txt"}
    assert sources["campaign.zip!/../evil.txt"]["report"]["error"]["code"] == "archive_unsafe"
    assert sources["campaign.zip!/ads/a.txt"]["report"]["verdict"] == "violation"
    assert doc["status"] == "done"


def test_job_of_only_unreadable_files_fails(api: Api):
    job_id = submit(api, api.alice, [("x.gz", gzip.compress(b"abc"))])
    doc = wait_job(api.client, job_id, api.alice)
    assert doc["status"] == "failed"
    assert doc["files"][0]["report"]["error"]["code"] == "unsupported_media"


def test_job_request_errors(api: Api):
    r = api.client.post("/api/v1/jobs", json={"files": []}, headers=bearer(api.alice))
    assert r.status_code == 415 and error_of(r)["code"] == "unsupported_media_type"
    r = api.client.post("/api/v1/jobs", data={"callback_url": "http://127.0.0.1:1/"}, files={"x": ("a", b"")},
                        headers=bearer(api.alice))
    assert r.status_code == 422
    r = api.client.post("/api/v1/jobs", files=[("files", ("a.txt", b"x"))],
                        data={"callback_url": "http://example.com/hook"}, headers=bearer(api.alice))
    assert r.status_code == 422 and error_of(r)["code"] == "callback_refused"
    r = api.client.post("/api/v1/jobs", files=[("files", ("a.txt", b"x"))],
                        data={"callback_url": "file:///etc/passwd"}, headers=bearer(api.alice))
    assert r.status_code == 422 and error_of(r)["code"] == "callback_refused"
    assert api.client.get("/api/v1/jobs/nope", headers=bearer(api.alice)).status_code == 404


def test_job_reports_csv_and_html(api: Api):
    job_id = submit(api, api.alice, [("ad.txt", AD.encode()), ("ok.txt", "欢迎报名参加家政服务培训。".encode())])
    wait_job(api.client, job_id, api.alice)
    r = api.client.get(f"/api/v1/jobs/{job_id}/report.csv", headers=bearer(api.alice))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    ad_rows = [row for row in rows if row["source"] == "ad.txt"]
    assert {row["category"] for row in ad_rows} >= {"guarantee_pass", "qualification_term"}
    assert all(row["basis"] and row["action"] and row["lexicon_version"] for row in ad_rows)
    assert [row["verdict"] for row in rows if row["source"] == "ok.txt"] == ["clean"]
    r = api.client.get(f"/api/v1/jobs/{job_id}/report.html?download=true", headers=bearer(api.alice))
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    html = r.text
    assert "保过承诺" in html and "零基础包过" in html and "广告法" in html and "汇总" in html
    # Each finding says why it was raised (the rule's message), so a reader can weigh a review finding.
    assert "明示保证通过考试或取得证书" in html


def test_ownership_and_delete(api: Api):
    job_id = submit(api, api.alice, [("a.txt", AD.encode())])
    wait_job(api.client, job_id, api.alice)
    for path in ("", "/report.csv", "/report.html"):
        r = api.client.get(f"/api/v1/jobs/{job_id}{path}", headers=bearer(api.bob))
        assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    assert api.client.get(f"/api/v1/jobs/{job_id}", headers=bearer(api.admin)).status_code == 200
    listed = api.client.get("/api/v1/jobs", headers=bearer(api.bob)).json()["jobs"]
    assert job_id not in {j["id"] for j in listed}
    assert job_id in {j["id"] for j in api.client.get("/api/v1/jobs", headers=bearer(api.alice)).json()["jobs"]}
    everything = api.client.get("/api/v1/jobs?limit=500", headers=bearer(api.admin)).json()["jobs"]
    assert job_id in {j["id"] for j in everything}
    assert api.client.delete(f"/api/v1/jobs/{job_id}", headers=bearer(api.bob)).status_code == 404
    assert api.client.delete(f"/api/v1/jobs/{job_id}", headers=bearer(api.alice)).status_code == 204
    assert api.client.get(f"/api/v1/jobs/{job_id}", headers=bearer(api.alice)).status_code == 404
    # Deleted means hidden: the evidence stays.
    with api.services.sessions() as s:
        files = s.scalars(select(JobFile).where(JobFile.job_id == job_id)).all()
        assert files and all(f.report_id for f in files)
    other = submit(api, api.bob, [("b.txt", b"abc")])
    assert api.client.delete(f"/api/v1/jobs/{other}", headers=bearer(api.admin)).status_code == 204


# -- complaints ---------------------------------------------------------------------------------------------


def complaint(cid: str, text: str, attachments=()) -> dict:
    return {"complaint_id": cid, "channel": "12345", "text": text,
            "attachments": [{"filename": n, "content_base64": base64.b64encode(d).decode()} for n, d in attachments]}


def test_complaint_triage_and_authority(api: Api):
    r = api.client.post("/api/v1/complaints", json=complaint("C-1", "他们说零基础包过，不过全额退款。"),
                        headers=bearer(api.alice))
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["verdict"] == "violation" and t["highest_severity"] == "high"
    assert "guarantee_pass" in t["categories"]
    assert t["authority"] == "市场监督管理部门" and t["route"] == "market_regulation"
    assert t["findings"] and all(f["source"] == "complaint:C-1" for f in t["findings"])

    cert = "培训中心颁发中华人民共和国职业资格证书".encode()
    r = api.client.post("/api/v1/complaints", json=complaint("C-2", "", [("cert.txt", cert)]),
                        headers=bearer(api.alice))
    t = r.json()
    assert t["authorities"] == ["人力资源和社会保障部门"] and t["route"] == "human_resources"
    assert {f["source"] for f in t["findings"]} == {"cert.txt"}

    r = api.client.post("/api/v1/complaints", json=complaint("C-3", "包过！", [("cert.txt", cert)]),
                        headers=bearer(api.alice))
    t = r.json()
    assert t["route"] == "both" and t["authority"] == "市场监督管理部门、人力资源和社会保障部门"

    r = api.client.post("/api/v1/complaints", json=complaint("C-4", "课程介绍：家政服务员培训，按课时收费。"),
                        headers=bearer(api.alice))
    t = r.json()
    assert t["verdict"] == "clean" and t["authority"] is None and t["highest_severity"] is None


def test_complaint_surfaces_the_claims_it_reports(api: Api):
    # 对方承诺“…” marks a reported claim: in an ad it is not counted, in a complaint it is the point.
    text = "我在某培训机构报名叉车证，对方承诺“包过”，还宣称证书国家认可，结果考试没过也不退钱。"
    r = api.client.post("/api/v1/complaints", json=complaint("C-rep", text), headers=bearer(api.alice))
    assert r.status_code == 200, r.text
    t = r.json()
    assert t["verdict"] == "review"
    assert {"guarantee_pass", "impersonate_authority"} <= set(t["categories"])
    reported = [f for f in t["findings"] if f["evidence"] in ("包过", "国家认可")]
    assert reported and all(f["status"] == "review" and any("complaint" in n for n in f["notes"]) for f in reported)
    assert t["route"] in ("market_regulation", "both")


def test_complaint_is_idempotent(api: Api):
    body = complaint("C-idem", "保过班，七天拿证")
    first = api.client.post("/api/v1/complaints", json=body, headers=bearer(api.alice))
    again = api.client.post("/api/v1/complaints", json=body, headers=bearer(api.alice))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    body["text"] = "另一份投诉"
    r = api.client.post("/api/v1/complaints", json=body, headers=bearer(api.alice))
    assert r.status_code == 409 and error_of(r)["code"] == "conflict"
    with api.services.sessions() as s:
        stored = s.scalars(select(AuditEntry).where(AuditEntry.action == "complaint.triage",
                                                    AuditEntry.target == "C-idem")).all()
        assert len(stored) == 1


def test_complaint_bad_input(api: Api):
    bad = complaint("C-b64", "x")
    bad["attachments"] = [{"filename": "a.png", "content_base64": "not base64!!"}]
    r = api.client.post("/api/v1/complaints", json=bad, headers=bearer(api.alice))
    assert r.status_code == 422 and error_of(r)["code"] == "invalid_base64"
    r = api.client.post("/api/v1/complaints", content=b"{\"complaint_id\": ", headers={
        **bearer(api.alice), "Content-Type": "application/json"})
    assert r.status_code == 422 and error_of(r)["code"] == "malformed_json"
    r = api.client.post("/api/v1/complaints", json={"channel": "web"}, headers=bearer(api.alice))
    assert r.status_code == 422 and error_of(r)["code"] == "validation_error"
    r = api.client.post("/api/v1/complaints", data={"a": "b"}, headers=bearer(api.alice))
    assert r.status_code == 415
    # An unreadable attachment gets its own error report; the text is still triaged.
    r = api.client.post("/api/v1/complaints", json=complaint("C-gz", "包过", [("x.gz", gzip.compress(b"a"))]),
                        headers=bearer(api.alice))
    t = r.json()
    assert r.status_code == 200 and t["verdict"] == "violation"
    assert [rep["verdict"] for rep in t["reports"]] == ["violation", "error"]


# -- rules, keys, audit ---------------------------------------------------------------------------------------


def test_rules_and_reload(api: Api):
    r = api.client.get("/api/v1/rules", headers=bearer(api.alice))
    assert r.status_code == 200
    body = r.json()
    assert body["rules"] and body["lexicon_version"] == body["engine"]["lexicon_version"]
    r = api.client.post("/api/v1/rules/reload", headers=bearer(api.alice))
    assert r.status_code == 403 and error_of(r)["code"] == "forbidden"
    r = api.client.post("/api/v1/rules/reload", headers=bearer(api.admin))
    assert r.status_code == 200 and r.json()["lexicon_version"] == body["lexicon_version"]
    # Jobs still run on the reloaded worker pool.
    job_id = submit(api, api.alice, [("a.txt", AD.encode())])
    assert wait_job(api.client, job_id, api.alice)["status"] == "done"


def test_keys_admin_only_and_revocation(api: Api):
    assert api.client.get("/api/v1/keys", headers=bearer(api.alice)).status_code == 403
    r = api.client.post("/api/v1/keys", json={"role": "inspector", "name": "carol"}, headers=bearer(api.admin))
    assert r.status_code == 201
    created = r.json()
    key = created["key"]
    assert key.startswith(created["prefix"]) and len(key) > 40
    assert api.client.post("/api/v1/check", json={"text": "x"}, headers=bearer(key)).status_code == 200
    listed = api.client.get("/api/v1/keys", headers=bearer(api.admin)).json()
    assert all("key" not in k for k in listed) and created["id"] in {k["id"] for k in listed}
    assert api.client.delete(f"/api/v1/keys/{created['id']}", headers=bearer(api.admin)).status_code == 204
    assert api.client.post("/api/v1/check", json={"text": "x"}, headers=bearer(key)).status_code == 401
    assert api.client.delete(f"/api/v1/keys/{created['id']}", headers=bearer(api.admin)).status_code == 404
    r = api.client.post("/api/v1/keys", json={"role": "root"}, headers=bearer(api.admin))
    assert r.status_code == 422
    audit = api.client.get("/api/v1/audit?action=key.revoke", headers=bearer(api.admin)).json()
    assert audit and audit[0]["target"] == str(created["id"])


def test_stored_reports_cannot_change(api: Api):
    api.client.post("/api/v1/check", json={"text": AD}, headers=bearer(api.alice))
    api.services.recorder.flush()
    with api.services.sessions() as s:
        row = s.scalars(select(ReportRow)).first()
        row.verdict = "tampered"
        with pytest.raises(ImmutableRecordError):
            s.flush()
        s.rollback()
    db = sqlite3.connect(api.settings.data_dir / "compliance.db")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="never changed"):
            db.execute("UPDATE reports SET verdict = 'tampered'")
        with pytest.raises(sqlite3.DatabaseError, match="never changed"):
            db.execute("DELETE FROM findings")
    finally:
        db.close()
