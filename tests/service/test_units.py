"""Small parts: settings, the content-addressed store, keys, the rate limiter, triage routing, leadership."""

from __future__ import annotations

import pytest

from compliance.contract import Category, Report
from service.auth import KEY_PREFIX, hash_key, new_key
from service.leader import Leadership
from service.ratelimit import RateLimiter
from service.settings import ServiceSettings
from service.store import Store
from service.triage import HR, MARKET, triage


def test_database_url_overrides_the_sqlite_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path))
    assert ServiceSettings().sqlalchemy_url == f"sqlite:///{tmp_path.resolve()}/compliance.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db/compliance")
    assert ServiceSettings().sqlalchemy_url == "postgresql+psycopg://u@db/compliance"


def test_allowed_hosts_from_a_comma_separated_variable(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_WEBHOOK_ALLOWED_HOSTS", "hooks.example.org, *.gov.cn ,127.0.0.1")
    assert ServiceSettings().webhook_allowed_hosts == ["hooks.example.org", "*.gov.cn", "127.0.0.1"]


def test_store_is_content_addressed_and_refuses_other_names(tmp_path):
    store = Store(tmp_path)
    digest = store.put(b"abc")
    assert store.put(b"abc") == digest
    assert store.path(digest) == tmp_path / "files" / digest[:2] / digest[2:]
    assert store.get(digest) == b"abc"
    assert not list(store.path(digest).parent.glob(".tmp-*"))
    for bad in ("../../etc/passwd", "ABC", digest[:-1] + "/"):
        with pytest.raises(ValueError):
            store.path(bad)


def test_keys_are_random_and_stored_as_hashes():
    a, b = new_key(), new_key()
    assert a != b and a.startswith(KEY_PREFIX) and len(a) >= 40
    assert len(hash_key(a)) == 64 and hash_key(a) != a


def test_rate_limiter_refills():
    limiter = RateLimiter(60)  # one a second
    assert all(limiter.take(1) == 0 for _ in range(60))
    assert limiter.take(1) > 0
    assert limiter.take(2) == 0


def _report(*categories: Category) -> Report:
    from compliance.contract import Finding, Location

    findings = [Finding(rule_id=f"{c.value}.x", category=c, severity="high", confidence=1.0, term="t",
                        evidence="t", location=Location(), basis="b", action="a", authority="x")
                for c in categories]
    return Report(source="s", verdict="violation" if findings else "clean", findings=findings)


@pytest.mark.parametrize(("categories", "route", "authorities"), [
    ((Category.GUARANTEE_PASS, Category.ABSOLUTE_CLAIM), "market_regulation", [MARKET]),
    ((Category.STATE_NAME, Category.CERTIFICATE_REGISTRY), "human_resources", [HR]),
    ((Category.ORGAN_MARK, Category.MISLEADING_CLAIM), "both", [MARKET, HR]),
    ((), None, []),
])
def test_triage_routes_by_category(categories, route, authorities):
    t = triage([_report(*categories)])
    assert t["route"] == route and t["authorities"] == authorities


def test_only_one_leader(tmp_path):
    got: list[str] = []
    first = Leadership(tmp_path / "leader.lock", lambda: got.append("first"))
    second = Leadership(tmp_path / "leader.lock", lambda: got.append("second"), retry_seconds=0.05)
    first.start()
    second.start()
    assert got == ["first"] and first.leader and not second.leader and second.held_elsewhere()
    first.stop()
    first.release()
    import time

    deadline = time.monotonic() + 5
    while "second" not in got and time.monotonic() < deadline:
        time.sleep(0.02)
    assert got == ["first", "second"] and second.leader
    second.stop()
    second.release()
