"""The batch summary: one CSV row per input (verdict, categories, counts)."""

from __future__ import annotations

import csv
import sys
from typing import IO

from compliance.contract import Category, Report

COLUMNS = ["source", "verdict", "error_code", "media_type", "pages", "findings", "highest_severity",
           "categories", *[c.value for c in Category], "sha256"]
_RANK = {"high": 3, "medium": 2, "low": 1}


def row(report: Report) -> dict[str, str | int]:
    counts = report.counts or {}
    highest = max((f.severity.value for f in report.findings), key=lambda s: _RANK[s], default="")
    out: dict[str, str | int] = {
        "source": report.source,
        "verdict": report.verdict.value,
        "error_code": report.error.code if report.error else "",
        "media_type": report.media_type or "",
        "pages": report.pages or "",
        "findings": sum(counts.values()),
        "highest_severity": highest,
        "categories": ";".join(sorted(counts)),
        "sha256": report.sha256 or "",
    }
    for c in Category:
        out[c.value] = counts.get(c.value, 0)
    return out


class SummaryWriter:
    def __init__(self, fh: IO[str], owned: bool) -> None:
        self._fh, self._owned = fh, owned
        self._writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        self._writer.writeheader()

    @classmethod
    def open(cls, target: str) -> SummaryWriter:
        if target == "-":
            return cls(sys.stdout, owned=False)
        # utf-8-sig: Excel, which inspectors open these in, reads UTF-8 CSV correctly only with a BOM.
        return cls(open(target, "w", encoding="utf-8-sig", newline=""), owned=True)

    def write(self, report: Report) -> None:
        self._writer.writerow(row(report))
        self._fh.flush()

    def close(self) -> None:
        if self._owned:
            self._fh.close()
