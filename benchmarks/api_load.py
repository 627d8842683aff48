"""Load on the running service, over loopback only.

    .venv/bin/python benchmarks/api_load.py [--seconds 30] [--threads 16] [--images 200] [--url URL --key KEY]

Without --url it starts ``compliance serve`` itself on a free 127.0.0.1 port with a temporary data directory
(and creates a key), so the figures are for the service as ``make run`` starts it.

1. Text checks: 1 KB training ads (benchmarks/ad_corpus.py, 64 different ones) POSTed to /api/v1/check for
   --seconds by a bounded pool of client threads, at --rate requests/s (open loop; latency counted from when
   each request was due) or as fast as answered (--rate 0). Prints requests/s, p50/p90/p99, errors.
   Bar: >= 300 requests/s, p99 <= 50 ms, zero errors.
2. A job of --images rendered certificate images (Pillow + WenQuanYi font): wall time from submission to
   ``done``, beside ``compliance check DIR --jobs N`` on the same images (N = the service's worker count).

The client shares the machine's cores with the server: the figures are a lower bound for the server alone.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from ad_corpus import corpus  # noqa: E402

BAR_RPS, BAR_P99_MS = 300.0, 50.0
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def loopback_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = host == "localhost"
    if not ok:
        raise SystemExit(f"refusing to load {host!r}: this benchmark sends traffic to loopback addresses only")


def ads(n: int = 64, nbytes: int = 1024) -> list[str]:
    out = []
    for i in range(n):
        text = corpus(nbytes, seed=1000 + i)
        while len(text.encode()) > nbytes:
            text = text[:-1]
        out.append(text)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """``compliance serve`` in its own process group, stopped (SIGINT) at exit."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
        self.env.pop("DATABASE_URL", None)
        # The bar is ~300 requests/s from one key: lift the default per-key limit for the benchmark's key.
        self.env |= {"COMPLIANCE_DATA_DIR": str(data_dir), "COMPLIANCE_RATE_LIMIT_PER_MINUTE": "1000000"}
        cli = [sys.executable, "-m", "compliance.cli"]
        out = subprocess.run([*cli, "admin", "create-key", "--role", "inspector", "--name", "benchmark"],
                             env=self.env, capture_output=True, text=True, check=True, cwd=REPO).stdout
        self.key = out.strip().splitlines()[-1]
        self.log = open(data_dir / "serve.log", "wb")  # closed in stop()
        self.proc = subprocess.Popen([*cli, "serve", "--port", str(self.port)], env=self.env, cwd=REPO,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("the service did not become ready")

    def workers(self) -> int:
        return max(1, min(os.cpu_count() or 1, 8))  # the service's default COMPLIANCE_WORKERS

    def cpu_seconds(self) -> float:
        """CPU time used so far by the service's processes (its process group), from /proc."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # pgrp (the service was started in a new session)
                total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def text_load(url: str, key: str, seconds: float, threads: int, rate: float,
              service: Service | None = None) -> bool:
    """Open loop at ``rate`` requests/s (each latency counted from when the request was due, so a stalled
    server cannot hide its queue), or closed loop (``rate`` 0: every connection sends as fast as answered)."""
    texts = ads()
    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    gate = threading.Barrier(threads + 1)
    counter = iter(range(10**9))
    lock = threading.Lock()
    t_start = [0.0]

    def worker(i: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
            client.post("/api/v1/check", json={"text": texts[i % len(texts)]})  # open the connection
            gate.wait()
            end = t_start[0] + seconds
            while True:
                with lock:
                    n = next(counter)
                due = t_start[0] + n / rate if rate else time.perf_counter()
                if due >= end:
                    return
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                try:
                    r = client.post("/api/v1/check", json={"text": texts[n % len(texts)]})
                    ok = r.status_code == 200 and r.content.startswith(b'{"engine"')
                except httpx.HTTPError:
                    ok = False
                latencies[i].append(time.perf_counter() - due)
                errors[i] += 0 if ok else 1

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    load_before = os.getloadavg()[0]
    cpu_before = service.cpu_seconds() if service else 0.0
    t_start[0] = time.perf_counter() + 0.5
    gate.wait()
    for t in pool:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - t_start[0]
    lat = sorted(x for per in latencies for x in per)
    n, errs = len(lat), sum(errors)
    rps = n / elapsed
    q = statistics.quantiles(lat, n=100) if n >= 100 else [max(lat or [0])] * 99
    p50, p90, p99 = q[49] * 1000, q[89] * 1000, q[98] * 1000
    ok = rps >= BAR_RPS and p99 <= BAR_P99_MS and errs == 0
    mode = f"open loop at {rate:.0f}/s offered" if rate else "closed loop"
    print(f"text checks: {n} requests in {elapsed:.1f} s, {mode}, {threads} connections, 1 KB ads")
    print(f"  {rps:.0f} requests/s   p50 {p50:.1f} ms   p90 {p90:.1f} ms   p99 {p99:.1f} ms   errors {errs}")
    if service is not None and n:
        cpu = service.cpu_seconds() - cpu_before
        print(f"  service CPU {cpu / n * 1000:.2f} ms per request ({cpu / elapsed:.2f} cores busy); "
              f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)")
    print(f"  bar: >= {BAR_RPS:.0f} requests/s, p99 <= {BAR_P99_MS:.0f} ms, 0 errors -> {'PASS' if ok else 'FAIL'}")
    return ok


def render_images(folder: Path, n: int) -> list[Path]:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    lines = [["职业技能等级证书", "姓名：张三  职业：保育师  等级：四级", "发证机构：某某职业培训学校"],
             ["中华人民共和国职业资格证书", "零基础包过 全国联网可查", "国家认可 人社部备案"],
             ["结业证明", "学员已完成家政服务员培训课程", "特此证明"]]
    paths = []
    for i in range(n):
        img = Image.new("RGB", (1000, 420), (250, 246, 235))
        draw = ImageDraw.Draw(img)
        draw.rectangle((10, 10, 990, 410), outline=(150, 30, 30), width=6)
        for j, line in enumerate(lines[i % len(lines)]):
            draw.text((60, 60 + 100 * j), f"{line}" if j else f"{line} No.{i:04d}", font=font, fill=(20, 20, 20))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        p = folder / f"cert-{i:04d}.png"
        p.write_bytes(buf.getvalue())
        paths.append(p)
    return paths


def job_vs_cli(url: str, key: str, n: int, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="api-load-images-") as tmp:
        paths = render_images(Path(tmp), n)
        headers = {"Authorization": f"Bearer {key}"}
        files = [("files", (p.name, p.read_bytes(), "image/png")) for p in paths]
        t0 = time.perf_counter()
        r = httpx.post(url + "/api/v1/jobs", files=files, headers=headers, timeout=300)
        r.raise_for_status()
        job_id = r.json()["id"]
        while True:
            doc = httpx.get(f"{url}/api/v1/jobs/{job_id}", headers=headers, timeout=60).json()
            if doc["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
        job_s = time.perf_counter() - t0
        errors = sum(1 for f in doc["files"] if f["status"] == "error")
        t0 = time.perf_counter()
        # --annotate: the service draws the evidence pictures too, so both do the same work.
        cli = subprocess.run([sys.executable, "-m", "compliance.cli", "check", tmp, "--jobs", str(workers),
                              "--format", "jsonl", "--annotate", str(Path(tmp) / "evidence")], capture_output=True,
                             cwd=REPO, env={k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")})
        cli_s = time.perf_counter() - t0
        cli_reports = cli.stdout.count(b'{"engine"')
    print(f"{n}-image job: service {job_s:.1f} s ({n / job_s:.2f} images/s, {errors} errors, {workers} workers, "
          f"status {doc['status']}) | CLI --jobs {workers} --annotate: {cli_s:.1f} s ({n / cli_s:.2f} images/s, "
          f"{cli_reports} reports) | service/CLI {job_s / cli_s:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=24, help="client connections")
    ap.add_argument("--rate", type=float, default=310.0,
                    help="offered requests/s (open loop); 0: closed loop, as fast as the server answers")
    ap.add_argument("--images", type=int, default=200, help="images in the job (0: skip the job part)")
    ap.add_argument("--url", help="a running service (loopback only); default: start one")
    ap.add_argument("--key", help="API key for --url")
    args = ap.parse_args()
    if not 1 <= args.threads <= 256 or not 0 < args.seconds <= 600 or not 0 <= args.rate <= 5000:
        raise SystemExit("--threads 1..256, --seconds up to 600, --rate up to 5000")
    if args.url:
        loopback_only(args.url)
        if not args.key:
            raise SystemExit("--url needs --key")
        url, key, service, workers = args.url.rstrip("/"), args.key, None, max(1, min(os.cpu_count() or 1, 8))
    with tempfile.TemporaryDirectory(prefix="api-load-") as data:
        if not args.url:
            service = Service(Path(data))
            url, key, workers = service.url, service.key, service.workers()
        try:
            ok = text_load(url, key, args.seconds, args.threads, args.rate, service)
            if args.images:
                job_vs_cli(url, key, args.images, workers)
        finally:
            if service is not None:
                service.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
