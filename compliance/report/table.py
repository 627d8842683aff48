"""A readable terminal table, evidence highlighted inside its context."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance.contract import Finding, Report, Verdict

_VERDICT_STYLE = {
    Verdict.VIOLATION: "bold red",
    Verdict.REVIEW: "bold yellow",
    Verdict.CLEAN: "bold green",
    Verdict.ERROR: "bold magenta",
}
_SIDE = 8  # context characters shown on each side of the evidence
_SEVERITY_STYLE = {"high": "red", "medium": "yellow", "low": "cyan"}
# Below this width a five-column table leaves the evidence a few characters wide: findings are stacked instead.
_NARROW = 110


def _highlighted(f: Finding, plain: bool = False) -> Text:
    """The evidence in its context; ``plain`` (no colours: piped output) brackets it instead of colouring it."""
    context = f.context or f.evidence
    evidence = f.evidence.replace("\n", "⏎")
    if plain:
        evidence = f"⟦{evidence}⟧"
    text = Text()
    idx = context.find(f.evidence)
    if idx < 0:
        text.append(evidence, style="bold reverse red")
        return text
    before, after = context[:idx][-_SIDE:], context[idx + len(f.evidence) :][:_SIDE]
    text.append(before.replace("\n", "⏎"))
    text.append(evidence, style="bold reverse red")
    text.append(after.replace("\n", "⏎"))
    return text


def render_report(report: Report, console: Console) -> None:
    head = Text()
    head.append(report.source, style="bold")
    head.append("  ")
    head.append(report.verdict.value, style=_VERDICT_STYLE[report.verdict])
    if report.media_type:
        head.append(f"  {report.media_type}", style="dim")
    if report.error:
        head.append(f"  {report.error.code}: {report.error.message}", style="magenta")
    console.print(head)
    if not report.findings:
        return
    if console.width < _NARROW:
        _render_stacked(report, console)
    else:
        _render_table(report, console)
    _render_basis(report, console)


def _where(f: Finding) -> str:
    loc = f.location
    page = f"p{loc.page} " if loc.page else ""
    if loc.start is None and loc.bbox:
        # A mark seen on the picture has no text span: where it is, is its box.
        x0, y0, x1, y1 = (round(v) for v in loc.bbox)
        return f"{page}[{x0},{y0} {x1},{y1}]"
    return f"{page}{loc.start}-{loc.end}"


def _severity(f: Finding) -> Text:
    sev = Text(f.severity.value, style=_SEVERITY_STYLE[f.severity.value])
    if f.status.value == "review":
        sev.append(" 复核", style="yellow")
    sev.append(f" {f.confidence:.2f}", style="dim")
    return sev


def _render_stacked(report: Report, console: Console) -> None:
    for f in report.findings:
        line = Text("• ")
        line.append_text(_severity(f))
        line.append(f"  {f.rule_id}", style="bold")
        line.append(f"  {_where(f)}", style="dim")
        console.print(line)
        console.print(Text("    ").append_text(_highlighted(f, plain=console.color_system is None)))
        if f.message:
            console.print(Text(f"    {f.message}", style="dim"))


def _render_table(report: Report, console: Console) -> None:
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("位置", no_wrap=True, style="dim")
    table.add_column("类别 / 规则", no_wrap=True)
    table.add_column("严重", no_wrap=True)
    table.add_column("证据（上下文）", ratio=3)
    table.add_column("说明", ratio=2)
    for f in report.findings:
        table.add_row(
            _where(f),
            Text(f"{f.category.value}\n{f.rule_id}"),
            _severity(f),
            _highlighted(f, plain=console.color_system is None),
            Text(f.message or ""),
        )
    console.print(table)


def _render_basis(report: Report, console: Console) -> None:
    seen: set[str] = set()
    for f in report.findings:
        if f.category.value in seen:
            continue
        seen.add(f.category.value)
        line = Text(f"  {f.category.value}: ", style="bold")
        line.append(f"依据 {f.basis}", style="dim")
        line.append(f"\n    处置 {f.action}（{f.authority}）", style="dim")
        console.print(line)
    if report.findings_truncated:
        console.print(f"[yellow]… findings truncated; counts by category: {report.counts}[/yellow]")
