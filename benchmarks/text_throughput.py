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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import ad_corpus  # noqa: E402

BAR_CHARS_PER_S = 20e6
BAR_RATIO = 1 / 8
REPEATS = 3
WARMUP = "预热：本课程包过，国家认可，職業資格證書，全国联网可查。中华路88号。最好提前到场。"

# The child process of the memory run: builds the Checker, then (unless "baseline") checks the file.
_CHILD = r"""
import json, sys, time, resource
mode, path = sys.argv[1], sys.argv[2]
from compliance.checker import Checker
checker = Checker()
if mode != "baseline":
    checker.check_text(WARMUP)
out = {"mode": mode}
if mode == "check":
    t0 = time.perf_counter()
    report = checker.check_file(path)
    out["seconds"] = time.perf_counter() - t0
    out["characters"] = report.characters
    out["findings"] = sum(report.counts.values())
    out["verdict"] = report.verdict.value
    out["error"] = report.error.message if report.error else None
out["self_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
""".replace("WARMUP", repr(WARMUP))


def _times(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[list[float], object]:
    out: list[float] = []
    result: object = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
    return out, result


def _rate(chars: int, seconds: list[float]) -> tuple[float, float]:
    """(best, median) characters per second."""
    return chars / min(seconds), chars / statistics.median(seconds)


def _mc(rate: float) -> str:
    return f"{rate / 1e6:8.2f} M chars/s"


def _count_hits(automaton: object, text: str) -> int:
    n = 0
    for _ in automaton.iter(text):  # type: ignore[attr-defined]
        n += 1
    return n


def throughput(mb: float) -> dict[str, float]:
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

    raw_best, raw_med = _rate(n, raw_s)
    plain_best, plain_med = _rate(n, plain_s)
    e2e_best, e2e_med = _rate(n, e2e_s)
    print()
    print(f"{'':34s}{'best':>19s}{'median':>19s}")
    print(f"raw scan, engine automaton        {_mc(raw_best)}  {_mc(raw_med)}   "
          f"({len(analyzer.automaton):,} keys, {raw_hits:,} hits)")
    print(f"raw scan, rule terms only         {_mc(plain_best)}  {_mc(plain_med)}   "
          f"({len(plain):,} keys, {plain_hits:,} hits)")
    print(f"check_text end to end             {_mc(e2e_best)}  {_mc(e2e_med)}   "
          f"({findings:,} findings: {dict(report.counts)})")  # type: ignore[attr-defined]
    print(f"ratio end-to-end / raw (best)     {e2e_best / raw_best:8.3f}")
    print(f"ratio end-to-end / raw (median)   {e2e_med / raw_med:8.3f}")
    return {"raw": raw_best, "raw_median": raw_med, "e2e": e2e_best, "e2e_median": e2e_med,
            "findings": findings}


def _child(mode: str, path: str) -> tuple[dict[str, object], int]:
    """Run the child; return its JSON line and RUSAGE_CHILDREN ru_maxrss (KB) after it ended."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, mode, path], capture_output=True, text=True,
                          check=False, cwd=HERE.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def memory(mb: float) -> dict[str, float]:
    fd, path = tempfile.mkstemp(suffix=".txt", prefix="compliance-bench-")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        size = ad_corpus.write_corpus(path, int(mb * 1_000_000))
        print(f"memory input: {path}, {size:,} bytes UTF-8 ({size / 1e6:.1f} MB), written in "
              f"{time.perf_counter() - t0:.1f} s")
        # RUSAGE_CHILDREN's ru_maxrss is the largest of all children waited for so far, so the children run
        # smallest first: baseline (import + Checker()), warm (+ warm-up check: jieba's dictionary), check.
        base, base_rss = _child("baseline", path)
        warm, warm_rss = _child("warm", path)
        run, run_rss = _child("check", path)
        if run.get("error"):
            raise RuntimeError(f"check_file failed: {run['error']}")
        seconds = float(run["seconds"])  # type: ignore[arg-type]
        chars = int(run["characters"])  # type: ignore[call-overload]
        print(f"baseline child (import + Checker()):        peak RSS {base_rss / 1024:8.1f} MB "
              f"(self-reported {int(base['self_maxrss_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        print(f"warm child (+ warm-up check, jieba loaded): peak RSS {warm_rss / 1024:8.1f} MB "
              f"(self-reported {int(warm['self_maxrss_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        print(f"check_file child:                           peak RSS {run_rss / 1024:8.1f} MB "
              f"(self-reported {int(run['self_maxrss_kb']) / 1024:.1f})")  # type: ignore[call-overload]
        print(f"check_file: {chars:,} characters in {seconds:.2f} s = {_mc(chars / seconds).strip()}, "
              f"{run['findings']:,} findings, verdict {run['verdict']}")
        return {"size": size, "peak": run_rss - base_rss, "peak_warm": run_rss - warm_rss,
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

    ratio = speed["e2e"] / speed["raw"]
    ok_speed = speed["e2e"] >= BAR_CHARS_PER_S
    ok_ratio = ratio >= BAR_RATIO
    print("\n== summary " + "=" * 60)
    print(f"raw pyahocorasick scan (engine automaton): {_mc(speed['raw'])} best, {_mc(speed['raw_median'])} median")
    print(f"check_text end to end:                     {_mc(speed['e2e'])} best, {_mc(speed['e2e_median'])} median")
    print(f"  bar >= 20 M chars/s on one core:         {'PASS' if ok_speed else 'FAIL'}")
    print(f"  ratio to raw scan {ratio:6.3f}, bar >= 0.125: {'PASS' if ok_ratio else 'FAIL'}")
    print(f"findings in the corpus:                    {int(speed['findings']):,}")
    if mem is not None:
        print(f"100 MB input ({int(mem['size']):,} bytes) check_file: peak RSS {mem['peak'] / 1024:.1f} MB above "
              f"the import+Checker baseline ({mem['peak_warm'] / 1024:.1f} MB above a warmed-up Checker), "
              f"{_mc(mem['stream_rate']).strip()}")
        print(f"  streamed (peak below one copy of the file): {'PASS' if mem['peak'] * 1024 < mem['size'] else 'FAIL'}")
    else:
        print("100 MB peak memory: skipped (--skip-memory)")


if __name__ == "__main__":
    main()
