"""The ``compliance`` command: check inputs, list rules, test the lexicon."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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


def _checker(lexicon: Path | None) -> Checker:
    settings = Settings()
    if lexicon is not None:
        settings = settings.model_copy(update={"lexicon_dir": lexicon})
    try:
        return Checker(settings)
    except LexiconError as exc:
        _err(f"lexicon error: {exc}")
        raise typer.Exit(EXIT_ERROR) from None


def _expand(paths: list[str]) -> Iterator[str]:
    for raw in paths:
        p = Path(raw)
        if raw != "-" and p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file())
            if not files:
                _err(f"{raw}: directory holds no files")
            yield from (str(f) for f in files)
        else:
            yield raw


def _inputs(checker: Checker, paths: list[str], texts: list[str]) -> Iterator[Report]:
    for i, text in enumerate(texts):
        yield checker.check_text(text, source=f"--text[{i}]" if len(texts) > 1 else "--text")
    for raw in _expand(paths):
        if raw == "-":
            yield checker.check_bytes(sys.stdin.buffer.read(), source="<stdin>")
        else:
            yield checker.check_file(raw)


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(help="files or folders to check; - reads stdin")] = None,
    text: Annotated[list[str] | None, typer.Option("--text", help="check this text (repeatable)")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="output format")] = OutputFormat.table,
    fail_on: Annotated[Severity, typer.Option("--fail-on", help="exit 1 when a finding is at least this severe")]
    = Severity.LOW,
    lexicon: LexiconOption = None,
) -> None:
    """Check files, folders, stdin or --text for prohibited wording; print the finding contract."""
    paths, texts = paths or [], text or []
    if not paths and not texts:
        _err("nothing to check: give PATH..., - for stdin, or --text")
        raise typer.Exit(EXIT_ERROR)
    checker = _checker(lexicon)
    console = Console(soft_wrap=False)
    reports: list[Report] = []
    worst = EXIT_CLEAN
    for report in _inputs(checker, paths, texts):
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
        if report.verdict is Verdict.ERROR:
            worst = EXIT_ERROR
        elif worst == EXIT_CLEAN and any(f.severity.rank >= fail_on.rank for f in report.findings):
            worst = EXIT_FINDINGS
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
