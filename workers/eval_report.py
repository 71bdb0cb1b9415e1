"""Render an evaluation summary (see `extractor.evaluate.harness.summary`) for the terminal."""

from typing import Any

from rich.table import Table


def _rate(pair: tuple[int, int] | list[int] | None) -> str:
    if not pair or not pair[1]:
        return "-"
    correct, total = pair
    return f"{correct}/{total} ({100 * correct / total:.1f}%)"


def field_table(summary: dict[str, Any], core: tuple[str, ...]) -> Table:
    table = Table("field", "files", "unique documents", title="exact match after normalisation")
    for template, figures in summary["fields"].items():
        name = f"{template} *" if template in core else template
        table.add_row(name, _rate(figures.get("files")), _rate(figures.get("unique")))
    return table


def totals_table(summary: dict[str, Any]) -> Table:
    table = Table("measure", "value", title="documents")
    table.add_row("documents (unique)", f"{summary['documents']} ({summary['unique_documents']})")
    table.add_row("failed", str(summary["failed"]))
    table.add_row("automation: documents succeeded", _rate(summary["automation"]))
    table.add_row(
        "succeeded precision: every core field right", _rate(summary["succeeded_precision"])
    )
    table.add_row("all core fields correct (files)", _rate(summary["all_core_correct"]["files"]))
    table.add_row("all core fields correct (unique)", _rate(summary["all_core_correct"]["unique"]))
    table.add_row("hallucinated values", _rate(summary["hallucinated"]))
    table.add_row("correct at confidence >= 0.9", _rate(summary["high_confidence_correct"]))
    table.add_row("steady s/document", str(summary["steady_seconds_per_document"]))
    table.add_row("first document s", str(summary["first_document_seconds"]))
    model = summary["model"]
    table.add_row("model (sha256)", model["sha256"][:12])
    table.add_row(
        "prompt format; context tokens", f"{model['prompt_format']}; {model['context_tokens']}"
    )
    table.add_row("peak memory of this process", f"{model['peak_rss_mib']} MiB")
    return table
