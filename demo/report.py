"""The demo load's report as text: the rows not loaded or fixed, then the counts."""

from __future__ import annotations

from demo.loader import DemoReport


def row_lines(report: DemoReport) -> tuple[list[str], list[str]]:
    """(rejected rows, rows loaded after a fix), one line per reason, in file order."""
    rejected = [f"rejected {error}" for error in report.parsed.errors]
    fixed = [f"loaded with a fix, {warning}" for warning in report.parsed.warnings]
    return rejected, fixed


def summary_lines(report: DemoReport) -> list[str]:
    parsed, events, reference = report.parsed, report.events, report.reference
    fixed_rows = len({warning.line for warning in parsed.warnings})
    lines = [
        f"Reference: {len(reference.subjects)} subjects, {len(reference.sessions)} exam "
        f"sessions, {len(reference.exam_session_subjects)} exam session subjects, "
        f"{reference.store_products} material and marking store products, "
        f"{reference.prices} prices.",
        f"CSV {report.csv_path}: {parsed.lines_read} data lines, {len(parsed.rows)} events "
        f"loaded ({fixed_rows} after a fix), {len(parsed.errors)} rejected.",
        f"Tutorials: {events.location_products} location products, {events.formats} formats, "
        f"{events.store_products} store products, {events.events} events, "
        f"{events.sessions} sessions.",
    ]
    if report.synthetic is not None:
        synthetic = report.synthetic
        lines.append(
            f"Synthetic: {synthetic.requested} store products requested, {synthetic.created} "
            f"created, {synthetic.existing} already present; {len(synthetic.subjects)} "
            f"subjects, {synthetic.tutorial_store_products} new tutorial store products, "
            f"{synthetic.events} events, {synthetic.sessions} sessions, "
            f"{synthetic.prices} prices."
        )
    lines.append(
        "In the database: " + ", ".join(f"{n} {label}" for label, n in report.totals.items()) + "."
    )
    lines.append(f"Done in {report.seconds:.1f}s.")
    return lines
