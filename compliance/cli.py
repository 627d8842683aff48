"""The ``compliance`` command: check inputs, list rules, test the lexicon."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from compliance.checker import Checker
from compliance.contract import Report, Severity, Verdict
from compliance.rules.loader import LexiconError
from compliance.settings import Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Vocational-training ad and certificate compliance checks.")
lexicon_app = typer.Typer(no_args_is_help=True, help="Work on the rule lexicons.")
app.add_typer(lexicon_app, name="lexicon")


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


LexiconOption = Annotated[
    Path | None, typer.Option("--lexicon", help="rules directory (default: the bundled lexicons)",
                              exists=True, file_okay=False)
]


def _err(message: str) -> None:
    typer.echo(f"compliance: {message}", err=True)


def _checker(lexicon: Path | None, ocr: str | None = None) -> Checker:
    settings = Settings()
    if lexicon is not None:
        settings = settings.model_copy(update={"lexicon_dir": lexicon})
    if ocr is not None:
        settings = settings.model_copy(update={"ocr_backend": ocr})
    try:
        return Checker(settings)
    except LexiconError as exc:
        _err(f"lexicon error: {exc}")
        raise typer.Exit(EXIT_ERROR) from None


class OcrChoice(StrEnum):
    rapidocr = "rapidocr"
    tesseract = "tesseract"


def _progress() -> Any:
    """A progress bar on stderr, only when a person is watching it."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help="files, folders or .zip archives; - reads stdin")] = None,
    text: Annotated[list[str] | None, typer.Option("--text", help="check this text (repeatable)")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="output format")] = OutputFormat.table,
    fail_on: Annotated[Severity, typer.Option("--fail-on", help="exit 1 when a finding is at least this severe")]
    = Severity.LOW,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="worker processes")] = 1,
    summary: Annotated[str | None, typer.Option("--summary", help="write a CSV summary to this file, one row "
                                                                "per input (- for stdout)")] = None,
    annotate: Annotated[Path | None, typer.Option("--annotate", help="write evidence pictures (PNG) here",
                                                  file_okay=False)] = None,
    ocr: Annotated[OcrChoice | None, typer.Option("--ocr", help="OCR engine for images and scans")] = None,
    lexicon: LexiconOption = None,
) -> None:
    """Check files, folders, archives, stdin or --text; print the finding contract."""
    from compliance.batch import expand, run_batch
    from compliance.report.summary import SummaryWriter

    paths, texts = paths or [], text or []
    if not paths and not texts:
        _err("nothing to check: give PATH..., - for stdin, or --text")
        raise typer.Exit(EXIT_ERROR)
    checker = _checker(lexicon, ocr.value if ocr else None)
    console = Console(soft_wrap=False)
    reports: list[Report] = []
    worst = EXIT_CLEAN
    summary_writer = SummaryWriter.open(summary) if summary else None
    progress = _progress()
    task = progress.add_task("checking", total=None) if progress else None

    def inputs() -> Iterator[Report]:
        for i, t in enumerate(texts):
            yield checker.check_text(t, source=f"--text[{i}]" if len(texts) > 1 else "--text")
        yield from run_batch(expand(paths, checker.settings), checker.settings, jobs=jobs, annotate_dir=annotate,
                             checker=checker)

    try:
        if progress:
            progress.start()
        for done, report in enumerate(inputs(), start=1):
            if progress and task is not None:
                progress.update(task, completed=done, description=f"checking {report.source[-40:]}")
            if report.verdict is Verdict.ERROR and report.error is not None:
                _err(f"{report.source}: {report.error.code}: {report.error.message}")
            if fmt is OutputFormat.jsonl:
                sys.stdout.write(checker.result([report]).model_dump_json() + "\n")
                sys.stdout.flush()
            elif fmt is OutputFormat.table:
                from compliance.report.table import render_report

                render_report(report, console)
            else:
                reports.append(report)
            if summary_writer:
                summary_writer.write(report)
            if report.verdict is Verdict.ERROR:
                worst = EXIT_ERROR
            elif worst == EXIT_CLEAN and any(f.severity.rank >= fail_on.rank for f in report.findings):
                worst = EXIT_FINDINGS
    finally:
        if progress:
            progress.stop()
        if summary_writer:
            summary_writer.close()
    if fmt is OutputFormat.json:
        sys.stdout.write(checker.result(reports).model_dump_json(indent=2) + "\n")
    raise typer.Exit(worst)


@app.command()
def rules(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.table,
    lexicon: LexiconOption = None,
) -> None:
    """List the loaded rules."""
    checker = _checker(lexicon)
    rs = checker.ruleset
    if fmt is not OutputFormat.table:
        import json

        data = {"lexicon_version": rs.version,
                "rules": [r.model_dump(mode="json", exclude={"examples"}) | {"file": rs.sources.get(r.id)}
                          for r in rs.rules]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"lexicon {rs.version}: {len(rs.rules)} rules")
    for col in ("id", "category", "severity", "status", "terms", "patterns", "message"):
        table.add_column(col)
    for r in rs.rules:
        table.add_row(r.id, r.category.value, r.severity.value, r.status, str(len(r.terms)), str(len(r.patterns)),
                      r.message)
    Console().print(table)


@lexicon_app.command("test")
def lexicon_test(lexicon: LexiconOption = None) -> None:
    """Run every rule's examples against that rule alone."""
    from compliance.rules.examples import run_examples

    checker = _checker(lexicon)
    count, failures = run_examples(checker.ruleset)
    for f in failures:
        if f.kind == "flag":
            typer.echo(f"FAIL {f.rule_id}: should flag {f.text!r}")
        else:
            typer.echo(f"FAIL {f.rule_id}: should not flag {f.text!r} (found {', '.join(f.found)})")
    typer.echo(f"{len(checker.ruleset.rules)} rules, {count} examples: {count - len(failures)} passed, "
               f"{len(failures)} failed")
    raise typer.Exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
