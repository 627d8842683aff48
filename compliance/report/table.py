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


def _highlighted(f: Finding) -> Text:
    context = f.context or f.evidence
    text = Text()
    idx = context.find(f.evidence)
    if idx < 0:
        text.append(f.evidence, style="bold reverse red")
        return text
    before, after = context[:idx][-_SIDE:], context[idx + len(f.evidence) :][:_SIDE]
    text.append(before.replace("\n", "⏎"))
    text.append(f.evidence.replace("\n", "⏎"), style="bold reverse red")
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
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("位置", no_wrap=True, style="dim")
    table.add_column("类别 / 规则", no_wrap=True)
    table.add_column("严重", no_wrap=True)
    table.add_column("证据（上下文）", ratio=3)
    table.add_column("说明", ratio=2)
    for f in report.findings:
        loc = f.location
        where = f"{'p' + str(loc.page) + ' ' if loc.page else ''}{loc.start}-{loc.end}"
        sev = Text(f.severity.value, style=_SEVERITY_STYLE[f.severity.value])
        if f.status.value == "review":
            sev.append(" 复核", style="yellow")
        sev.append(f" {f.confidence:.2f}", style="dim")
        table.add_row(
            where,
            Text(f"{f.category.value}\n{f.rule_id}"),
            sev,
            _highlighted(f),
            Text(f.message or ""),
        )
    console.print(table)
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
