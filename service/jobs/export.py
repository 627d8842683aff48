"""A job's report for people: CSV (one row per finding; files without findings get one row) and a
printable, self-contained HTML page (summary by category, each finding with evidence, basis, action, and
the annotated page pictures embedded)."""

from __future__ import annotations

import base64
import csv
import io
from collections import Counter
from typing import Any

from compliance.contract import Category
from compliance.report.annotate import CATEGORY_TITLES
from service.db.models import Job
from service.jobs.views import FileView
from service.store import Store

CSV_COLUMNS = ["file", "source", "sha256", "status", "verdict", "error_code", "rule_id", "category",
               "category_title", "severity", "finding_status", "term", "evidence", "page", "start", "end", "bbox",
               "basis", "action", "authority", "engine_version", "lexicon_version"]

TITLES = {c.value: t for c, t in CATEGORY_TITLES.items()}


def csv_report(views: list[FileView]) -> str:
    out = io.StringIO()
    # A BOM: Excel, which inspectors open these in, reads UTF-8 CSV correctly only with one.
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for v in views:
        report = v.report
        base: dict[str, Any] = {"file": v.file.seq + 1, "source": v.file.source, "sha256": v.file.sha256 or "",
                                "status": v.file.status}
        if report is None or v.result is None:
            writer.writerow(base)
            continue
        base |= {"verdict": report.verdict.value, "error_code": report.error.code if report.error else "",
                 "engine_version": v.result.engine.version, "lexicon_version": v.result.engine.lexicon_version}
        if not report.findings:
            writer.writerow(base)
        for f in report.findings:
            loc = f.location
            writer.writerow(base | {
                "rule_id": f.rule_id, "category": f.category.value, "category_title": TITLES[f.category.value],
                "severity": f.severity.value, "finding_status": f.status.value, "term": f.term,
                "evidence": f.evidence, "page": loc.page or "", "start": loc.start if loc.start is not None else "",
                "end": loc.end if loc.end is not None else "",
                "bbox": " ".join(str(x) for x in loc.bbox) if loc.bbox else "", "basis": f.basis, "action": f.action,
                "authority": f.authority})
    return out.getvalue()


def summary(views: list[FileView]) -> dict[str, Any]:
    by_category: Counter[str] = Counter()
    files_by_category: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for v in views:
        verdicts[v.report.verdict.value if v.report else v.file.status] += 1
        if v.report:
            cats = {f.category.value for f in v.report.findings}
            for f in v.report.findings:
                by_category[f.category.value] += 1
            for c in cats:
                files_by_category[c] += 1
    rows = [{"id": c.value, "title": TITLES[c.value], "findings": by_category[c.value],
             "files": files_by_category[c.value]} for c in Category if by_category[c.value]]
    return {"categories": rows, "verdicts": dict(verdicts), "findings": sum(by_category.values())}


def html_report(templates: Any, job: Job, views: list[FileView], store: Store) -> str:
    pictures: dict[int, list[dict[str, Any]]] = {}
    for v in views:
        if v.file.report is None:
            continue
        imgs = sorted(v.file.report.images, key=lambda i: i["page"])
        pictures[v.file.id] = [
            {"page": i["page"], "src": "data:image/png;base64," + base64.b64encode(store.get(i["sha256"])).decode()}
            for i in imgs if store.exists(i["sha256"])
        ]
    engine = next((v.result.engine for v in views if v.result), None)
    return templates.get_template("report.html").render(job=job, views=views, pictures=pictures,
                                                        summary=summary(views), titles=TITLES, engine=engine)
