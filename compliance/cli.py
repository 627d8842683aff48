"""The ``compliance`` command: check inputs, list rules, test the lexicon."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from compliance.checker import Checker, error_report
from compliance.contract import Report, Severity, Verdict
from compliance.extract.decode import UndecodableError, decode
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
    complaint: Annotated[list[str] | None, typer.Option(
        "--complaint", help="read this text as a complaint (repeatable; - reads stdin): the claims it reports "
                            "of the body complained about are raised for review; PATHs are its attachments")] = None,
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

    paths, texts, complaints = paths or [], text or [], complaint or []
    if not paths and not texts and not complaints:
        _err("nothing to check: give PATH..., - for stdin, --text or --complaint")
        raise typer.Exit(EXIT_ERROR)
    if "-" in complaints and "-" in paths:
        _err("stdin can be read once: give - either as a PATH or as --complaint, not both")
        raise typer.Exit(EXIT_ERROR)
    checker = _checker(lexicon, ocr.value if ocr else None)
    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped into a file or a pager: rich would assume 80 columns and cut the evidence short.
        console = Console(soft_wrap=False, width=160)
    reports: list[Report] = []
    worst = EXIT_CLEAN
    summary_writer = SummaryWriter.open(summary) if summary else None
    progress = _progress()
    task = progress.add_task("checking", total=None) if progress else None

    def inputs() -> Iterator[Report]:
        for i, t in enumerate(texts):
            yield checker.check_text(t, source=f"--text[{i}]" if len(texts) > 1 else "--text")
        for i, t in enumerate(complaints):
            name = f"--complaint[{i}]" if len(complaints) > 1 else "--complaint"
            if t == "-":
                name = "<stdin> (complaint)"
                try:
                    t, _ = decode(sys.stdin.buffer.read())
                except UndecodableError as exc:
                    yield error_report(name, "undecodable", str(exc), media_type="text/plain")
                    continue
            yield checker.check_complaint(t, source=name)
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


@lexicon_app.command("eval")
def lexicon_eval(
    path: Annotated[Path, typer.Argument(help="labelled set: JSON Lines with id, text, expect, forbid, kind")],
    lexicon: LexiconOption = None,
    min_recall: Annotated[float, typer.Option(help="exit 1 below this category recall")] = 0.0,
    max_fp_rate: Annotated[float, typer.Option(help="exit 1 above this false-positive rate")] = 1.0,
    show: Annotated[int, typer.Option(help="how many failing items to list (0: none, -1: all)")] = 60,
) -> None:
    """Score the rules on a labelled set: recall and false positives per category, failing items listed."""
    from compliance.evaluate import LabelError, load_labelled, score

    try:
        items = load_labelled(path)
    except (OSError, LabelError) as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    result = score(_checker(lexicon), items)
    typer.echo(result.table())
    accused = result.accusations()
    typer.echo(f"{len(items)} items; verdict violation on {len(accused)} lawful item(s)")
    if show:
        failures = result.failures(None if show < 0 else show)
        if failures:
            typer.echo("\n" + failures)
    ok = result.recall >= min_recall and result.fp_rate <= max_fp_rate
    raise typer.Exit(EXIT_CLEAN if ok else EXIT_FINDINGS)


# -- service: `compliance serve` and `compliance admin …` (the service package is imported only here) -------

admin_app = typer.Typer(no_args_is_help=True, help="Service administration: API keys.")
app.add_typer(admin_app, name="admin")


class KeyRole(StrEnum):
    admin = "admin"
    inspector = "inspector"


def _service_sessions() -> Any:
    from service.db.session import make_engine, make_sessionmaker, migrate
    from service.settings import ServiceSettings

    settings = ServiceSettings().prepare()
    engine = make_engine(settings.sqlalchemy_url)
    migrate(engine)
    return make_sessionmaker(engine)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port to listen on")] = 8000,
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=32,
                                                help="web processes (default COMPLIANCE_WEB_WORKERS: 2)")] = None,
) -> None:
    """Start the web service (page at /, API at /api/v1, OpenAPI at /docs)."""
    import uvicorn

    from service.db.session import make_engine, migrate
    from service.leader import file_lock
    from service.settings import ServiceSettings

    settings = ServiceSettings().prepare()
    n = workers or settings.web_workers
    # Migrate once here, before the web processes start (each would otherwise wait for the lock in turn).
    engine = make_engine(settings.sqlalchemy_url)
    with file_lock(settings.data_dir / "migrate.lock"):
        migrate(engine)
    engine.dispose()
    typer.echo(f"compliance service on http://{host}:{port}/ (API docs: /docs), {n} web process(es)", err=True)
    # Several processes use the cores for requests; one of them (the leader lock) runs jobs and webhooks.
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=n, log_level="warning",
                access_log=False)


@admin_app.command("create-key")
def admin_create_key(
    role: Annotated[KeyRole, typer.Option("--role", help="admin: keys, all jobs, rule reload; inspector: own jobs")],
    name: Annotated[str, typer.Option("--name", help="who or what the key is for")] = "",
    if_none: Annotated[bool, typer.Option("--if-none", help="only if no active admin key exists yet")] = False,
) -> None:
    """Create an API key and print it once, alone on the last line (only its hash is stored)."""
    from service.auth import Role, create_key, has_admin
    from service.records import audit

    sessions = _service_sessions()
    with sessions() as s, s.begin():
        if if_none and has_admin(s):
            typer.echo("an admin key exists already; none created", err=True)
            return
        row, key = create_key(s, Role(role.value), name)
        audit(s, None, "key.create", target=row.prefix, detail={"role": row.role, "id": row.id, "via": "cli"})
    typer.echo(f"created {row.role} key #{row.id} ({row.prefix}…); it is shown only now:")
    typer.echo(key)


@admin_app.command("list-keys")
def admin_list_keys() -> None:
    """List keys (prefixes, roles, revoked or not)."""
    from sqlalchemy import select

    from service.db.models import ApiKey

    sessions = _service_sessions()
    with sessions() as s:
        for k in s.scalars(select(ApiKey).order_by(ApiKey.id)):
            state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
            typer.echo(f"{k.id}\t{k.prefix}…\t{k.role}\t{state}\t{k.name}")


@admin_app.command("revoke-key")
def admin_revoke_key(key_id: Annotated[int, typer.Argument(help="the key's id (see list-keys)")]) -> None:
    """Revoke a key (a running service stops accepting it within its key-cache time)."""
    from service.auth import revoke_key
    from service.records import audit

    sessions = _service_sessions()
    with sessions() as s, s.begin():
        if not revoke_key(s, key_id):
            _err(f"no active key #{key_id}")
            raise typer.Exit(EXIT_ERROR)
        audit(s, None, "key.revoke", target=str(key_id), detail={"via": "cli"})
    typer.echo(f"revoked key #{key_id}")


@admin_app.command("webhook-secret")
def admin_webhook_secret() -> None:
    """Print the webhook signing secret (set COMPLIANCE_WEBHOOK_SECRET, or the one generated in the data dir)."""
    from service.settings import ServiceSettings
    from service.webhooks import load_secret

    settings = ServiceSettings().prepare()
    typer.echo(load_secret(settings.webhook_secret, settings.data_dir))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
