"""End-to-end text throughput beside the raw automaton scan, and peak memory on a 100 MB file.

    .venv/bin/python benchmarks/text_throughput.py [--mb 10] [--memory-mb 100] [--skip-memory]

The corpus is realistic mixed ad text (see ad_corpus.py): mostly lawful sentences, about 10 % of
sentences violating, traditional characters, separators inside terms, English, digits, line breaks.
Timings are on one core (the process is single-threaded); each is repeated and the best and the median
are printed. The Checker is built and warmed up on a short text first, so one-time table builds
(fold table, automaton, jieba's dictionary) are not counted.
Bars (the issue): end-to-end >= 20 M characters/s and >= 1/8 of the raw pyahocorasick scan;
peak memory for a 100 MB input streamed, not held.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ad_corpus  # noqa: E402

BAR_CHARS_PER_S = 20e6
BAR_RATIO = 1 / 8
REPEATS = 3
# Warm-up: a few thousand characters of the same kind of text (another seed), long enough to take the batch
# path, so that jieba's dictionary, the packed word table and spaCy are loaded before timing starts.
WARMUP = ad_corpus.corpus(6000, seed=99)

# The child process of the memory run: builds the Checker, then (unless "baseline") checks the file.
_CHILD = r"""
import json, sys, time, resource
mode, path = sys.argv[1], sys.argv[2]
from compliance.checker import Checker
def status(field):
    with open("/proc/self/status") as fh:
        return next((int(l.split()[1]) for l in fh if l.startswith(field + ":")), 0)
checker = Checker()
if mode != "baseline":
    checker.check_text(WARMUP)
out = {"mode": mode, "warm_hwm_kb": status("VmHWM")}
if mode == "check":
    # Forget the warm-up's peak (Linux: clear_refs 5 resets VmHWM and ru_maxrss), so that what this child
    # reports from here on is the peak of check_file alone.
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    out["vm_rss_before_kb"] = status("VmRSS")
    t0, c0 = time.perf_counter(), time.process_time()
    report = checker.check_file(path)
    out["seconds"] = time.perf_counter() - t0
    out["cpu_seconds"] = time.process_time() - c0
    out["characters"] = report.characters
    out["findings"] = sum(report.counts.values())
    out["verdict"] = report.verdict.value
    out["error"] = report.error.message if report.error else None
out["vm_hwm_kb"] = status("VmHWM")  # peak RSS of this program's own address space
print(json.dumps(out))
""".replace("WARMUP", repr(WARMUP))

# Linux carries the parent's peak RSS into a child's ru_maxrss across fork+exec, so a child of this
# (large) process would report at least this process's size. A small launcher runs the child instead and
# reports RUSAGE_CHILDREN as it sees it.
_LAUNCHER = r"""
import json, resource, subprocess, sys
proc = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]], capture_output=True, text=True)
if proc.returncode:
    sys.stderr.write(proc.stderr)
    sys.exit(proc.returncode)
out = json.loads(proc.stdout.strip().splitlines()[-1])
out["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(out))
"""


class Timing:
    """Wall-clock and CPU seconds of repeated runs. On a shared machine the wall clock also counts time the
    process waited for a core; CPU time is what the one core spent."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def rates(self, chars: int) -> dict[str, float]:
        return {"wall_best": chars / min(self.wall), "wall_median": chars / statistics.median(self.wall),
                "cpu_best": chars / min(self.cpu), "cpu_median": chars / statistics.median(self.cpu)}


def _times(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[Timing, object]:
    timing = Timing()
    result: object = None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        timing.cpu.append(time.process_time() - c0)
        timing.wall.append(time.perf_counter() - w0)
    return timing, result


def _mc(rate: float) -> str:
    return f"{rate / 1e6:8.2f} M chars/s"


def _row(label: str, r: dict[str, float], note: str = "") -> None:
    rates = f"{_mc(r['wall_best'])}{_mc(r['wall_median'])}  {_mc(r['cpu_best'])}{_mc(r['cpu_median'])}"
    print(f"{label:30s}{rates}  {note}")


def _count_hits(automaton: object, text: str) -> int:
    n = 0
    for _ in automaton.iter(text):  # type: ignore[attr-defined]
        n += 1
    return n


def throughput(mb: float) -> dict[str, Any]:
    import ahocorasick

    from compliance.checker import Checker

    t0 = time.perf_counter()
    text = ad_corpus.corpus(int(mb * 1_000_000))
    gen_s = time.perf_counter() - t0
    n = len(text)
    print(f"corpus: {n:,} characters ({len(text.encode('utf-8')) / 1e6:.1f} MB UTF-8), "
          f"{ad_corpus.BANK_SIZE} bank sentences, ~10 % violating, seeded; built in {gen_s:.1f} s")

    t0 = time.perf_counter()
    checker = Checker()
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    checker.check_text(WARMUP)
    warm_s = time.perf_counter() - t0
    print(f"Checker(): {build_s:.2f} s; warm-up check_text on {len(WARMUP)} characters: {warm_s:.2f} s "
          "(one-time tables, excluded below)")
    analyzer = checker.analyzer

    # (a) raw scans: the engine's own pyahocorasick automaton over the same text, and a plain automaton
    # of just the rule terms (no pinyin variants, anchors or exception phrases).
    raw_s, raw_hits = _times(lambda: _count_hits(analyzer.automaton, text))
    plain = ahocorasick.Automaton()
    for rule in checker.ruleset.rules:
        for term in rule.terms:
            plain.add_word(term, term)
    plain.make_automaton()
    plain_s, plain_hits = _times(lambda: _count_hits(plain, text))

    # (b) end to end.
    e2e_s, report = _times(lambda: checker.check_text(text))
    findings = sum(report.counts.values())  # type: ignore[attr-defined]

    raw, plain_r, e2e = raw_s.rates(n), plain_s.rates(n), e2e_s.rates(n)
    print()
    print(f"{'':30s}{'wall best':>18s}{'wall median':>18s}  {'CPU best':>18s}{'CPU median':>18s}")
    _row("raw scan, engine automaton", raw, f"({len(analyzer.automaton):,} keys, {raw_hits:,} hits)")
    _row("raw scan, rule terms only", plain_r, f"({len(plain):,} keys, {plain_hits:,} hits)")
    _row("check_text end to end", e2e, f"({findings:,} findings)")
    print(f"{'ratio end-to-end / raw':30s}{e2e['wall_best'] / raw['wall_best']:18.3f}"
          f"{e2e['wall_median'] / raw['wall_median']:18.3f}  {e2e['cpu_best'] / raw['cpu_best']:18.3f}"
          f"{e2e['cpu_median'] / raw['cpu_median']:18.3f}")
    print(f"findings by category: {dict(report.counts)}")  # type: ignore[attr-defined]
    return {"raw": raw, "e2e": e2e, "findings": findings}


def _child(mode: str, path: str) -> tuple[dict[str, object], int]:
    """Run the child under a launcher; return its JSON line and its peak RSS in KB (RUSAGE_CHILDREN ru_maxrss
    as the launcher saw it)."""
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, _CHILD, mode, path], capture_output=True, text=True,
                          check=False, cwd=HERE.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} child failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, int(out["children_maxrss_kb"])


def memory(mb: float) -> dict[str, float]:
    fd, path = tempfile.mkstemp(suffix=".txt", prefix="compliance-bench-")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        size = ad_corpus.write_corpus(path, int(mb * 1_000_000))
        print(f"memory input: {path}, {size:,} bytes UTF-8 ({size / 1e6:.1f} MB), written in "
              f"{time.perf_counter() - t0:.1f} s")
        # Three children, each under its own launcher: baseline (import + Checker()), warm (+ the warm-up
        # check: jieba's dictionary, spaCy, packed tables), check (+ check_file of the big file).
        base, base_rss = _child("baseline", path)
        warm, warm_rss = _child("warm", path)
        run, run_rss = _child("check", path)
        if run.get("error"):
            raise RuntimeError(f"check_file failed: {run['error']}")
        seconds = float(run["seconds"])  # type: ignore[arg-type]
        chars = int(run["characters"])  # type: ignore[call-overload]
        print(f"baseline child (import + Checker()):        peak RSS {base_rss / 1024:8.1f} MB "
              f"(VmHWM {int(base['vm_hwm_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        print(f"warm child (+ warm-up check, jieba loaded): peak RSS {warm_rss / 1024:8.1f} MB "
              f"(VmHWM {int(warm['vm_hwm_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        print(f"check_file child, during check_file alone:  peak RSS {run_rss / 1024:8.1f} MB "
              f"(VmHWM {int(run['vm_hwm_kb']) / 1024:.1f}; RSS when it started "
              f"{int(run['vm_rss_before_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        cpu = float(run["cpu_seconds"])  # type: ignore[arg-type]
        print(f"check_file: {chars:,} characters in {seconds:.2f} s wall = {_mc(chars / seconds).strip()}, "
              f"{cpu:.2f} s CPU = {_mc(chars / cpu).strip()}, "
              f"{run['findings']:,} findings, verdict {run['verdict']}")
        before = int(run["vm_rss_before_kb"])  # type: ignore[call-overload]
        return {"size": size, "characters": chars, "peak": run_rss - base_rss, "working": run_rss - before,
                "stream_rate": chars / seconds}
    finally:
        os.unlink(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in millions of characters (>= 10)")
    parser.add_argument("--memory-mb", type=float, default=100.0, help="size of the memory-run file, MB UTF-8")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 100 MB peak-memory run")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, pid {os.getpid()}, {os.cpu_count()} CPUs (one used)\n")
    speed = throughput(args.mb)
    mem: dict[str, float] | None = None
    if not args.skip_memory:
        print()
        mem = memory(args.memory_mb)

    raw, e2e = speed["raw"], speed["e2e"]
    print("\n== summary " + "=" * 70)
    print(f"load average while running: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} CPUs")
    for clock in ("wall", "cpu"):
        rate, base = e2e[f"{clock}_best"], raw[f"{clock}_best"]
        name = "wall clock" if clock == "wall" else "CPU time"
        print(f"[{name}, best of {REPEATS}] raw pyahocorasick scan {_mc(base).strip()}; "
              f"check_text end to end {_mc(rate).strip()}; ratio {rate / base:.3f}")
        print(f"    bar >= 20 M chars/s on one core: {'PASS' if rate >= BAR_CHARS_PER_S else 'FAIL'};  "
              f"bar ratio >= 1/8: {'PASS' if rate / base >= BAR_RATIO else 'FAIL'}")
    print(f"findings in the corpus: {int(speed['findings']):,}")
    if mem is not None:
        size_mb = mem["size"] / 1e6
        print(f"{size_mb:.0f} MB input ({int(mem['size']):,} bytes), check_file peak RSS {mem['peak'] / 1024:.1f} MB "
              f"above the import+Checker baseline child (one-time tables included: jieba's dictionary, spaCy), "
              f"{mem['working'] / 1024:.1f} MB above the warmed-up RSS it started from; "
              f"{_mc(mem['stream_rate']).strip()} wall")
        # "Do not hold four copies": check_file must grow by less than one copy of the decoded text (a Python
        # str of Chinese text takes 2 bytes per character).
        one_copy = 2 * mem["characters"]
        streamed = mem["working"] * 1024 < one_copy
        verdict = "PASS" if streamed else "FAIL"
        print(f"    streamed, not held (growth < one copy of the text as a str, {one_copy / 1e6:.0f} MB): {verdict}")
    else:
        print("100 MB peak memory: skipped (--skip-memory)")


if __name__ == "__main__":
    main()
