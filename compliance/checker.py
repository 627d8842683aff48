"""Checker: sniff → extract → analyse → verdict. The only orchestrator; errors become reports."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from compliance import __version__
from compliance.contract import EngineInfo, ErrorInfo, Finding, Observation, Origin, Report, Result, Status, Verdict
from compliance.extract.decode import UndecodableError, decode, detect_encoding
from compliance.extract.document import Document, Page, Segment
from compliance.extract.errors import ExtractError
from compliance.extract.html import html_text
from compliance.extract.sniff import sniff
from compliance.opinion import model_findings
from compliance.rules.loader import RuleSet, load_rules
from compliance.settings import Settings
from compliance.text.analyzer import TextAnalyzer
from compliance.text.context import official_document
from compliance.text.issuer_field import issuer_findings
from compliance.text.model import load_model
from compliance.text.pinyin_read import pinyin_findings
from compliance.text.sender import sender_findings
from compliance.text.state_certificate import (
    demote,
    demote_catalogue_skilled,
    demote_licence_lines,
    demote_true_issuers,
    state_certificate_title,
)
from compliance.text.stream import StreamResult, analyze_stream
from compliance.verdict import verdict_of_counts

ENGINE_NAME = "compliance"
_SNIFF_BYTES = 1 << 16
_HEAD_CHARS = 20_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp", "image/webp"})

# Kept for callers of the first release: the one input error type is ExtractError.
InputError = ExtractError


def error_report(source: str, code: str, message: str, *, sha256: str | None = None,
                 media_type: str | None = None) -> Report:
    return Report(source=source, sha256=sha256, media_type=media_type, verdict=Verdict.ERROR,
                  error=ErrorInfo(code=code, message=message))


class Checker:
    def __init__(self, settings: Settings | None = None, *, ruleset: RuleSet | None = None) -> None:
        self.settings = settings or Settings()
        self.ruleset = ruleset or load_rules(self.settings.lexicon_dir)
        main, noted = _split(self.ruleset)
        self.analyzer = TextAnalyzer(main)
        # Rules whose hits are observations run apart, so that they never reach counts or the verdict.
        self.observer = TextAnalyzer(noted) if noted.rules else None
        self._ocr: Any = None
        self._complaint: TextAnalyzer | None = None  # built on the first complaint

    @property
    def engine(self) -> EngineInfo:
        return EngineInfo(name=ENGINE_NAME, version=__version__, lexicon_version=self.ruleset.version)

    def result(self, reports: list[Report]) -> Result:
        return Result(engine=self.engine, reports=reports)

    # -- inputs ---------------------------------------------------------------------------------

    def check_text(self, text: str, *, source: str = "text") -> Report:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        # The observer judges "official" from the whole text (head and tail), as it would in one pass.
        observer_official = self.observer is not None and official_document(text, self.observer.context)
        found = self._analyze([text], observer_official=observer_official)
        self._second_opinion(found, text, page=None, origin=Origin.TEXT,
                             official=official_document(text[:_HEAD_CHARS], self.analyzer.context))
        report = self._report(source, digest, "text/plain", found)
        report.observations = self._observations(found.observed, Page(None, [Segment(text)], Origin.TEXT))
        return report

    def check_complaint(self, text: str, *, source: str = "complaint") -> Report:
        """A complaint's text: as ``check_text``, plus the claims it reports (对方承诺“包过”), as review findings
        attributed to the body complained about (see compliance/complaint.py)."""
        from compliance.complaint import complaint_rules, reported_claims

        report = self.check_text(text, source=source)
        if self._complaint is None:
            self._complaint = TextAnalyzer(complaint_rules(_split(self.ruleset)[0]))
        extra = reported_claims(self._complaint, text, report.findings)
        if not extra:
            return report
        # The model's guess about a sentence gives way to the claim the complainant quotes in it.
        kept = [f for f in report.findings if not (f.rule_id.startswith("model.") and any(
            e.category == f.category and e.location.start < f.location.end and e.location.end > f.location.start
            for e in extra))]
        counts = dict(report.counts)
        for f in report.findings:
            if f not in kept:
                counts[f.category.value] -= 1
        for f in extra:
            counts[f.category.value] = counts.get(f.category.value, 0) + 1
        findings = sorted(kept + extra, key=lambda f: (f.location.start or 0, f.category))
        truncated = report.findings_truncated or len(findings) > self.settings.max_findings
        verdict = report.verdict if report.verdict is Verdict.VIOLATION else Verdict.REVIEW
        return report.model_copy(update={
            "findings": findings[: self.settings.max_findings], "verdict": verdict,
            "counts": {k: v for k, v in sorted(counts.items()) if v}, "findings_truncated": truncated})

    def check_bytes(self, data: bytes, *, source: str = "bytes", annotate_dir: Path | None = None) -> Report:
        digest = hashlib.sha256(data).hexdigest()
        if len(data) > self.settings.max_file_bytes:
            return error_report(source, "file_too_large",
                                f"{len(data)} bytes exceeds the limit of {self.settings.max_file_bytes}",
                                sha256=digest)
        media = sniff(data[:_SNIFF_BYTES], complete=len(data) <= _SNIFF_BYTES, whole=data)
        try:
            document = self.extract(data, media)
            report = self.check_document(document, source=source, sha256=digest)
        except ExtractError as exc:
            return error_report(source, exc.code, exc.message, sha256=digest, media_type=media)
        if annotate_dir is not None and report.findings:
            from compliance.report.annotate import annotate

            report.annotations = annotate(document, report, annotate_dir)
        return report

    def check_file(self, path: str | Path, *, annotate_dir: Path | None = None) -> Report:
        path = Path(path)
        source = str(path)
        try:
            if path.is_dir():
                return error_report(source, "is_directory", "a directory, not a file")
            size = path.stat().st_size
            if size > self.settings.max_file_bytes:
                return error_report(source, "file_too_large",
                                    f"{size} bytes exceeds the limit of {self.settings.max_file_bytes}")
            with path.open("rb") as fh:
                head = fh.read(_SNIFF_BYTES)
                complete = len(head) < _SNIFF_BYTES
                if not complete and not head.startswith(b"PK\x03\x04"):
                    media = sniff(head, complete=False)
                    if media == "text/plain":
                        return self._check_text_stream(source, fh, head)
                data = head if complete else head + fh.read()
        except FileNotFoundError:
            return error_report(source, "not_found", "no such file")
        except PermissionError:
            return error_report(source, "unreadable", "permission denied")
        except OSError as exc:
            return error_report(source, "unreadable", exc.strerror or str(exc))
        return self.check_bytes(data, source=source, annotate_dir=annotate_dir)

    # -- extraction -----------------------------------------------------------------------------

    def extract(self, data: bytes, media: str) -> Document:
        """The Document of ``data`` (whose content is ``media``); raises ExtractError."""
        if media in ("text/plain", "text/html"):
            try:
                text, encoding = decode(data)
            except UndecodableError as exc:
                raise ExtractError("undecodable", str(exc)) from exc
            if media == "text/html":
                return Document(media, [Page(None, [Segment(html_text(text))], Origin.HTML)], encoding)
            return Document(media, [Page(None, [Segment(text)], Origin.TEXT)], encoding)
        if media == "application/pdf":
            from compliance.extract.pdf import pdf_document

            return pdf_document(data, max_pages=self.settings.max_pdf_pages, ocr=self._ocr_segments)
        if media == DOCX:
            from compliance.extract.docx import docx_document

            return docx_document(data, max_unpacked_bytes=self.settings.max_archive_bytes,
                                 images=self._image_pages)
        if media in IMAGE_TYPES:
            return Document(media, self._image_pages(data))
        if media == "application/zip":
            raise ExtractError("unsupported_media", "a ZIP archive: check it as a batch (compliance check FILE.zip)")
        raise ExtractError("unsupported_media", f"{media} content is not supported")

    def _backend(self) -> Any:
        if self._ocr is None:
            from compliance.ocr.base import OcrUnavailable, get_backend

            try:
                self._ocr = get_backend(self.settings.ocr_backend, self.settings)
            except OcrUnavailable as exc:
                raise ExtractError("ocr_unavailable", str(exc)) from exc
        return self._ocr

    def _image_pages(self, data: bytes) -> list[Page]:
        try:
            from compliance.extract.image import image_document
        except ImportError as exc:
            raise ExtractError("ocr_unavailable", f"image reading is not installed: {exc}") from exc
        return image_document(data, backend=self._backend(), max_pixels=self.settings.max_image_pixels).pages

    def _ocr_segments(self, image: Any) -> list[Segment]:
        try:
            from compliance.extract.image import ocr_image
        except ImportError as exc:
            raise ExtractError("ocr_unavailable", f"image reading is not installed: {exc}") from exc
        return ocr_image(image, backend=self._backend(), max_pixels=self.settings.max_image_pixels)

    # -- analysis -------------------------------------------------------------------------------

    def check_document(self, document: Document, *, source: str, sha256: str | None = None) -> Report:
        """Analyse every page; findings get page numbers, boxes and OCR-adjusted confidence."""
        head = "".join(p.text[:_HEAD_CHARS] for p in document.pages[:3])[:_HEAD_CHARS]
        official = official_document(head, self.analyzer.context)
        findings: list[Finding] = []
        counts: dict[str, int] = {}
        statuses: dict[str, int] = {}
        truncated = False
        characters = 0
        observations: list[Observation] = []
        for page in document.pages:
            text = page.text
            found = analyze_stream(self.analyzer, [text], chunk_chars=self.settings.chunk_chars,
                                   max_findings=self.settings.max_findings - len(findings), page=page.number,
                                   origin=page.origin, official=official, observer=self.observer,
                                   observer_official=official)
            self._second_opinion(found, text, page=page.number, origin=page.origin, official=official,
                                 room=self.settings.max_findings - len(findings))
            characters += found.characters
            truncated = truncated or found.truncated
            for cat, n in found.counts.items():
                counts[cat] = counts.get(cat, 0) + n
            for status, n in found.statuses.items():
                statuses[status] = statuses.get(status, 0) + n
            for f in found.findings:
                _locate(f, page)
            findings.extend(found.findings)
            observations.extend(self._observations(found.observed, page))
            if self.settings.vision and page.origin is Origin.OCR and page.raster is not None:
                try:
                    seen, obs = self._vision(page)
                except ImportError as exc:  # the detectors' dependencies are missing: keep the text results
                    document.warnings.append(f"page {page.number}: mark detectors unavailable ({exc})")
                    seen, obs = [], []
                observations.extend(obs)
                for f in seen:
                    counts[f.category.value] = counts.get(f.category.value, 0) + 1
                    statuses[f.status.value] = statuses.get(f.status.value, 0) + 1
                    if len(findings) < self.settings.max_findings:
                        findings.append(f)
                    else:
                        truncated = True
        return Report(
            source=source,
            sha256=sha256,
            media_type=document.media_type,
            verdict=verdict_of_counts(statuses),
            findings=findings,
            encoding=document.encoding,
            pages=len(document.pages) if document.pages and document.pages[0].number is not None else None,
            characters=characters,
            counts=dict(sorted(counts.items())),
            findings_truncated=truncated,
            warnings=document.warnings,
            observations=observations,
        )

    @staticmethod
    def _observations(found: list[Finding], page: Page) -> list[Observation]:
        """The observer's hits on ``page`` (found by analyze_stream beside the findings) as observations."""
        out = []
        for f in found:
            _locate(f, page)
            out.append(Observation(kind=f.rule_id, text=f.evidence, confidence=f.confidence, location=f.location))
        return out

    def _vision(self, page: Page) -> tuple[list[Finding], list[Observation]]:
        """The marks on a picture page (emblem, flag, organ marks, seals), as findings and observations."""
        from compliance.marks import vision_findings
        from compliance.vision.base import run_vision

        assert page.raster is not None
        image = page.raster()
        try:
            ocr = self._backend()
        except ExtractError:
            ocr = None  # seals are still found; their text stays unread
        hits = run_vision(image, settings=self.settings, ocr=ocr)
        return vision_findings(page, image, hits, self.ruleset, self.analyzer)

    def _second_opinion(self, found: StreamResult, text: str, *, page: int | None, origin: Origin, official: bool,
                        room: int | None = None) -> None:
        """For pages short enough: a certificate the state issues itself has its organ findings for review (see
        text/state_certificate.py); pinyin read back into characters (七天拿zheng), a message signed in an organ's name
        (【人社服务】), then the sentence model's review findings; all added to ``found`` with counts and statuses."""
        if len(text) > self.settings.text_model_max_chars:
            return
        for f in issuer_findings(text, found.findings, self.ruleset, page=page, origin=origin, official=official):
            _tally(found, f)
            found.findings.append(f)
        title = state_certificate_title(text) if not found.truncated else None
        if not found.truncated:
            moved = demote(found.findings, title) if title is not None else 0
            moved += demote_licence_lines(text, found.findings)
            moved += demote_catalogue_skilled(text, found.findings)
            moved += demote_true_issuers(text, found.findings)
            if moved:
                found.statuses[Status.VIOLATION.value] -= moved
                found.statuses[Status.REVIEW.value] = found.statuses.get(Status.REVIEW.value, 0) + moved
                if not found.statuses[Status.VIOLATION.value]:
                    del found.statuses[Status.VIOLATION.value]
        extra: list[Finding] = []
        if self.settings.pinyin_reading and not found.truncated:
            for f in pinyin_findings(self.analyzer, text, found.findings, official=official):
                f.location.page, f.location.origin = page, origin
                extra.append(f)
        extra += sender_findings(text, found.findings + extra, self.ruleset, page=page, origin=origin,
                                 official=official)
        model = load_model() if self.settings.text_model else None
        if model is not None:
            skip = frozenset(found.counts) if found.truncated else frozenset()
            extra += model_findings(text, found.findings + extra, model, self.ruleset, self.analyzer.context,
                                    page=page, origin=origin, official=official, skip=skip)
        room = self.settings.max_findings if room is None else room
        for f in extra:
            _tally(found, f)
            if len(found.findings) < room:
                found.findings.append(f)
            else:
                found.truncated = True
        found.findings.sort(key=lambda f: (f.location.start or 0, f.category))

    def _analyze(self, pieces: list[str] | Iterator[str], origin: Origin = Origin.TEXT,
                 observer_official: bool | None = None) -> StreamResult:
        """``observer_official`` None: no observations (large files are streamed for findings only)."""
        observer = self.observer if observer_official is not None else None
        return analyze_stream(self.analyzer, pieces, chunk_chars=self.settings.chunk_chars,
                              max_findings=self.settings.max_findings, origin=origin, observer=observer,
                              observer_official=bool(observer_official))

    def _check_text_stream(self, source: str, fh: IO[bytes], head: bytes) -> Report:
        """Large plain-text files: decode and analyse block by block, never holding the whole file."""
        hasher = hashlib.sha256()
        try:
            encoding, skip = detect_encoding(head, complete=False)
        except UndecodableError as exc:
            return error_report(source, "undecodable", str(exc), media_type="text/plain")
        block = self.settings.read_bytes

        used = [encoding]

        def pieces() -> Iterator[str]:
            decoder = codecs.getincrementaldecoder(encoding)()
            ascii_so_far = head.isascii()
            hasher.update(head)
            yield decoder.decode(head[skip:])
            while True:
                data = fh.read(block)
                if not data:
                    break
                hasher.update(data)
                try:
                    text = decoder.decode(data)
                except UnicodeDecodeError:
                    if not ascii_so_far:
                        raise
                    # An ASCII head says nothing about the encoding: decide again on the first non-ASCII block.
                    # Everything before was ASCII, which reads the same in every candidate encoding.
                    used[0], _ = detect_encoding(data, complete=False)
                    decoder = codecs.getincrementaldecoder(used[0])()
                    text = decoder.decode(data)
                ascii_so_far = ascii_so_far and data.isascii()
                yield text
            yield decoder.decode(b"", final=True)

        try:
            found = self._analyze(pieces())
        except UnicodeDecodeError as exc:
            return error_report(source, "undecodable",
                                f"not valid {encoding} at byte {exc.start} of a block past the first 64 KB",
                                media_type="text/plain")
        return self._report(source, hasher.hexdigest(), "text/plain", found, encoding=used[0])

    def _report(self, source: str, digest: str, media: str, found: StreamResult,
                encoding: str | None = None) -> Report:
        return Report(
            source=source,
            sha256=digest,
            media_type=media,
            verdict=verdict_of_counts(found.statuses),
            findings=found.findings,
            encoding=encoding,
            characters=found.characters,
            counts=dict(sorted(found.counts.items())),
            findings_truncated=found.truncated,
        )


def _split(ruleset: RuleSet) -> tuple[RuleSet, RuleSet]:
    """(rules reported as findings, rules reported as observations); both keep the full set's version."""
    main = tuple(r for r in ruleset.rules if r.report == "finding")
    noted = tuple(r for r in ruleset.rules if r.report == "observation")
    return (RuleSet(main, ruleset.categories, ruleset.context, ruleset.version, ruleset.sources),
            RuleSet(noted, ruleset.categories, ruleset.context, ruleset.version, ruleset.sources))


def _locate(f: Finding, page: Page) -> None:
    """Box and OCR confidence for a finding on ``page`` (the engine knows only text offsets)."""
    loc = f.location
    loc.part = page.part
    if loc.start is None or loc.end is None:
        return
    box = page.bbox_for(loc.start, loc.end)
    if box is not None:
        loc.bbox = [round(v, 1) for v in box]
    ocr_conf = page.confidence_for(loc.start, loc.end)
    if ocr_conf is not None and ocr_conf < 0.98:
        # A misread line is weaker evidence: scale down, never below half the rule's confidence.
        f.confidence = round(f.confidence * (0.5 + 0.5 * max(0.0, ocr_conf)), 3)
        f.notes.append(f"OCR confidence {ocr_conf:.2f}")


def _tally(found: StreamResult, f: Finding) -> None:
    """Count a finding added after the analysis in its category and status."""
    found.counts[f.category.value] = found.counts.get(f.category.value, 0) + 1
    found.statuses[f.status.value] = found.statuses.get(f.status.value, 0) + 1
