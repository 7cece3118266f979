"""Provides the summary screen: scores and ratings, coverage, gaps that jump to their question, actions, report."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import AssessError
from ...outputs import refusal
from ...session import Session, Slot
from ..widgets.footer import KeyFooter
from .dialogs import ErrorDialog


class SummaryScreen(Screen[Slot | None]):
    """Dismissed with the question to jump to, or None."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="summary.back"),
        Binding("ctrl+r", "report", "Render report", id="summary.report"),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        """Coverage, the scores table, the gaps to jump to, the recommended actions and the report button."""
        r = self.session.result
        cov = r.coverage
        with VerticalScroll():
            yield Label("Summary", classes="dialog-title")
            yield Static(
                f"{cov['answered']} of {cov['questions']} questions answered, {cov['not_applicable']} not applicable, "
                f"{cov['unknown']} unknown, {cov['required_missing']} required open — "
                + ("complete" if r.complete else "incomplete (the report will be a DRAFT)"),
                id="coverage",
                markup=False,
            )
            yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
            yield Label(f"Gaps ({len(r.gaps)}) — Enter jumps to the question")
            yield OptionList(
                *[Option(Content(g.message), id=str(i)) for i, g in enumerate(r.gaps)]
                or [Option("No gaps.", disabled=True)],
                id="gaps",
            )
            yield Label(f"Recommended actions ({len(r.recommendations)})")
            yield Static(
                "\n".join(
                    f"[{x.priority.upper()}] {x.finding.strip()}\n   → {x.action.strip()}" for x in r.recommendations
                )
                or "No rule was triggered.",
                id="actions",
                markup=False,
            )
            yield Button("Render report (ctrl+r)", id="report", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the scores table with every section and derived score that has inputs; focus the gaps."""
        table = self.query_one("#scores", DataTable)
        table.add_columns("Score", "Value", "Rating")
        r = self.session.result
        for s in list(r.sections.values()) + list(r.derived.values()):
            if s.inputs or s.kind == "derived":
                table.add_row(Text(s.title), Text(s.display), Text(s.rating or ""))
        self.query_one("#gaps", OptionList).focus()

    @on(OptionList.OptionSelected, "#gaps")
    def jump(self, event: OptionList.OptionSelected) -> None:
        """Close the summary on the question of the chosen gap (a gap of a whole section stays)."""
        assert event.option.id is not None  # only the gaps (each with its index as id) can be selected
        gap = self.session.result.gaps[int(event.option.id)]
        if gap.id in self.session.fw.questions:
            self.dismiss(Slot(gap.id, gap.entity))

    def action_back(self) -> None:
        """Close the summary without jumping."""
        self.dismiss(None)

    @on(Button.Pressed, "#report")
    def action_report(self) -> None:
        """Render the report beside the answers file, unless the session is read-only or a document is in the
        way."""
        if self.session.read_only:  # the session that holds the file writes its report, from its answers
            self.notify("Opened read-only: render the report in the session that holds the file.", severity="warning")
            return
        out = Path(self.session.path).with_suffix(".docx")
        if out.is_file() and (reason := refusal(out, "report")):  # never over someone's own document
            message = f"{out} {reason}; move it away, or render the report from the command line with -o"
            self.app.push_screen(ErrorDialog("The report was not written", message))
            return
        self.notify(f"Rendering {out.name}…", markup=False)
        self.render_report(out)

    @work(thread=True, exclusive=True)
    def render_report(self, out: Path) -> None:
        """Render the report to out in a worker thread; say when it is written, or show why not."""
        # deferred: the report package (multiprocessing, XML, the renderer) loads only when a report is made
        from ...report import render_report

        try:
            warnings = render_report(self.session.result, out, answers_file=str(self.session.path))
        except AssessError as exc:
            message = "\n".join(map(str, exc.problems))
            self.app.call_from_thread(self.app.push_screen, ErrorDialog("The report was not written", message))
            return
        note = f"Report written: {out}" + (f" ({len(warnings)} warning(s))" if warnings else "")
        self.app.call_from_thread(self.notify, note, timeout=10)
