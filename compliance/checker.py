"""Checker: sniff → extract → analyse → verdict. The only orchestrator; errors become reports."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from pathlib import Path

from compliance import __version__
from compliance.contract import EngineInfo, ErrorInfo, Origin, Report, Result, Verdict
from compliance.extract.decode import UndecodableError, decode, detect_encoding
from compliance.extract.html import html_text
from compliance.extract.sniff import sniff
from compliance.rules.loader import RuleSet, load_rules
from compliance.settings import Settings
from compliance.text.analyzer import TextAnalyzer
from compliance.text.stream import StreamResult, analyze_stream
from compliance.verdict import verdict_of

ENGINE_NAME = "compliance"
_SNIFF_BYTES = 1 << 16


class InputError(Exception):
    """A problem with one input: becomes that input's ``error`` report, never a crash."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_report(source: str, code: str, message: str, *, sha256: str | None = None,
                 media_type: str | None = None) -> Report:
    return Report(source=source, sha256=sha256, media_type=media_type, verdict=Verdict.ERROR,
                  error=ErrorInfo(code=code, message=message))


class Checker:
    def __init__(self, settings: Settings | None = None, *, ruleset: RuleSet | None = None) -> None:
        self.settings = settings or Settings()
        self.ruleset = ruleset or load_rules(self.settings.lexicon_dir)
        self.analyzer = TextAnalyzer(self.ruleset)

    @property
    def engine(self) -> EngineInfo:
        return EngineInfo(name=ENGINE_NAME, version=__version__, lexicon_version=self.ruleset.version)

    def result(self, reports: list[Report]) -> Result:
        return Result(engine=self.engine, reports=reports)

    # -- inputs ---------------------------------------------------------------------------------

    def check_text(self, text: str, *, source: str = "text") -> Report:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        found = self._analyze([text])
        return self._report(source, digest, "text/plain", found)

    def check_bytes(self, data: bytes, *, source: str = "bytes") -> Report:
        digest = hashlib.sha256(data).hexdigest()
        if len(data) > self.settings.max_file_bytes:
            return error_report(source, "file_too_large",
                                f"{len(data)} bytes exceeds the limit of {self.settings.max_file_bytes}",
                                sha256=digest)
        media = sniff(data[:_SNIFF_BYTES], complete=len(data) <= _SNIFF_BYTES, whole=data)
        try:
            found, encoding = self._extract_bytes(data, media)
        except InputError as exc:
            return error_report(source, exc.code, exc.message, sha256=digest, media_type=media)
        return self._report(source, digest, media, found, encoding=encoding)

    def check_file(self, path: str | Path) -> Report:
        path = Path(path)
        source = str(path)
        try:
            size = path.stat().st_size
            if path.is_dir():
                return error_report(source, "is_directory", "a directory, not a file")
            if size > self.settings.max_file_bytes:
                return error_report(source, "file_too_large",
                                    f"{size} bytes exceeds the limit of {self.settings.max_file_bytes}")
            with path.open("rb") as fh:
                head = fh.read(_SNIFF_BYTES)
                complete = len(head) < _SNIFF_BYTES
                whole = head if complete else None
                if head.startswith(b"PK\x03\x04") and not complete:
                    whole = head + fh.read()
                media = sniff(head, complete=complete, whole=whole)
                if media == "text/plain" and not complete:
                    return self._check_text_stream(source, fh, head)
                data = whole if whole is not None else head + fh.read()
        except FileNotFoundError:
            return error_report(source, "not_found", "no such file")
        except PermissionError:
            return error_report(source, "unreadable", "permission denied")
        except OSError as exc:
            return error_report(source, "unreadable", exc.strerror or str(exc))
        return self.check_bytes(data, source=source)

    # -- internals ------------------------------------------------------------------------------

    def _analyze(self, pieces: list[str] | Iterator[str], origin: Origin = Origin.TEXT) -> StreamResult:
        return analyze_stream(self.analyzer, pieces, chunk_chars=self.settings.chunk_chars,
                              max_findings=self.settings.max_findings, origin=origin)

    def _extract_bytes(self, data: bytes, media: str) -> tuple[StreamResult, str | None]:
        if media not in ("text/plain", "text/html"):
            raise InputError("unsupported_media", f"{media} is not supported yet (text, Markdown and HTML are)")
        try:
            text, encoding = decode(data)
        except UndecodableError as exc:
            raise InputError("undecodable", str(exc)) from exc
        if media == "text/html":
            return self._analyze([html_text(text)], Origin.HTML), encoding
        return self._analyze([text]), encoding

    def _check_text_stream(self, source: str, fh: object, head: bytes) -> Report:
        """Large plain-text files: decode and analyse block by block, never holding the whole file."""
        hasher = hashlib.sha256()
        try:
            encoding, skip = detect_encoding(head, complete=False)
        except UndecodableError as exc:
            return error_report(source, "undecodable", str(exc), media_type="text/plain")
        block = self.settings.read_bytes

        def pieces() -> Iterator[str]:
            decoder = codecs.getincrementaldecoder(encoding)()
            hasher.update(head)
            yield decoder.decode(head[skip:])
            while True:
                data = fh.read(block)  # type: ignore[attr-defined]
                if not data:
                    break
                hasher.update(data)
                yield decoder.decode(data)
            yield decoder.decode(b"", final=True)

        try:
            found = self._analyze(pieces())
        except UnicodeDecodeError as exc:
            return error_report(source, "undecodable",
                                f"not valid {encoding} at byte {exc.start} of a block past the first 64 KB",
                                media_type="text/plain")
        return self._report(source, hasher.hexdigest(), "text/plain", found, encoding=encoding)

    def _report(self, source: str, digest: str, media: str, found: StreamResult,
                encoding: str | None = None) -> Report:
        return Report(
            source=source,
            sha256=digest,
            media_type=media,
            verdict=verdict_of(found.findings),
            findings=found.findings,
            encoding=encoding,
            characters=found.characters,
            counts=dict(sorted(found.counts.items())),
            findings_truncated=found.truncated,
        )
